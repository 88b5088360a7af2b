package gui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mailsetup/oauth"
)

func init() {
	// Names and terms a Chinese sign-in page shows in Latin letters.
	for _, w := range []string{"ID", "OAuth2", "Google", "Gmail", "Microsoft", "Hotmail", "Yahoo", "AOL", "Mozilla", "POP/IMAP"} {
		technical[w] = true
	}
}

// Outlook.com takes no password: the login page offers the sign-in with
// Microsoft alone. Without a client ID nothing is sent and the page says
// what a client ID is, links to where one is registered and leads to
// Settings; with one set there, the sign-in opens the browser and both
// logins run with the token.
func TestSignInWithMicrosoftOnly(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	b := h.browser
	f := h.u.setup
	test.Type(f.address.address, "alice@outlook.com")
	if f.address.password.Visible() || !h.shows("takes no password: after the search, you sign in with Microsoft") {
		t.Errorf("the address page asks for a password for Outlook.com: %s", pageTexts(h))
	}
	toLoginWith(t, h, outlookReport())
	s := f.login
	if s.test.Visible() || h.shows("Password") || s.oa.button == nil || s.oa.button.Text != "Sign in with Microsoft" {
		t.Fatalf("login page: %s", pageTexts(h))
	}
	if s.oa.button.Importance != widget.HighImportance || s.focusTarget() != s.oa.button {
		t.Error("the sign-in is not the page's first action")
	}

	test.Tap(s.oa.button)
	h.settle()
	if len(h.eng.signIns) != 1 || h.eng.signIns[0].ClientID != "" || len(b.opened) != 0 || len(h.eng.logins) != 0 {
		t.Fatalf("without a client ID: sign-ins %+v, pages %v, logins %d", h.eng.signIns, b.opened, len(h.eng.logins))
	}
	if !s.oa.noClient.Visible() || !h.shows("needs a client ID, and none is set") || !h.shows("Nothing was sent") ||
		!h.shows("Register a client ID: entra.microsoft.com") {
		t.Errorf("no client ID: %s", pageTexts(h))
	}
	toSettings := findButton(s.oa.noClient, "Set the client ID in Settings")
	if toSettings == nil {
		t.Fatal("no way to Settings")
	}
	test.Tap(toSettings)
	if h.u.tabs.SelectedIndex() != tabSettings || h.u.win.Canvas().Focused() != h.u.settingsUI.clientIDs["microsoft"] {
		t.Fatalf("tab %d, focus %v", h.u.tabs.SelectedIndex(), h.u.win.Canvas().Focused())
	}
	test.Type(h.u.settingsUI.clientIDs["microsoft"], "my-registration")
	ids, err := oauth.LoadClientIDs(h.u.clientIDsPath)
	if err != nil || ids["microsoft"] != "my-registration" {
		t.Fatalf("saved client IDs %v (%v) in %s", ids, err, h.u.clientIDsPath)
	}

	h.u.tabs.SelectIndex(tabSetup)
	test.Tap(s.oa.button)
	h.settle()
	if len(h.eng.signIns) != 2 || h.eng.signIns[1].ClientID != "my-registration" || h.eng.signIns[1].IssuerURL != "" {
		t.Fatalf("sign-ins %+v", h.eng.signIns)
	}
	if len(b.opened) != 1 || !strings.Contains(b.opened[0], "client_id=my-registration") {
		t.Errorf("pages opened %v", b.opened)
	}
	if len(h.eng.logins) != 2 {
		t.Fatalf("%d logins after the sign-in", len(h.eng.logins))
	}
	for _, c := range h.eng.logins {
		if !c.oauth || c.password != "" {
			t.Errorf("login %+v: want the token, no password", c)
		}
	}
	if !h.shows("Signed in with Microsoft.") || !h.shows("Logged in as alice@outlook.com (XOAUTH2)") || s.send.Disabled() {
		t.Errorf("after the sign-in: %s", pageTexts(h))
	}
	// The test message goes with the same sign-in.
	if q := f.m.loginRequest(); q.OAuth == nil || q.Password != "" {
		t.Errorf("the send test would log in with %+v", q)
	}
	// Signing in again reuses the session of this discovery.
	test.Tap(s.oa.button)
	h.settle()
	if len(h.eng.signIns) != 2 || len(h.eng.logins) != 4 {
		t.Errorf("again: %d sign-ins, %d logins", len(h.eng.signIns), len(h.eng.logins))
	}
}

// Gmail takes both: the sign-in with Google comes first, the app password
// stays beside it, explained, and logs in with the password.
func TestGmailOffersSignInAndAppPassword(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	f := h.u.setup
	toLoginWith(t, h, gmailReport())
	s := f.login
	if s.oa.button == nil || s.oa.button.Text != "Sign in with Google" || !s.test.Visible() || s.passwordLabel != "App password" {
		t.Fatalf("login page: %s", pageTexts(h))
	}
	for _, want := range []string{"Or use App password instead", "still takes an app password in place of signing in"} {
		if !h.shows(want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	if s.focusTarget() != s.oa.button {
		t.Error("the sign-in with Google does not come first")
	}
	test.Type(s.password, testPassword)
	test.Tap(s.test)
	h.settle()
	if len(h.eng.signIns) != 0 || len(h.eng.logins) != 2 || h.eng.logins[0].oauth || h.eng.logins[0].password != testPassword {
		t.Errorf("app password: sign-ins %d, logins %+v", len(h.eng.signIns), h.eng.logins)
	}
}

// A provider the table does not know, whose servers take only tokens: the
// page asks for the sign-in service's address (and scopes), as
// --oauth-issuer and --oauth-scope do, and takes the client ID of "other
// sign-in services".
func TestUnknownIssuerIsAskedFor(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	if err := (oauth.ClientIDs{oauth.DefaultClientIDKey: "corp-mail"}).Save(h.u.clientIDsPath); err != nil {
		t.Fatal(err)
	}
	f := h.u.setup
	toLoginWith(t, h, tokenOnlyReport())
	s := f.login
	if s.oa.issuer == nil || s.test.Visible() || s.focusTarget() != s.oa.issuer || s.oa.button.Text != "Sign in" {
		t.Fatalf("login page: %s", pageTexts(h))
	}
	pressEnter(s.oa.issuer)
	h.settle()
	if len(h.eng.signIns) != 0 || !h.shows("Type the address of the sign-in service first.") {
		t.Errorf("no issuer: sign-ins %d, %s", len(h.eng.signIns), pageTexts(h))
	}
	test.Type(s.oa.issuer, "https://login.corp.example")
	test.Type(s.oa.scopes, "mail offline_access")
	pressEnter(s.oa.scopes)
	h.settle()
	if len(h.eng.signIns) != 1 {
		t.Fatalf("%d sign-ins", len(h.eng.signIns))
	}
	q := h.eng.signIns[0]
	if q.IssuerURL != "https://login.corp.example" || !slices.Equal(q.Scopes, []string{"mail", "offline_access"}) || q.ClientID != "corp-mail" {
		t.Errorf("sign-in request %+v", q)
	}
	if !h.shows("Signed in with login.corp.example.") || !f.m.loginsOK() {
		t.Errorf("after the sign-in: %s", pageTexts(h))
	}
	// Another service: the session is dropped, the next sign-in is new.
	test.Type(s.oa.issuer, "/other")
	if f.m.oauth != nil {
		t.Error("the session outlives a change of the sign-in service")
	}
}

// A sign-in that fails says why in the engine's words; the consent denied
// in the browser logs in nowhere.
func TestSignInFailureSaysWhy(t *testing.T) {
	h := newHarness(t, &fakeEngine{signInErr: oauth.ErrConsentDenied})
	if err := (oauth.ClientIDs{"microsoft": "x"}).Save(h.u.clientIDsPath); err != nil {
		t.Fatal(err)
	}
	toLoginWith(t, h, outlookReport())
	test.Tap(h.u.setup.login.oa.button)
	h.settle()
	if len(h.eng.logins) != 0 || !h.shows("The sign-in failed: the sign-in was refused: consent was not given") {
		t.Errorf("logins %d: %s", len(h.eng.logins), pageTexts(h))
	}
	if h.u.setup.login.oa.button.Disabled() {
		t.Error("the sign-in cannot be tried again")
	}
	h.eng.signInErr = errors.New("boom")
	test.Tap(h.u.setup.login.oa.button)
	h.settle()
	if !h.shows("The sign-in failed: the sign-in service is unreachable or answered with an error: boom") {
		t.Errorf("issuer error: %s", pageTexts(h))
	}
}

// Settings keep a client ID per issuer of the table and one for other
// services, in the file the command line reads, and show them again.
func TestClientIDSettings(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	h.u.tabs.SelectIndex(tabSettings)
	v := h.u.settingsUI
	for _, key := range []string{"microsoft", "google", "yahoo", "aol", oauth.DefaultClientIDKey} {
		if v.clientIDs[key] == nil {
			t.Fatalf("no field for %s", key)
		}
	}
	for _, want := range []string{"A client ID is the registration of a mail program", "mailsetup ships none",
		"Register a client ID: entra.microsoft.com", "Register a client ID: console.cloud.google.com", "Other sign-in services"} {
		if !h.shows(want) {
			t.Errorf("Settings do not show %q", want)
		}
	}
	test.Type(v.clientIDs["google"], "  g-123  ")
	test.Type(v.clientIDs[oauth.DefaultClientIDKey], "corp")
	ids, err := oauth.LoadClientIDs(h.u.clientIDsPath)
	if err != nil || ids["google"] != "g-123" || ids.For("aol") != "corp" {
		t.Fatalf("saved %v (%v)", ids, err)
	}
	if info, err := os.Stat(h.u.clientIDsPath); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the file: %v %v", info, err)
	}
	v.clientIDs["google"].SetText("")
	if ids, _ := oauth.LoadClientIDs(h.u.clientIDsPath); ids["google"] != "" {
		t.Errorf("an emptied field stays saved: %v", ids)
	}
	v.clientIDs["google"].SetText("g-456")
	h2 := newHarnessOn(t, h.app, &fakeEngine{})
	if got := h2.u.settingsUI.clientIDs["google"].Text; got != "g-456" {
		t.Errorf("read back %q", got)
	}
	if filepath.Base(h.u.clientIDsPath) != "oauth-clients.json" {
		t.Errorf("path %s", h.u.clientIDsPath)
	}
}

// The sign-in page and the client ID settings speak Chinese.
func TestSignInInChinese(t *testing.T) {
	for _, lang := range []string{"zh-Hans", "zh-Hant"} {
		t.Run(lang, func(t *testing.T) {
			t.Setenv("LANGUAGE", "en")
			a := test.NewTempApp(t)
			a.Preferences().SetString(prefLanguage, lang)
			h := newHarnessOn(t, a, &fakeEngine{})
			test.Type(h.u.setup.address.address, "alice@outlook.com")
			checkChinese(t, h, "address page")
			toLoginWith(t, h, gmailReport())
			test.Tap(h.u.setup.login.oa.button) // no client ID: the explanation
			h.settle()
			checkChinese(t, h, "login page")
			h.u.tabs.SelectIndex(tabSettings)
			checkChinese(t, h, "settings")
		})
	}
}

func checkChinese(t *testing.T, h *harness, where string) {
	t.Helper()
	for _, text := range texts(h.u.win.Content()) {
		if words := englishWords(text); len(words) > 0 {
			t.Errorf("%s: English %q in %q", where, words, text)
		}
	}
}

// The results that come in below the sign-in can be scrolled to: the
// page's scroller learns that its content grew.
func TestLoginPageScrollsToTheResults(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	h.u.win.Resize(fyne.NewSize(880, 660))
	if err := h.u.saveClientID(oauth.DefaultClientIDKey, "x"); err != nil {
		t.Fatal(err)
	}
	toLoginWith(t, h, tokenOnlyReport())
	s := h.u.setup.login
	test.Type(s.oa.issuer, "https://login.corp.example")
	test.Tap(s.oa.button)
	h.settle()
	scroll := findScroll(h.u.setup.body)
	bottom := s.results.Position().Y + s.results.MinSize().Height
	if scroll == nil || len(s.results.Objects) != 2 || scroll.Content.Size().Height < bottom {
		t.Errorf("the results end at %.0f, the scrollable content at %.0f", bottom, scroll.Content.Size().Height)
	}
}

// findScroll is the first scroller under o.
func findScroll(o fyne.CanvasObject) *container.Scroll {
	switch w := o.(type) {
	case *container.Scroll:
		return w
	case *fyne.Container:
		for _, c := range w.Objects {
			if s := findScroll(c); s != nil {
				return s
			}
		}
	}
	return nil
}
