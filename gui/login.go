package gui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// loginScreen tests the login on both edited servers through the engine's
// one login path, asking first whatever the engine says needs a yes; then
// it can send a test message.
type loginScreen struct {
	w         *wizard
	loggingIn bool
	sending   bool

	password      *widget.Entry
	passwordLabel string
	message       *widget.Label
	test          *widget.Button
	send          *widget.Button
	busy          *widget.Activity
	results       *fyne.Container
	sendResult    *widget.Label

	// The OAuth2 sign-in (login_signin.go).
	ways assistant.SignInWays
	oa   signInView
}

func (s *loginScreen) focusTarget() fyne.Focusable {
	if s.ways.OAuth2First || !s.ways.Password {
		return s.oa.focusTarget()
	}
	return s.password
}

func (s *loginScreen) content() fyne.CanvasObject {
	w, m := s.w, s.w.m
	secret := m.report.Secret()
	s.passwordLabel = secretLabel(secret)
	s.password = passwordField(m)
	// Enter tests the login; once both logins worked, Enter goes on.
	s.password.OnSubmitted = func(string) {
		if m.testedPassword && m.loginsOK() {
			w.show(stepExport)
			return
		}
		s.testLogin()
	}
	if secret == assistant.SecretAuthCode {
		s.password.SetPlaceHolder(lang.X("login.code.placeholder", "the code from your mailbox's web settings, not your account password"))
	}
	s.message = wrapLabel("")
	s.message.Importance = widget.WarningImportance
	s.message.Hide()
	s.test = widget.NewButtonWithIcon(lang.X("login.test", "Test login"), theme.LoginIcon(), s.testLogin)
	s.test.Importance = widget.HighImportance
	s.send = widget.NewButtonWithIcon(lang.X("login.send", "Send a test message"), theme.MailSendIcon(), s.sendTestMessage)
	s.busy = widget.NewActivity()
	s.busy.Hide()
	s.results = container.NewVBox()
	s.sendResult = wrapLabel("")
	s.sendResult.Hide()

	body := container.NewVBox(boldLabel(lang.X("login.title", "Test the login")))
	if p := m.report.ProviderFacts(w.u.lang); p != nil && secret != assistant.SecretPassword && p.Note != "" {
		body.Add(banner("warning", p.Note))
	}
	s.ways = m.report.SignInWays(m.in, m.out, w.u.lang)
	oauthFirst := s.ways.OAuth2 && s.ways.OAuth2First
	if oauthFirst {
		body.Add(s.signInSection())
	}
	if s.ways.Password {
		if oauthFirst {
			body.Add(widget.NewSeparator())
			body.Add(boldLabel(lang.X("login.or_password", "Or use {{.What}} instead", map[string]string{"What": s.passwordLabel})))
			body.Add(wrapLabel(alsoPasswordText(secret)))
		}
		body.Add(widget.NewForm(widget.NewFormItem(s.passwordLabel, s.password)))
		body.Add(wrapLabel(lang.X("login.explain", "mailsetup logs in on both servers to check the settings. The password is used only for this test and is never saved.")))
	} else {
		s.test.Hide() // nothing to type: the sign-in logs in
	}
	body.Add(container.NewHBox(s.test, s.send, s.busy))
	if s.ways.OAuth2 && !oauthFirst {
		body.Add(s.signInSection())
	}
	body.Add(s.message)
	body.Add(s.results)
	body.Add(s.sendResult)
	if s.loggingIn || s.sending || s.oa.signingIn { // rebuilt (new language) while a test runs
		s.test.Disable()
		s.busy.Show()
		s.busy.Start()
	}
	s.renderLogins()
	s.renderSendTest()

	back := widget.NewButtonWithIcon(lang.X("login.back", "Back to the servers"), theme.NavigateBackIcon(), func() { w.show(stepServers) })
	next := widget.NewButtonWithIcon(lang.X("login.next", "Next: export"), theme.NavigateNextIcon(), func() { w.show(stepExport) })
	next.Importance = widget.HighImportance
	return page(body, back, next)
}

// secretLabel names what to type: an authorization code for providers
// that require one (QQ's 授权码), an app password, or the password.
func secretLabel(secret string) string {
	switch secret {
	case assistant.SecretAuthCode:
		return lang.X("login.code", "Authorization code")
	case assistant.SecretAppPassword:
		return lang.X("login.app_password", "App password")
	}
	return lang.X("login.password", "Password")
}

// testLogin asks for every consent the servers need, then logs in on both.
func (s *loginScreen) testLogin() {
	if s.loggingIn {
		return
	}
	if s.w.m.password == "" {
		s.message.SetText(lang.X("login.empty", "Type the {{.What}} first.", map[string]string{"What": s.passwordLabel}))
		s.message.Show()
		return
	}
	s.message.Hide()
	s.w.m.viaOAuth = false
	s.askConsents(s.runLogins)
}

// askConsents puts the engine's questions about the edited servers to the
// user, one at a time; done runs once every one was answered yes.
func (s *loginScreen) askConsents(done func()) {
	u, m := s.w.u, s.w.m
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		missing := m.grants.Missing(m.report.Consents(role, m.server(role), u.settings.Trust))
		if len(missing) > 0 {
			c := missing[0]
			u.askConsent(c, func() { m.grant(c); s.askConsents(done) })
			return
		}
	}
	done()
}

// setBusy shows or hides the activity beside the buttons.
func (s *loginScreen) setBusy(on bool) {
	if s.w.step != stepLogin {
		return
	}
	if on {
		s.test.Disable()
		s.busy.Show()
		s.busy.Start()
		return
	}
	s.test.Enable()
	s.busy.Stop()
	s.busy.Hide()
}

// runLogins tests both servers at once, off the UI goroutine, with the
// password or, when m.viaOAuth, the OAuth2 sign-in; each outcome shows as
// soon as it is known.
func (s *loginScreen) runLogins() {
	u, m := s.w.u, s.w.m
	s.loggingIn = true
	m.logins = &assistant.LoginReport{}
	m.sendTest = nil
	m.testedPassword = true
	s.renderLogins()
	s.renderSendTest()
	s.setBusy(true)
	rep, q, set, run := *m.report, m.loginRequest(), u.engineSettings(), m.run
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), set.Timeout+searchGrace)
		defer cancel()
		login := u.eng.Check(ctx, &rep, q, set, func(ev assistant.Event) {
			if ev.Kind != assistant.LoginFinished || ev.Login == nil {
				return
			}
			u.do(func() {
				if m.run == run && s.loggingIn {
					if ev.Role == mailcfg.Outgoing {
						m.logins.Outgoing = ev.Login
					} else {
						m.logins.Incoming = ev.Login
					}
					s.renderLogins()
				}
			})
		})
		u.do(func() {
			if m.run != run {
				return
			}
			s.loggingIn = false
			m.logins = login
			s.setBusy(false)
			s.renderLogins()
			// A server nobody probed showed a certificate that needs a yes.
			for _, o := range []*assistant.LoginOutcome{login.Incoming, login.Outgoing} {
				if o != nil && len(o.Needs) > 0 {
					c := o.Needs[0]
					u.askConsent(c, func() { m.grant(c); s.runLogins() })
					return
				}
			}
		})
	})
}

// askNeeded asks for the consents the logins of a search with the password
// up front waited for, then logs in anew with them (Engine.Check).
func (s *loginScreen) askNeeded() {
	m := s.w.m
	if m.logins == nil {
		return
	}
	for _, o := range []*assistant.LoginOutcome{m.logins.Incoming, m.logins.Outgoing} {
		if o != nil && len(o.Needs) > 0 {
			s.askConsents(s.runLogins)
			return
		}
	}
}
