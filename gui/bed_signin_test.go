package gui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mailsetup/assistant"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
	"mailsetup/oauth"
)

// TestWindowOnTheBed drives the window on the real engine against the
// test bed: the OAuth2 sign-in through the bed's authorization server to
// XOAUTH2/OAUTHBEARER logins on its dovecot, and the password up front,
// each role logged in as it settles.
func TestWindowOnTheBed(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the test bed")
	}
	bed := testbed.Start(t)
	std := bed.Standard(t)
	wire := func(o *assistant.Options) error {
		o.Dialer = bed.Dialer()
		o.CAFile = bed.CAFile
		return nil
	}
	window := func(t *testing.T) *harness {
		t.Setenv("LANGUAGE", "en")
		a := test.NewTempApp(t)
		prefs := a.Preferences()
		prefs.SetString(prefLanguage, "en")
		prefs.SetString(prefDNS, bed.DNSAddr)
		prefs.SetBool(prefOffline, true)
		prefs.SetInt(prefTimeout, 15)
		return newHarnessEngine(t, a, NewEngine(wire))
	}
	// search types the address (and a password up front), and waits for
	// the search to end.
	search := func(t *testing.T, h *harness, email, password string) {
		t.Helper()
		w := h.u.setup
		test.Type(w.address.address, email)
		if password != "" {
			test.Type(w.address.password, password)
		}
		pressEnter(w.address.address)
		waitWhile(h, func() bool { return w.step == stepSearch })
	}

	t.Run("OAuth2 sign-in", func(t *testing.T) {
		sc := std.OAuth
		h := window(t)
		h.u.openBrowser = sc.OAuth.Browser(sc.Email, sc.Password, testbed.Allow, nil)
		w := h.u.setup
		search(t, h, sc.Email, "")
		if w.step != stepServers {
			t.Fatalf("step %d after the search, notice %q", w.step, w.m.notice)
		}
		test.Tap(w.servers.next)
		s := w.login
		if w.step != stepLogin || !s.ways.OAuth2 || !s.ways.AskIssuer || s.oa.issuer == nil {
			t.Fatalf("login page offers %+v: %s", s.ways, pageTexts(h))
		}
		test.Type(s.oa.issuer, sc.OAuth.Issuer)
		test.Type(s.oa.scopes, strings.Join(testbed.OAuthScopes, " "))
		// Without a client ID nothing goes to the issuer, not even a
		// request for its metadata.
		before := len(sc.OAuth.Requests())
		test.Tap(s.oa.button)
		waitWhile(h, func() bool { return s.oa.signingIn })
		if asked := sc.OAuth.Requests()[before:]; len(asked) != 0 || !s.oa.noClient.Visible() {
			t.Fatalf("without a client ID the issuer was asked %v; %s", asked, pageTexts(h))
		}
		// The client ID, as the user sets it for "other sign-in services".
		h.u.tabs.SelectIndex(tabSettings)
		test.Type(h.u.settingsUI.clientIDs[oauth.DefaultClientIDKey], testbed.OAuthClientID)
		h.u.tabs.SelectIndex(tabSetup)
		test.Tap(s.oa.button)
		waitWhile(h, func() bool { return s.oa.signingIn || s.loggingIn })
		if err := sc.OAuth.BrowserErr(); err != nil {
			t.Fatalf("the browser: %v", err)
		}
		logins := w.m.logins
		if logins == nil || !logins.OK() {
			t.Fatalf("logins %+v: %s", logins, pageTexts(h))
		}
		for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
			o := logins.Outcome(role)
			if o.Method != assistant.MethodOAuth2 || (o.Mechanism != "XOAUTH2" && o.Mechanism != "OAUTHBEARER") {
				t.Errorf("%s: method %s, mechanism %s", role, o.Method, o.Mechanism)
			}
		}
		if !h.shows("Signed in with auth.oauth.test.") {
			t.Errorf("page: %s", pageTexts(h))
		}
		// The token appears nowhere on the page.
		for _, tok := range sc.OAuth.IssuedTokens() {
			for _, text := range texts(h.u.win.Content()) {
				if strings.Contains(text, tok) {
					t.Errorf("the page shows a token in %q", text)
				}
			}
		}
	})

	t.Run("password up front", func(t *testing.T) {
		sc := std.SRV
		h := window(t)
		w := h.u.setup
		search(t, h, sc.Email, sc.Password)
		if w.step != stepLogin {
			t.Fatalf("step %d after the search, notice %q: %s", w.step, w.m.notice, pageTexts(h))
		}
		if !w.m.loginsOK() || w.login.password.Text != sc.Password {
			t.Fatalf("logins %+v", w.m.logins)
		}
		for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
			if o := w.search.live.logins[role]; o == nil || !o.OK {
				t.Errorf("the search page did not show the %s login: %+v", role, o)
			}
		}
		if in := w.m.logins.Incoming.Server; in.Host != sc.Incoming.Host || in.Port != sc.Incoming.Port {
			t.Errorf("logged in on %s, want %s", in.HostPort(), sc.Incoming.HostPort())
		}
	})

	t.Run("wrong password up front, the right one later", func(t *testing.T) {
		sc := std.SRV
		h := window(t)
		w := h.u.setup
		search(t, h, sc.Email, "not-"+sc.Password)
		if w.step != stepLogin || w.m.logins == nil || !w.m.logins.AuthFailed() {
			t.Fatalf("step %d, logins %+v", w.step, w.m.logins)
		}
		// Typed later: the search's connections are closed, the login connects anew.
		w.login.password.SetText(sc.Password)
		test.Tap(w.login.test)
		waitWhile(h, func() bool { return w.login.loggingIn })
		if !w.m.loginsOK() {
			t.Errorf("logins %+v", w.m.logins)
		}
	})

	t.Run("plain text asks first", func(t *testing.T) {
		sc := std.Plain
		h := window(t)
		w := h.u.setup
		search(t, h, sc.Email, sc.Password)
		waitWhile(h, func() bool { return w.login.loggingIn })
		if w.step != stepLogin || !slices.Equal(h.asked, []string{"Send your password unencrypted?", "Send your password unencrypted?"}) {
			t.Fatalf("step %d, asked %v", w.step, h.asked)
		}
		if !w.m.loginsOK() {
			t.Errorf("after the consents: %+v", w.m.logins)
		}
	})
}

// waitWhile lets the window's work run until busy says it is done.
func waitWhile(h *harness, busy func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		h.settle()
		if !busy() {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatal("the window is still busy after two minutes")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
