package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/mailcfg"
)

// toLogin runs the QQ discovery to the login page.
func toLogin(t *testing.T) *harness {
	t.Helper()
	h := toServers(t)
	pressEnter(h.u.setup.servers.in.host) // Enter on a card goes on
	if h.u.setup.step != stepLogin {
		t.Fatalf("step = %d, want the login page", h.u.setup.step)
	}
	return h
}

func TestLoginFailureShowsHint(t *testing.T) {
	h := toLogin(t)
	f := h.u.setup
	if f.login.passwordLabel != "Authorization code" {
		t.Errorf("password label %q, want Authorization code for QQ", f.login.passwordLabel)
	}
	h.eng.loginResult = map[string]assistant.LoginOutcome{
		"pop.qq.com": {OK: false, AuthFailed: true, Username: "alice@qq.com", Error: "authentication failed",
			Reply: "-ERR Please use the authorization code", Hints: []hints.Hint{{ID: "qq_auth_code", Severity: "error",
				Text: "Use the 16-letter authorization code from QQ Mail's settings, not your QQ password.",
				URL:  "https://service.mail.qq.com/"}}},
	}
	pressEnter(f.login.password) // empty: says what to type, logs in nowhere
	if len(h.eng.logins) != 0 || !h.shows("Type the Authorization code first") {
		t.Errorf("empty password: %d logins, message %q", len(h.eng.logins), f.login.message.Text)
	}
	test.Type(f.login.password, testPassword)
	pressEnter(f.login.password)
	h.settle()
	if len(h.eng.logins) != 2 {
		t.Fatalf("%d logins, want 2", len(h.eng.logins))
	}
	for _, c := range h.eng.logins {
		if c.password != testPassword || c.allowInsecure {
			t.Errorf("login %+v", c)
		}
	}
	for _, s := range []string{"Use the 16-letter authorization code", "The server rejected the username or the password",
		"-ERR Please use the authorization code", "Logged in as alice@qq.com (PLAIN)"} {
		if !h.shows(s) {
			t.Errorf("login results do not show %q", s)
		}
	}
	if !f.login.send.Disabled() {
		t.Error("Send test message is enabled after a failed login")
	}
	if len(h.asked) != 0 {
		t.Errorf("asked %v for trusted, encrypted servers", h.asked)
	}

	// Both fine: the test message can go.
	h.eng.loginResult = nil
	test.Tap(f.login.test)
	h.settle()
	if f.login.send.Disabled() {
		t.Fatal("Send test message stays disabled after both logins worked")
	}
	test.Tap(f.login.send)
	h.settle()
	if !h.shows("The test message was sent and arrived") {
		t.Errorf("send test result %q", f.login.sendResult.Text)
	}
	// Both worked with this password: Enter goes on to the export.
	pressEnter(f.login.password)
	if f.step != stepExport {
		t.Errorf("Enter after good logins left the wizard on step %d", f.step)
	}
}

func TestConsentBeforePasswordGoesToUntrustedOrPlainServers(t *testing.T) {
	h := toServers(t)
	f := h.u.setup
	f.servers.use(&f.m.report.Candidates[3])   // imap.evil.test, named over plain HTTP
	f.servers.out.security.SetSelectedIndex(2) // none
	test.Tap(f.servers.next)
	test.Type(f.login.password, testPassword)

	h.answer = false
	test.Tap(f.login.test)
	h.settle()
	if len(h.eng.logins) != 0 || len(h.asked) != 1 || h.asked[0] != "Send your password to this server?" {
		t.Fatalf("declined: asked %v, logins %d", h.asked, len(h.eng.logins))
	}

	h.answer, h.asked = true, nil
	test.Tap(f.login.test)
	h.settle()
	if !slices.Equal(h.asked, []string{"Send your password to this server?", "Send your password unencrypted?"}) {
		t.Errorf("asked %v", h.asked)
	}
	if len(h.eng.logins) != 2 {
		t.Fatalf("%d logins", len(h.eng.logins))
	}
	for _, c := range h.eng.logins {
		if want := c.srv.Security == mailcfg.None; c.allowInsecure != want {
			t.Errorf("%s: allowInsecure %v", c.srv, c.allowInsecure)
		}
	}
	// Consent is remembered for the session.
	h.asked = nil
	test.Tap(f.login.test)
	h.settle()
	if len(h.asked) != 0 {
		t.Errorf("asked again: %v", h.asked)
	}
}
