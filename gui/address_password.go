package gui

import (
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
)

// The address page asks for the password up front, as Thunderbird's first
// screen does: optional; when given, the search logs in on each role the
// moment it settles (searchScreen.start). The field says what the
// provider wants (an authorization code, an app password), and for a
// provider that takes no password it makes way for a word on signing in.

// buildPassword makes the optional password field.
func (s *addressScreen) buildPassword() {
	m := s.w.m
	s.password = passwordField(m)
	s.password.OnSubmitted = func(string) { s.submit() }
	s.passwordNote = wrapLabel("")
	s.passwordItem = widget.NewFormItem(lang.X("setup.password", "Password (optional)"), container.NewVBox(s.password, s.passwordNote))
}

// showSecret names what the field asks for at the address typed so far.
func (s *addressScreen) showSecret() {
	up := assistant.UpFrontFor(strings.TrimSpace(s.w.m.email), s.w.u.lang)
	s.password.SetPlaceHolder("")
	switch up.Secret {
	case assistant.SecretNone:
		s.passwordItem.Text = lang.X("setup.signin", "Sign-in")
		s.password.Hide()
		s.passwordNote.SetText(lang.X("setup.oauth_only", "{{.Provider}} takes no password: after the search, you sign in with {{.Issuer}} in your browser.",
			map[string]string{"Provider": up.Provider, "Issuer": up.Issuer}))
	case assistant.SecretAuthCode:
		s.passwordItem.Text = lang.X("setup.code", "Authorization code (optional)")
		s.password.SetPlaceHolder(lang.X("login.code.placeholder", "the code from your mailbox's web settings, not your account password"))
		s.password.Show()
		s.passwordNote.SetText(passwordUpFrontText())
	case assistant.SecretAppPassword:
		s.passwordItem.Text = lang.X("setup.app_password", "App password (optional)")
		s.password.Show()
		s.passwordNote.SetText(passwordUpFrontText())
	default:
		s.passwordItem.Text = lang.X("setup.password", "Password (optional)")
		s.password.Show()
		s.passwordNote.SetText(passwordUpFrontText())
	}
	s.form.Refresh()
}

func passwordUpFrontText() string {
	return lang.X("setup.password.explain", "Type it now and the login is tested the moment each server is found, or leave it empty and type it later. It is used only for the test and never saved.")
}

// upFrontPassword is the password the search logs in with: the one typed
// on the address page, unless the provider takes none.
func (m *setupModel) upFrontPassword(lang string) string {
	if m.password == "" || assistant.UpFrontFor(strings.TrimSpace(m.email), lang).Secret == assistant.SecretNone {
		return ""
	}
	return m.password
}

// passwordField is a password field bound to m.password: the address and
// login pages show the same text, and a change makes the logins on show
// stale.
func passwordField(m *setupModel) *widget.Entry {
	e := newPasswordEntry()
	e.SetText(m.password)
	e.OnChanged = func(v string) {
		if v != m.password {
			m.testedPassword = false
		}
		m.password = v
	}
	return e
}
