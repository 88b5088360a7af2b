package gui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/mailcfg"
)

// applyUntil applies the queued UI updates one at a time until done says
// so, once every background job has ended: the test sees the window as it
// was between two updates.
func (h *harness) applyUntil(done func() bool) {
	h.t.Helper()
	h.u.work.Wait()
	for !done() {
		h.mu.Lock()
		if len(h.queue) == 0 {
			h.mu.Unlock()
			h.t.Fatal("the window's updates ran out before the state looked for")
		}
		f := h.queue[0]
		h.queue = h.queue[1:]
		h.mu.Unlock()
		f()
	}
}

// The first screen asks for the password, optionally, in the provider's
// words: QQ's authorization code, Gmail's app password.
func TestAddressPageAsksForThePasswordUpFront(t *testing.T) {
	h := newHarness(t, &fakeEngine{report: qqReport()})
	a := h.u.setup.address
	cases := []struct{ email, label, says string }{
		{"", "Password (optional)", "Type it now and the login is tested the moment each server is found"},
		{"alice@example.test", "Password (optional)", "leave it empty and type it later"},
		{"alice@qq.com", "Authorization code (optional)", "never saved"},
		{"alice@gmail.com", "App password (optional)", "never saved"},
	}
	for _, c := range cases {
		a.address.SetText(c.email)
		if a.passwordItem.Text != c.label || !a.password.Visible() || !h.shows(c.says) {
			t.Errorf("%q: label %q, field shown %v: %s", c.email, a.passwordItem.Text, a.password.Visible(), pageTexts(h))
		}
	}
	// Leaving it empty changes nothing: the search only discovers.
	a.address.SetText("alice@qq.com")
	pressEnter(a.address)
	h.settle()
	if len(h.eng.discoveries) != 1 || len(h.eng.early) != 0 || h.u.setup.step != stepServers {
		t.Errorf("without a password: %d discoveries, %d with logins, step %d", len(h.eng.discoveries), len(h.eng.early), h.u.setup.step)
	}
}

// With the password up front the search logs in as each role settles: the
// search page shows each login as it comes, then the login page shows the
// results, the password in its field.
func TestPasswordUpFrontLogsInDuringTheSearch(t *testing.T) {
	rep := qqReport()
	eng := &fakeEngine{report: rep, events: qqEvents(rep), gate: make(chan struct{}), started: make(chan struct{})}
	h := newHarness(t, eng)
	f := h.u.setup
	test.Type(f.address.address, "alice@qq.com")
	test.Type(f.address.password, testPassword)
	pressEnter(f.address.password)
	<-eng.started
	h.drain()
	if len(eng.early) != 1 || eng.early[0].Password != testPassword || eng.early[0].Incoming != nil || eng.early[0].OAuth != nil {
		t.Fatalf("logins asked of the search: %+v", eng.early)
	}
	if !h.shows("mailsetup logs in on it with your password") {
		t.Errorf("the search page does not say the password goes out: %s", pageTexts(h))
	}
	close(eng.gate)
	h.applyUntil(func() bool { return f.search.live.logins[mailcfg.Incoming] != nil })
	if f.step != stepSearch || !h.shows("Incoming · pop.qq.com:995: logged in as alice@qq.com (PLAIN)") {
		t.Errorf("the first login is not on the search page: %s", pageTexts(h))
	}
	h.applyUntil(func() bool { return f.search.live.logins[mailcfg.Outgoing] != nil })
	if !h.shows("Outgoing · smtp.qq.com:465: logged in as alice@qq.com (PLAIN)") {
		t.Errorf("the second login is not on the search page: %s", pageTexts(h))
	}
	h.settle()
	if f.step != stepLogin {
		t.Fatalf("step %d after the search, want the login page", f.step)
	}
	if f.login.password.Text != testPassword || !h.shows("Logged in as alice@qq.com (PLAIN)") || f.login.send.Disabled() {
		t.Errorf("login page: password %q, %s", f.login.password.Text, pageTexts(h))
	}
	if len(eng.logins) != 2 || len(h.asked) != 0 {
		t.Errorf("%d logins, asked %v", len(eng.logins), h.asked)
	}
	// Enter goes on: both logins worked with this password.
	pressEnter(f.login.password)
	if f.step != stepExport {
		t.Errorf("step %d after Enter", f.step)
	}
}

// A wrong password up front: the login page says so; the password typed
// there logs in anew (the search's connections are gone by then).
func TestPasswordUpFrontRejected(t *testing.T) {
	rep := qqReport()
	eng := &fakeEngine{report: rep, loginResult: map[string]assistant.LoginOutcome{
		"pop.qq.com": {AuthFailed: true, Username: "alice@qq.com", Error: "rejected", Reply: "-ERR Login fail", Hints: []hints.Hint{}}}}
	h := newHarness(t, eng)
	f := h.u.setup
	test.Type(f.address.address, "alice@qq.com")
	test.Type(f.address.password, "wrong")
	pressEnter(f.address.address)
	h.settle()
	if f.step != stepLogin || !h.shows("The server rejected the username or the password") {
		t.Fatalf("step %d: %s", f.step, pageTexts(h))
	}
	eng.loginResult = nil
	f.login.password.SetText("")
	test.Type(f.login.password, testPassword)
	pressEnter(f.login.password)
	h.settle()
	if len(eng.logins) != 4 || eng.logins[2].password != testPassword || !f.m.loginsOK() {
		t.Errorf("logins %+v", eng.logins)
	}
}

// A server that needs a consent gets no password up front: the login page
// asks, as it does for a password typed there, then logs in anew.
func TestPasswordUpFrontAsksConsentThenLogsIn(t *testing.T) {
	rep := qqReport()
	plain := mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.qq.com", Port: 110, Security: mailcfg.None, Username: "alice@qq.com"}
	rep.Recommended.Incoming = &plain
	eng := &fakeEngine{report: rep}
	h := newHarness(t, eng)
	f := h.u.setup
	test.Type(f.address.address, "alice@qq.com")
	test.Type(f.address.password, testPassword)
	pressEnter(f.address.address)
	h.settle()
	if f.step != stepLogin || !slices.Equal(h.asked, []string{"Send your password unencrypted?"}) {
		t.Fatalf("step %d, asked %v", f.step, h.asked)
	}
	// The search logged in on the outgoing server only; the login page on both.
	if len(eng.logins) != 3 || eng.logins[0].srv.Host != "smtp.qq.com" || !eng.logins[1].allowInsecure && !eng.logins[2].allowInsecure {
		t.Errorf("logins %+v", eng.logins)
	}
	if !f.m.loginsOK() {
		t.Errorf("after the consent: %s", pageTexts(h))
	}
}

// A role without a server: the search lands on the servers page, where
// the card is to be filled in.
func TestPasswordUpFrontIncomplete(t *testing.T) {
	rep := qqReport()
	rep.Recommended.Outgoing = nil
	h := newHarness(t, &fakeEngine{report: rep})
	f := h.u.setup
	test.Type(f.address.address, "alice@qq.com")
	test.Type(f.address.password, testPassword)
	pressEnter(f.address.address)
	h.settle()
	if f.step != stepServers || f.m.logins == nil || f.m.logins.Incoming == nil || !f.m.logins.Incoming.OK {
		t.Errorf("step %d, logins %+v", f.step, f.m.logins)
	}
}

// No password goes up front for a provider that takes none, even one typed
// before the address changed.
func TestNoPasswordUpFrontForOAuthOnly(t *testing.T) {
	h := newHarness(t, &fakeEngine{report: outlookReport()})
	f := h.u.setup
	test.Type(f.address.address, "alice@example.test")
	test.Type(f.address.password, testPassword)
	f.address.address.SetText("alice@outlook.com")
	if f.address.password.Visible() {
		t.Error("the field stays for Outlook.com")
	}
	pressEnter(f.address.address)
	h.settle()
	if len(h.eng.early) != 0 || len(h.eng.discoveries) != 1 || len(h.eng.logins) != 0 {
		t.Errorf("searches with logins %d, logins %d", len(h.eng.early), len(h.eng.logins))
	}
}

// A domain found to be Outlook's only by the search (its MX): the password
// up front went nowhere, and the login page offers the sign-in alone,
// with no failed logins before it.
func TestPasswordUpFrontMeetsOAuthOnly(t *testing.T) {
	rep := outlookReport()
	rep.Email = "alice@contoso.example"
	h := newHarness(t, &fakeEngine{report: rep, loginResult: map[string]assistant.LoginOutcome{}})
	f := h.u.setup
	test.Type(f.address.address, rep.Email)
	test.Type(f.address.password, testPassword)
	pressEnter(f.address.address)
	h.settle()
	if len(h.eng.early) != 1 || f.step != stepLogin || f.m.logins != nil || f.login.oa.button == nil || f.login.test.Visible() {
		t.Errorf("step %d, logins %+v: %s", f.step, f.m.logins, pageTexts(h))
	}
}

// signInWaiting takes h to the login page of an Outlook.com address with a
// client ID saved and taps Sign in; the browser never comes back.
func signInWaiting(t *testing.T, h *harness) {
	t.Helper()
	if err := h.u.saveClientID("microsoft", "x"); err != nil {
		t.Fatal(err)
	}
	toLoginWith(t, h, outlookReport())
	waiting := make(chan struct{})
	h.u.openBrowser = func(ctx context.Context, _ string) error {
		close(waiting)
		<-ctx.Done() // the user never finishes
		return ctx.Err()
	}
	test.Tap(h.u.setup.login.oa.button)
	<-waiting
	h.drain()
}

// A new search ends a sign-in still waiting for the browser.
func TestNewSearchCancelsTheSignIn(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	signInWaiting(t, h)
	f := h.u.setup
	if !f.login.oa.signingIn || !f.login.oa.stop.Visible() || !h.shows("Waiting for you to sign in with Microsoft in your browser") {
		t.Fatalf("while waiting: %s", pageTexts(h))
	}
	f.show(stepAddress)
	pressEnter(f.address.address)
	h.settle()
	if f.login.oa.signingIn || len(h.eng.logins) != 0 {
		t.Errorf("the sign-in outlived the new search (signing in %v, logins %d)", f.login.oa.signingIn, len(h.eng.logins))
	}
	test.Tap(f.servers.next)
	if f.login.oa.button.Disabled() {
		t.Error("the sign-in cannot start again")
	}
}

// Cancel stops waiting for the browser and says so.
func TestCancelTheSignIn(t *testing.T) {
	h := newHarness(t, &fakeEngine{signInErr: context.Canceled})
	signInWaiting(t, h)
	s := h.u.setup.login
	test.Tap(s.oa.stop)
	h.settle()
	if s.oa.signingIn || s.oa.stop.Visible() || !h.shows("Sign-in cancelled.") || len(h.eng.logins) != 0 {
		t.Errorf("after Cancel: %s", pageTexts(h))
	}
}
