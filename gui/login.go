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
	f.consent([]mailcfg.Server{f.in, f.out}, f.runLogins)
}

// consent walks the servers and asks what each needs before a password
// may go to it; done runs only when the user said yes to everything.
func (f *setupFlow) consent(servers []mailcfg.Server, done func()) {
	if len(servers) == 0 {
		done()
		return
	}
	srv, rest := servers[0], servers[1:]
	again := func() { f.consent(servers, done) }
	key := srv.Key()
	c := f.candidateFor(srv)
	switch {
	case c != nil && c.Status == mailcfg.StatusCertInvalid && !f.u.settings.trusts(c.TLS.SHA256):
		f.u.askTrustCertificate(c, again)
	case c != nil && !c.Trusted && !f.consentSource[key]:
		f.u.askUntrustedSource(c, func() { f.consentSource[key] = true; again() })
	case srv.Security == mailcfg.None && !f.consentPlain[key]:
		f.u.askPlaintext(srv, func() { f.consentPlain[key] = true; again() })
	default:
		f.consent(rest, done)
	}
}

// runLogins tests both servers at once, off the UI goroutine.
func (f *setupFlow) runLogins() {
	u := f.u
	f.loggingIn = true
	f.logins = map[mailcfg.Role]*assistant.LoginOutcome{}
	f.sendTest = nil
	f.renderLogins()
	f.renderSendTest()
	f.lv.test.Disable()
	f.lv.busy.Show()
	f.lv.busy.Start()
	pw, s := f.password, u.engineSettings()
	f.testedPassword = true
	provider := ""
	if f.report != nil && f.report.Provider != nil {
		provider = f.report.Provider.ID
	}
	run := f.run
	pending := 2
	for _, srv := range []mailcfg.Server{f.in, f.out} {
		role := srv.Role()
		allowPlain := f.consentPlain[srv.Key()]
		u.background(func() {
			ctx, cancel := context.WithTimeout(context.Background(), s.Timeout+searchGrace)
			defer cancel()
			out := u.eng.Login(ctx, srv, pw, provider, allowPlain, s)
			u.do(func() {
				if f.run != run {
					return
				}
				f.logins[role] = &out
				pending--
				if pending == 0 {
					f.loggingIn = false
					if f.step == stepLogin {
						f.lv.test.Enable()
						f.lv.busy.Stop()
						f.lv.busy.Hide()
					}
				}
				f.renderLogins()
			})
		})
	}
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
		msg := o.Error
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
	if f.sending || !f.loginsOK() {
		return
	}
	u := f.u
	f.sending = true
	f.sendTest = nil
	f.renderSendTest()
	f.lv.send.Disable()
	f.lv.busy.Show()
	f.lv.busy.Start()
	in, out := f.in, f.out
	in.Username, out.Username = f.logins[mailcfg.Incoming].Username, f.logins[mailcfg.Outgoing].Username
	email, pw, s, run := f.addr.ASCIIString(), f.password, u.engineSettings(), f.run
	// The logins already asked: a plain-text server the user accepted there
	// may carry the test message too.
	plainOK := f.consentPlain[in.Key()] || f.consentPlain[out.Key()]
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.Timeout+sendTestWait)
		defer cancel()
		res := u.eng.SendTest(ctx, email, in, out, pw, plainOK, s)
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
