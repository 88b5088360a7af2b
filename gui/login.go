package gui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// loginWidgets are the parts of the login page.
type loginWidgets struct {
	password      *widget.Entry
	passwordLabel string
	message       *widget.Label
	test          *widget.Button
	send          *widget.Button
	busy          *widget.Activity
	results       *fyne.Container
	sendResult    *widget.Label
}

func (f *setupFlow) loginPage() fyne.CanvasObject {
	v := &f.lv
	*v = loginWidgets{}
	v.passwordLabel = f.passwordLabel()
	v.password = newPasswordEntry()
	v.password.SetText(f.password)
	v.password.OnChanged = func(s string) {
		if s != f.password {
			f.testedPassword = false
		}
		f.password = s
	}
	// Enter tests the login; once both logins worked, Enter goes on.
	v.password.OnSubmitted = func(string) {
		if f.testedPassword && f.loginsOK() {
			f.show(stepExport)
			return
		}
		f.testLogin()
	}
	if p := f.provider(); p != nil && p.HasAuth(providers.AuthCode) {
		v.password.SetPlaceHolder(lang.X("login.code.placeholder", "the code from your mailbox's web settings, not your account password"))
	}
	v.message = wrapLabel("")
	v.message.Importance = widget.WarningImportance
	v.message.Hide()
	v.test = widget.NewButtonWithIcon(lang.X("login.test", "Test login"), theme.LoginIcon(), f.testLogin)
	v.test.Importance = widget.HighImportance
	v.send = widget.NewButtonWithIcon(lang.X("login.send", "Send a test message"), theme.MailSendIcon(), f.sendTestMessage)
	v.busy = widget.NewActivity()
	v.busy.Hide()
	v.results = container.NewVBox()
	v.sendResult = wrapLabel("")
	v.sendResult.Hide()

	body := container.NewVBox(boldLabel(lang.X("login.title", "Test the login")))
	if p := f.provider(); p != nil && (p.HasAuth(providers.AuthCode) || p.HasAuth(providers.AuthAppPassword)) {
		if note := p.Note(f.u.lang); note != "" {
			body.Add(banner("warning", note))
		}
	}
	form := widget.NewForm(widget.NewFormItem(v.passwordLabel, v.password))
	body.Add(form)
	body.Add(wrapLabel(lang.X("login.explain", "mailsetup logs in on both servers to check the settings. The password is used only for this test and is never saved.")))
	body.Add(container.NewHBox(v.test, v.send, v.busy))
	body.Add(v.message)
	body.Add(v.results)
	body.Add(v.sendResult)
	if f.loggingIn || f.sending { // rebuilt (new language) while a test runs
		v.test.Disable()
		v.busy.Show()
		v.busy.Start()
	}
	f.renderLogins()
	f.renderSendTest()

	back := widget.NewButtonWithIcon(lang.X("login.back", "Back to the servers"), theme.NavigateBackIcon(), func() { f.show(stepServers) })
	next := widget.NewButtonWithIcon(lang.X("login.next", "Next: export"), theme.NavigateNextIcon(), func() { f.show(stepExport) })
	next.Importance = widget.HighImportance
	return page(body, back, next)
}

// passwordLabel names what to type: an authorization code for providers
// that require one (QQ's 授权码), an app password, or the password.
func (f *setupFlow) passwordLabel() string {
	if p := f.provider(); p != nil {
		switch {
		case p.HasAuth(providers.AuthCode):
			return lang.X("login.code", "Authorization code")
		case p.HasAuth(providers.AuthAppPassword):
			return lang.X("login.app_password", "App password")
		}
	}
	return lang.X("login.password", "Password")
}

// testLogin asks for every consent the servers need, then logs in on both.
func (f *setupFlow) testLogin() {
	v := &f.lv
	if f.loggingIn {
		return
	}
	if f.password == "" {
		v.message.SetText(lang.X("login.empty", "Type the {{.What}} first.", map[string]string{"What": v.passwordLabel}))
		v.message.Show()
		return
	}
	v.message.Hide()
	f.askConsents(f.runLogins)
}

// askConsents puts the engine's questions about the edited servers to the
// user, one at a time; done runs once every one was answered yes.
func (f *setupFlow) askConsents(done func()) {
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		missing := f.grants.Missing(f.report.Consents(role, f.server(role), f.u.settings.Trust))
		if len(missing) > 0 {
			c := missing[0]
			f.u.askConsent(c, func() { f.grant(c); f.askConsents(done) })
			return
		}
	}
	done()
}

// grant records a yes; a certificate is pinned in the settings instead.
func (f *setupFlow) grant(c assistant.Consent) {
	switch c.Kind {
	case assistant.ConsentPlaintext:
		f.grants.Plaintext.Allow(c.Server)
	case assistant.ConsentUntrustedSource:
		f.grants.UntrustedSource.Allow(c.Server)
	}
}

// server is the edited card of role.
func (f *setupFlow) server(role mailcfg.Role) mailcfg.Server {
	if role == mailcfg.Outgoing {
		return f.out
	}
	return f.in
}

// loginRequest is what the engine gets for a login or a send test: the
// edited servers and a copy of the grants.
func (f *setupFlow) loginRequest() assistant.LoginRequest {
	in, out := f.in, f.out
	return assistant.LoginRequest{Password: f.password, Incoming: &in, Outgoing: &out, Grants: f.grants.Clone()}
}

// runLogins tests both servers at once, off the UI goroutine; each
// outcome shows as soon as it is known.
func (f *setupFlow) runLogins() {
	u := f.u
	f.loggingIn = true
	f.logins = map[mailcfg.Role]*assistant.LoginOutcome{}
	f.loginReport = nil
	f.sendTest = nil
	f.renderLogins()
	f.renderSendTest()
	f.lv.test.Disable()
	f.lv.busy.Show()
	f.lv.busy.Start()
	f.testedPassword = true
	rep, q, s, run := *f.report, f.loginRequest(), u.engineSettings(), f.run
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.Timeout+searchGrace)
		defer cancel()
		login := u.eng.Check(ctx, &rep, q, s, func(ev assistant.Event) {
			if ev.Kind != assistant.LoginFinished || ev.Login == nil {
				return
			}
			u.do(func() {
				if f.run == run && f.loggingIn {
					f.logins[ev.Role] = ev.Login
					f.renderLogins()
				}
			})
		})
		u.do(func() {
			if f.run != run {
				return
			}
			f.loggingIn = false
			f.loginReport = login
			f.logins[mailcfg.Incoming], f.logins[mailcfg.Outgoing] = login.Incoming, login.Outgoing
			if f.step == stepLogin {
				f.lv.test.Enable()
				f.lv.busy.Stop()
				f.lv.busy.Hide()
			}
			f.renderLogins()
			// A server nobody probed showed a certificate that needs a yes.
			for _, o := range []*assistant.LoginOutcome{login.Incoming, login.Outgoing} {
				if o != nil && len(o.Needs) > 0 {
					c := o.Needs[0]
					f.u.askConsent(c, func() { f.grant(c); f.runLogins() })
					return
				}
			}
		})
	})
}

// loginsOK reports whether both logins worked.
func (f *setupFlow) loginsOK() bool {
	in, out := f.logins[mailcfg.Incoming], f.logins[mailcfg.Outgoing]
	return in != nil && in.OK && out != nil && out.OK
}

// renderLogins shows each login's outcome.
func (f *setupFlow) renderLogins() {
	v := &f.lv
	if v.results == nil || f.step != stepLogin {
		return
	}
	v.results.RemoveAll()
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		if o := f.logins[role]; o != nil {
			v.results.Add(loginOutcomeView(role, o))
		}
	}
	if f.loginsOK() && !f.sending {
		v.send.Enable()
	} else {
		v.send.Disable()
	}
}

// loginOutcomeView is one server's login result: tick or cross, who, how,
// how many messages, or what went wrong and what to do about it.
func loginOutcomeView(role mailcfg.Role, o *assistant.LoginOutcome) fyne.CanvasObject {
	title := boldLabel(fmt.Sprintf("%s · %s · %s", roleText(role), protocolText(o.Server.Protocol), o.Server.HostPort()))
	body := container.NewVBox(title)
	if o.OK {
		body.Add(wrapLabel(lang.X("login.ok", "Logged in as {{.User}} ({{.Mechanism}}).",
			map[string]string{"User": o.Username, "Mechanism": o.Mechanism})))
		if role == mailcfg.Incoming {
			body.Add(wrapLabel(lang.X("login.messages", "{{.N}} messages in the mailbox.", map[string]any{"N": o.Messages})))
		}
	} else {
		msg := o.ReasonText(currentLanguage())
		if o.AuthFailed {
			msg = lang.X("login.rejected", "The server rejected the username or the password.")
		}
		if o.Username != "" {
			msg += " " + lang.X("login.tried_as", "(tried as {{.User}})", map[string]string{"User": o.Username})
		}
		l := wrapLabel(msg)
		l.Importance = widget.DangerImportance
		body.Add(l)
		if o.Reply != "" {
			body.Add(selectable(lang.X("login.reply", "The server said: {{.Reply}}", map[string]string{"Reply": o.Reply})))
		}
		for _, h := range o.Hints {
			body.Add(hintView(h))
		}
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(okIcon(o.OK))), nil, body)
}

// sendTestMessage sends a message through the outgoing server and waits
// for it on the incoming one.
func (f *setupFlow) sendTestMessage() {
	if f.sending || !f.loginsOK() || f.loginReport == nil {
		return
	}
	u := f.u
	f.sending = true
	f.sendTest = nil
	f.renderSendTest()
	f.lv.send.Disable()
	f.lv.busy.Show()
	f.lv.busy.Start()
	// The logins already asked: the servers the user accepted there carry
	// the test message too.
	rep, q, s, run := *f.report, f.loginRequest(), u.engineSettings(), f.run
	rep.Login = f.loginReport
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.Timeout+sendTestWait)
		defer cancel()
		res := u.eng.SendTest(ctx, &rep, q, s)
		u.do(func() {
			if f.run != run {
				return
			}
			f.sending = false
			f.sendTest = res
			if f.step == stepLogin && !f.loggingIn {
				f.lv.test.Enable()
				f.lv.busy.Stop()
				f.lv.busy.Hide()
			}
			f.renderLogins()
			f.renderSendTest()
		})
	})
}

// sendTestWait bounds the wait for the test message beyond the timeout.
const sendTestWait = 45 * time.Second

// renderSendTest shows the outcome of the test message.
func (f *setupFlow) renderSendTest() {
	l := f.lv.sendResult
	if l == nil || f.step != stepLogin {
		return
	}
	r := f.sendTest
	switch {
	case f.sending:
		l.SetText(lang.X("send.running", "Sending a test message and waiting for it to arrive…"))
		l.Importance = widget.MediumImportance
	case r == nil:
		l.Hide()
		return
	case r.Arrived:
		l.SetText(lang.X("send.arrived", "The test message was sent and arrived ({{.S}} s). Sending and receiving both work.",
			map[string]any{"S": fmt.Sprintf("%.1f", float64(r.ElapsedMS)/1000)}))
		l.Importance = widget.SuccessImportance
	case r.Sent:
		l.SetText(lang.X("send.not_arrived", "The test message was sent but has not arrived: {{.Error}}", map[string]string{"Error": r.Error}))
		l.Importance = widget.WarningImportance
	default:
		l.SetText(lang.X("send.failed", "Sending the test message failed: {{.Error}}", map[string]string{"Error": r.Error}))
		l.Importance = widget.DangerImportance
	}
	l.Show()
	l.Refresh()
}
