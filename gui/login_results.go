package gui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// renderLogins shows each login's outcome.
func (s *loginScreen) renderLogins() {
	m := s.w.m
	if s.results == nil || s.w.step != stepLogin {
		return
	}
	s.results.RemoveAll()
	if m.logins != nil {
		for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
			if o := m.logins.Outcome(role); o != nil {
				s.results.Add(loginOutcomeView(role, o))
			}
		}
	}
	if m.loginsOK() && !s.loggingIn && !s.sending {
		s.send.Enable()
	} else {
		s.send.Disable()
	}
	s.grew()
}

// loginOutcomeView is one server's login result: tick or cross, who, how,
// how many messages, or what went wrong (the engine's reason, in the
// window's language) and what to do about it.
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
func (s *loginScreen) sendTestMessage() {
	u, m := s.w.u, s.w.m
	if s.sending || s.loggingIn || !m.loginsOK() {
		return
	}
	s.sending = true
	m.sendTest = nil
	s.renderSendTest()
	s.send.Disable()
	s.setBusy(true)
	// The logins already asked: the servers the user accepted there carry
	// the test message too.
	rep, q, set, run := *m.report, m.loginRequest(), u.engineSettings(), m.run
	rep.Login = m.logins
	u.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), set.Timeout+sendTestWait)
		defer cancel()
		res := u.eng.SendTest(ctx, &rep, q, set)
		u.do(func() {
			if m.run != run {
				return
			}
			s.sending = false
			m.sendTest = res
			if !s.loggingIn {
				s.setBusy(false)
			}
			s.renderLogins()
			s.renderSendTest()
		})
	})
}

// sendTestWait bounds the wait for the test message beyond the timeout.
const sendTestWait = 45 * time.Second

// renderSendTest shows the outcome of the test message.
func (s *loginScreen) renderSendTest() {
	l := s.sendResult
	if l == nil || s.w.step != stepLogin {
		return
	}
	r := s.w.m.sendTest
	switch {
	case s.sending:
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
	s.grew()
}
