package gui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/oauth"
)

// The login page's OAuth2 sign-in: "Sign in with <issuer>" opens the
// provider's page in the system browser (ui.openBrowser in tests), the
// engine receives the token on 127.0.0.1, and both logins run with it.
// What to offer is the engine's answer (Report.SignInWays): only the
// sign-in where the servers take no password, the sign-in beside an app
// password where they take both (Gmail), and a field for the issuer's
// address where the table knows no issuer.

// signInView holds the sign-in section's widgets and state.
type signInView struct {
	signingIn bool
	cancel    context.CancelFunc

	issuer    *widget.Entry // the issuer's URL, when the table knows none
	scopes    *widget.Entry
	button    *widget.Button
	stop      *widget.Button
	busy      *widget.Activity
	status    *widget.Label
	page      *widget.Hyperlink // the sign-in page, should no browser open
	noClient  *fyne.Container   // what a client ID is, where to get one
	statusMsg string            // the status line, kept across a rebuild
	statusRun int               // the discovery statusMsg belongs to
}

func (v *signInView) focusTarget() fyne.Focusable {
	if v.issuer != nil {
		return v.issuer
	}
	return v.button
}

// signInTimeout bounds the wait for the user in the browser, a little
// beyond the engine's own bound.
const signInTimeout = oauth.DefaultSignInTimeout + searchGrace

// signInSection builds the sign-in part of the login page.
func (s *loginScreen) signInSection() fyne.CanvasObject {
	m, ways, v := s.w.m, s.ways, &s.oa
	box := container.NewVBox()
	title := lang.X("login.oauth.title_generic", "Sign in with OAuth2")
	if ways.Issuer != "" {
		title = lang.X("login.oauth.title", "Sign in with {{.Issuer}}", map[string]string{"Issuer": ways.Issuer})
	}
	if ways.Password && !ways.OAuth2First {
		title = lang.X("login.oauth.or", "Or sign in with OAuth2 instead")
		box.Add(widget.NewSeparator())
	}
	box.Add(boldLabel(title))
	box.Add(wrapLabel(lang.X("login.oauth.explain", "Your provider's sign-in page opens in your browser. You sign in there, and mailsetup receives a token that opens your mailbox, never your password. The token is used only for this test and is never saved.")))
	v.issuer, v.scopes = nil, nil
	if ways.AskIssuer {
		box.Add(wrapLabel(lang.X("login.oauth.issuer_explain", "mailsetup does not know where accounts of your provider sign in: type the address of the sign-in service (the OAuth2 issuer) that your provider or administrator gives you.")))
		v.issuer = widget.NewEntry()
		v.issuer.SetPlaceHolder(lang.X("login.oauth.issuer_placeholder", "https://login.example.com"))
		v.issuer.SetText(m.issuerURL)
		v.issuer.OnChanged = func(t string) {
			if strings.TrimSpace(t) != m.issuerURL {
				m.forgetSignIn() // another service: sign in again
			}
			m.issuerURL = strings.TrimSpace(t)
		}
		v.issuer.OnSubmitted = func(string) { s.signIn() }
		v.scopes = widget.NewEntry()
		v.scopes.SetPlaceHolder(lang.X("login.oauth.scopes_placeholder", "the service's default"))
		v.scopes.SetText(m.scopes)
		v.scopes.OnChanged = func(t string) {
			if strings.TrimSpace(t) != m.scopes {
				m.forgetSignIn()
			}
			m.scopes = strings.TrimSpace(t)
		}
		v.scopes.OnSubmitted = func(string) { s.signIn() }
		box.Add(widget.NewForm(
			widget.NewFormItem(lang.X("login.oauth.issuer", "Sign-in service"), v.issuer),
			widget.NewFormItem(lang.X("login.oauth.scopes", "Scopes (optional)"), v.scopes),
		))
	}
	label := lang.X("login.oauth.button_generic", "Sign in")
	if ways.Issuer != "" {
		label = lang.X("login.oauth.button", "Sign in with {{.Issuer}}", map[string]string{"Issuer": ways.Issuer})
	}
	v.button = widget.NewButtonWithIcon(label, theme.LoginIcon(), s.signIn)
	if ways.OAuth2First {
		v.button.Importance = widget.HighImportance
	}
	v.stop = widget.NewButtonWithIcon(lang.X("login.oauth.cancel", "Cancel the sign-in"), theme.CancelIcon(), s.cancelSignIn)
	v.busy = widget.NewActivity()
	if v.statusRun != m.run {
		v.statusMsg = "" // of another discovery's sign-in
	}
	v.status = wrapLabel(v.statusMsg)
	if v.statusMsg == "" {
		v.status.Hide()
	}
	v.page = widget.NewHyperlink(lang.X("login.oauth.page", "No browser opened? Open the sign-in page"), nil)
	v.page.Hide()
	v.noClient = container.NewVBox()
	v.noClient.Hide()
	if v.signingIn {
		v.button.Disable()
		v.busy.Start()
	} else {
		v.stop.Hide()
		v.busy.Hide()
	}
	box.Add(container.NewHBox(v.button, v.stop, v.busy))
	box.Add(v.status)
	box.Add(v.page)
	box.Add(v.noClient)
	return box
}

// alsoPasswordText says why the password route stands beside the sign-in.
func alsoPasswordText(secret string) string {
	if secret == assistant.SecretAppPassword {
		return lang.X("login.or_app_password.explain", "Your provider still takes an app password in place of signing in: a separate password for mail programs, made in your account's security settings (it usually needs two-step verification). Your account password itself will not work.")
	}
	return lang.X("login.or_password.explain", "Your provider's servers also take a password.")
}

// issuerName names the sign-in service in messages: the table's issuer,
// else the host of the address typed.
func (s *loginScreen) issuerName() string {
	if s.ways.Issuer != "" {
		return s.ways.Issuer
	}
	if u, err := url.Parse(s.w.m.issuerURL); err == nil && u.Host != "" {
		return u.Host
	}
	return s.w.m.issuerURL
}

// setSignInStatus shows a line under the sign-in button; "" hides it.
func (s *loginScreen) setSignInStatus(text string, importance widget.Importance) {
	v := &s.oa
	v.statusMsg, v.statusRun = text, s.w.m.run
	if v.status == nil || s.w.step != stepLogin {
		return
	}
	v.status.SetText(text)
	v.status.Importance = importance
	v.status.Refresh()
	if text == "" {
		v.status.Hide()
	} else {
		v.status.Show()
	}
	s.grew()
}

// grew lets the page's scroller know that its content changed height
// (results, messages): a container refreshes only its own layout.
func (s *loginScreen) grew() {
	if s.w.step == stepLogin && s.w.body != nil {
		s.w.body.Refresh()
	}
}

// signIn asks for the consents the servers need, signs in (or reuses the
// session of this discovery) and logs in on both servers with the token.
func (s *loginScreen) signIn() {
	m, v := s.w.m, &s.oa
	if v.signingIn || s.loggingIn {
		return
	}
	if s.ways.AskIssuer && m.issuerURL == "" {
		s.setSignInStatus(lang.X("login.oauth.issuer_empty", "Type the address of the sign-in service first."), widget.DangerImportance)
		return
	}
	v.noClient.Hide()
	s.message.Hide()
	s.askConsents(func() {
		if m.oauth != nil {
			m.viaOAuth = true
			s.runLogins()
			return
		}
		s.startSignIn()
	})
}

// startSignIn runs the engine's sign-in off the UI goroutine.
func (s *loginScreen) startSignIn() {
	u, m, v := s.w.u, s.w.m, &s.oa
	ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
	v.signingIn, v.cancel = true, cancel
	v.button.Disable()
	v.stop.Show()
	v.busy.Show()
	v.busy.Start()
	s.setBusy(true)
	name := s.issuerName()
	s.setSignInStatus(lang.X("login.oauth.waiting", "Waiting for you to sign in with {{.Issuer}} in your browser…", map[string]string{"Issuer": name}), widget.MediumImportance)
	q := assistant.SignInRequest{ClientID: u.loadClientIDs().For(s.ways.ClientIDKey), OpenBrowser: s.openPage}
	if s.ways.AskIssuer {
		q.IssuerURL, q.Scopes = m.issuerURL, strings.Fields(m.scopes)
	}
	rep, set, run := *m.report, u.engineSettings(), m.run
	u.background(func() {
		defer cancel()
		session, err := u.eng.SignIn(ctx, &rep, q, set)
		cancelled := errors.Is(ctx.Err(), context.Canceled)
		u.do(func() {
			s.signInEnded()
			if m.run != run {
				return // another discovery: its account is not this one
			}
			switch {
			case err == nil:
				m.oauth, m.viaOAuth = session, true
				s.setSignInStatus(lang.X("login.oauth.done", "Signed in with {{.Issuer}}.", map[string]string{"Issuer": name}), widget.SuccessImportance)
				s.runLogins()
			case cancelled:
				s.setSignInStatus(lang.X("login.oauth.cancelled", "Sign-in cancelled."), widget.WarningImportance)
			case errors.Is(err, oauth.ErrNoClientID):
				s.setSignInStatus("", widget.MediumImportance)
				s.showNoClientID(name)
			default:
				s.setSignInStatus(lang.X("login.oauth.failed", "The sign-in failed: {{.Why}}",
					map[string]string{"Why": assistant.SignInMessage(err).In(u.lang)}), widget.DangerImportance)
			}
		})
	})
}

// openPage shows the sign-in page in the browser, and its address as a
// link in case no browser comes up.
func (s *loginScreen) openPage(ctx context.Context, page string) error {
	u := s.w.u
	u.do(func() {
		if p, err := url.Parse(page); err == nil && s.oa.page != nil && s.oa.signingIn {
			s.oa.page.SetURL(p)
			s.oa.page.Show()
		}
	})
	open := u.openBrowser
	if open == nil {
		open = oauth.SystemBrowser
	}
	return open(ctx, page)
}

// signInEnded puts the section back at rest.
func (s *loginScreen) signInEnded() {
	v := &s.oa
	v.signingIn, v.cancel = false, nil
	if s.w.step != stepLogin {
		return
	}
	v.button.Enable()
	v.stop.Hide()
	v.busy.Stop()
	v.busy.Hide()
	v.page.Hide()
	s.setBusy(false)
}

// cancelSignIn stops waiting for the browser.
func (s *loginScreen) cancelSignIn() {
	if s.oa.cancel != nil {
		s.oa.cancel()
	}
}

// showNoClientID explains what a client ID is and where to get one, with
// the way to Settings: nothing was sent to the issuer.
func (s *loginScreen) showNoClientID(issuer string) {
	u, v := s.w.u, &s.oa
	v.noClient.RemoveAll()
	l := wrapLabel(lang.X("login.oauth.no_client_id", "Signing in with {{.Issuer}} needs a client ID, and none is set. A client ID is the registration of a mail program with {{.Issuer}}; mailsetup ships none, so you or your administrator register one and type it in Settings. Nothing was sent.",
		map[string]string{"Issuer": issuer}))
	l.Importance = widget.WarningImportance
	v.noClient.Add(l)
	if link := registerLink(s.ways.RegisterURL); link != nil {
		v.noClient.Add(link)
	}
	key := s.ways.ClientIDKey
	v.noClient.Add(container.NewHBox(widget.NewButtonWithIcon(lang.X("login.oauth.settings", "Set the client ID in Settings"), theme.SettingsIcon(),
		func() { u.showClientIDSetting(key) })))
	v.noClient.Show()
	s.grew()
}

// registerLink leads to where a client ID is registered; nil without one.
func registerLink(raw string) *widget.Hyperlink {
	p, err := url.Parse(raw)
	if raw == "" || err != nil || p.Scheme != "https" {
		return nil
	}
	return widget.NewHyperlink(lang.X("oauth.register", "Register a client ID: {{.Host}}", map[string]string{"Host": p.Host}), p)
}
