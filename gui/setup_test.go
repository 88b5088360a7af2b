package gui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"mailsetup/assistant"
	"mailsetup/export"
	"mailsetup/hints"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

const testPassword = "s3cret-Passw0rd"

// pressEnter sends Return to a focusable widget, as the keyboard would.
func pressEnter(w fyne.Focusable) {
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// startQQ types alice@qq.com, presses Enter, and lets the fake's events
// through while it holds the answer back.
func startQQ(t *testing.T) (*harness, *assistant.Report) {
	t.Helper()
	rep := qqReport()
	eng := &fakeEngine{report: rep, events: qqEvents(rep), gate: make(chan struct{}), started: make(chan struct{})}
	h := newHarness(t, eng)
	f := h.u.setup
	test.Type(f.av.address, "alice@qq.com")
	if f.av.find.Disabled() {
		t.Fatal("Find stays disabled for a valid address")
	}
	pressEnter(f.av.address)
	<-eng.started
	h.drain()
	return h, rep
}

func TestSearchShowsCandidatesWithStatusIcons(t *testing.T) {
	h, rep := startQQ(t)
	f := h.u.setup
	if f.step != stepSearch {
		t.Fatalf("step = %d, want the search page", f.step)
	}
	want := map[string]struct{ kind, icon string }{
		"pop3://pop.qq.com:995/tls":       {"success", baseName(theme.ConfirmIcon())},
		"imap://imap.qq.com:993/tls":      {"error", baseName(theme.ErrorIcon())},
		"pop3://mail.qq.com:110/starttls": {"warning", baseName(theme.WarningIcon())},
		"imap://imap.evil.test:993/tls":   {"success", baseName(theme.ConfirmIcon())},
		"smtp://smtp.qq.com:465/tls":      {"success", baseName(theme.ConfirmIcon())},
		"smtp://mail.qq.com:25/starttls":  {"pending", ""},
	}
	if got := len(f.sv.list.rows); got != len(want) {
		t.Fatalf("%d rows, want %d", got, len(want))
	}
	for key, w := range want {
		r := f.sv.list.rows[key]
		if r == nil {
			t.Errorf("no row for %s", key)
			continue
		}
		kind, icon := iconKind(r.icon.Resource)
		if kind != w.kind || (w.icon != "" && icon != w.icon) {
			t.Errorf("%s: icon %s/%s, want %s/%s", key, kind, icon, w.kind, w.icon)
		}
	}
	pending := f.sv.list.rows["smtp://mail.qq.com:25/starttls"]
	if !strings.Contains(pending.detail.Text, "connecting") {
		t.Errorf("pending row says %q, want its phase", pending.detail.Text)
	}
	ok := f.sv.list.rows["pop3://pop.qq.com:995/tls"]
	if !strings.Contains(ok.title.Text, "pop.qq.com:995") || !strings.Contains(ok.title.Text, "SSL/TLS") ||
		ok.latency.Text != "84 ms" {
		t.Errorf("ok row: title %q latency %q", ok.title.Text, ok.latency.Text)
	}
	bad := f.sv.list.rows["imap://imap.qq.com:993/tls"]
	if !strings.Contains(bad.detail.Text, "certificate problem") || !strings.Contains(bad.detail.Text, "unknown authority") {
		t.Errorf("cert row reason %q", bad.detail.Text)
	}
	if !strings.Contains(f.sv.list.rows["imap://imap.evil.test:993/tls"].detail.Text, "untrusted source") {
		t.Error("the untrusted candidate is not flagged")
	}
	if !h.shows("built-in table ✓") || !h.shows("educated guess …") {
		t.Errorf("sources line: %q", f.sv.sources.Text)
	}

	close(h.eng.gate)
	h.settle()
	if f.step != stepServers {
		t.Fatalf("step = %d after the report, want the servers page", f.step)
	}
	// The final list shows the abandoned probe in grey.
	kind, _ := iconKind(f.rv.list.rows["smtp://mail.qq.com:25/starttls"].icon.Resource)
	if kind != "disabled" {
		t.Errorf("abandoned row icon %s, want disabled", kind)
	}
	if len(h.eng.discoveries) != 1 || h.eng.discoveries[0].Email != "alice@qq.com" || h.eng.discoveries[0].Protocol != mailcfg.POP3 ||
		h.eng.discoveries[0].Settings.Language != "en" {
		t.Errorf("discover requests %+v", h.eng.discoveries)
	}
	_ = rep
}

// toServers runs the QQ discovery to the servers page.
func toServers(t *testing.T) *harness {
	t.Helper()
	h, _ := startQQ(t)
	close(h.eng.gate)
	h.settle()
	return h
}

func TestServerCardsAndProviderNotes(t *testing.T) {
	h := toServers(t)
	f := h.u.setup
	in, out := f.rv.in, f.rv.out
	checks := []struct{ name, got, want string }{
		{"incoming protocol", in.protocol.Selected, "POP3"},
		{"incoming host", in.host.Text, "pop.qq.com"},
		{"incoming port", in.port.Text, "995"},
		{"incoming security", in.security.Selected, "SSL/TLS"},
		{"incoming username", in.user.Text, "alice@qq.com"},
		{"outgoing host", out.host.Text, "smtp.qq.com"},
		{"outgoing port", out.port.Text, "465"},
		{"outgoing security", out.security.Selected, "SSL/TLS"},
		{"outgoing username", out.user.Text, "alice@qq.com"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	qq := providers.ByID("qq")
	want := []string{qq.Note("en"), "This mailbox lives in the lab.", "QQ Mail help page",
		"imap.qq.com shows a certificate from an unknown authority"}
	for _, n := range hints.ProviderNotes(qq, "en") {
		want = append(want, n.Text)
	}
	for _, s := range want {
		if !h.shows(s) {
			t.Errorf("the servers page does not show %q", s)
		}
	}
	if h.shows("QQ Mail wants an authorization code") {
		t.Error("the report's copy of a provider note is shown beside the current one")
	}
	if f.rv.warning == nil {
		t.Error("no banner for the warning hint")
	}
	if h.shows("No usable incoming server") || h.shows("No encrypted server answered") {
		t.Error("a complete, encrypted answer is reported as a problem")
	}

	// Typing a well-known port adopts its security.
	out.port.SetText("587")
	if out.security.Selected != "STARTTLS" || f.out.Security != mailcfg.STARTTLS || f.out.Port != 587 {
		t.Errorf("port 587: security %q, server %+v", out.security.Selected, f.out)
	}
	// Switching POP3 → IMAP moves the standard port along.
	in.protocol.SetSelectedIndex(1)
	if f.in.Protocol != mailcfg.IMAP || in.port.Text != "993" {
		t.Errorf("IMAP: server %+v, port field %q", f.in, in.port.Text)
	}
}

func TestWarningBannerForMissingAndInsecure(t *testing.T) {
	rep := qqReport()
	rep.Recommended.Outgoing = nil
	rep.Insecure = true
	rep.Provider = nil
	h := newHarness(t, &fakeEngine{report: rep})
	test.Type(h.u.setup.av.address, "bob@example.org")
	test.Tap(h.u.setup.av.find)
	h.settle()
	for _, s := range []string{"No usable outgoing server was found", "No encrypted server answered"} {
		if !h.shows(s) {
			t.Errorf("the banner does not say %q", s)
		}
	}
	if h.u.setup.rv.provider != nil {
		t.Error("a provider panel for an unknown provider")
	}
	if h.u.setup.rv.out.host.Text != "" || h.u.setup.rv.out.port.Text != "465" {
		t.Errorf("blank outgoing card: host %q port %q", h.u.setup.rv.out.host.Text, h.u.setup.rv.out.port.Text)
	}
	// Next refuses an incomplete card and says why.
	test.Tap(h.u.setup.rv.next)
	if h.u.setup.step != stepServers || !h.shows("Type the server's name") {
		t.Error("an empty outgoing host was accepted")
	}
}

// toLogin runs the QQ discovery to the login page.
func toLogin(t *testing.T) *harness {
	t.Helper()
	h := toServers(t)
	pressEnter(h.u.setup.rv.in.host) // Enter on a card goes on
	if h.u.setup.step != stepLogin {
		t.Fatalf("step = %d, want the login page", h.u.setup.step)
	}
	return h
}

func TestLoginFailureShowsHint(t *testing.T) {
	h := toLogin(t)
	f := h.u.setup
	if f.lv.passwordLabel != "Authorization code" {
		t.Errorf("password label %q, want Authorization code for QQ", f.lv.passwordLabel)
	}
	h.eng.loginResult = map[string]assistant.LoginOutcome{
		"pop.qq.com": {OK: false, AuthFailed: true, Username: "alice@qq.com", Error: "authentication failed",
			Reply: "-ERR Please use the authorization code", Hints: []hints.Hint{{ID: "qq_auth_code", Severity: "error",
				Text: "Use the 16-letter authorization code from QQ Mail's settings, not your QQ password.",
				URL:  "https://service.mail.qq.com/"}}},
	}
	pressEnter(f.lv.password) // empty: says what to type, logs in nowhere
	if len(h.eng.logins) != 0 || !h.shows("Type the Authorization code first") {
		t.Errorf("empty password: %d logins, message %q", len(h.eng.logins), f.lv.message.Text)
	}
	test.Type(f.lv.password, testPassword)
	pressEnter(f.lv.password)
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
	if !f.lv.send.Disabled() {
		t.Error("Send test message is enabled after a failed login")
	}
	if len(h.asked) != 0 {
		t.Errorf("asked %v for trusted, encrypted servers", h.asked)
	}

	// Both fine: the test message can go.
	h.eng.loginResult = nil
	test.Tap(f.lv.test)
	h.settle()
	if f.lv.send.Disabled() {
		t.Fatal("Send test message stays disabled after both logins worked")
	}
	test.Tap(f.lv.send)
	h.settle()
	if !h.shows("The test message was sent and arrived") {
		t.Errorf("send test result %q", f.lv.sendResult.Text)
	}
	// Both worked with this password: Enter goes on to the export.
	pressEnter(f.lv.password)
	if f.step != stepExport {
		t.Errorf("Enter after good logins left the wizard on step %d", f.step)
	}
}

func TestCertificateIsPinnedOnlyAfterConsent(t *testing.T) {
	h := toServers(t)
	f := h.u.setup
	bad := &f.report.Candidates[1]
	h.answer = false
	f.useCandidate(bad)
	if len(h.asked) != 1 || h.asked[0] != "Trust this certificate?" {
		t.Fatalf("asked %v", h.asked)
	}
	if f.in.Host != "pop.qq.com" || len(h.u.settings.Trust) != 0 {
		t.Fatalf("declined certificate used anyway: %+v, trust %v", f.in, h.u.settings.Trust)
	}
	h.answer = true
	f.useCandidate(bad)
	if f.in.Host != "imap.qq.com" || f.rv.in.host.Text != "imap.qq.com" {
		t.Errorf("accepted certificate's server not in the card: %+v", f.in)
	}
	if got := h.app.Preferences().StringList(prefTrust); !slices.Equal(got, []string{bad.TLS.SHA256}) {
		t.Errorf("pinned %v", got)
	}
	// Clients that can pin a certificate get its fingerprint.
	f.show(stepExport)
	selectFormat(t, f, "mutt")
	if !strings.Contains(mailcfg.NormalizeFingerprint(f.ev.preview.Text), bad.TLS.SHA256) {
		t.Errorf("the mutt export does not name the pinned certificate:\n%s", f.ev.preview.Text)
	}
	f.show(stepServers)

	// Logging in there needs no second question.
	h.asked = nil
	test.Tap(f.rv.next)
	test.Type(f.lv.password, testPassword)
	test.Tap(f.lv.test)
	h.settle()
	if len(h.asked) != 0 || len(h.eng.logins) != 2 {
		t.Errorf("asked %v, %d logins", h.asked, len(h.eng.logins))
	}
}

func TestConsentBeforePasswordGoesToUntrustedOrPlainServers(t *testing.T) {
	h := toServers(t)
	f := h.u.setup
	f.useCandidate(&f.report.Candidates[3]) // imap.evil.test, named over plain HTTP
	f.rv.out.security.SetSelectedIndex(2)   // none
	test.Tap(f.rv.next)
	test.Type(f.lv.password, testPassword)

	h.answer = false
	test.Tap(f.lv.test)
	h.settle()
	if len(h.eng.logins) != 0 || len(h.asked) != 1 || h.asked[0] != "Send your password to this server?" {
		t.Fatalf("declined: asked %v, logins %d", h.asked, len(h.eng.logins))
	}

	h.answer, h.asked = true, nil
	test.Tap(f.lv.test)
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
	test.Tap(f.lv.test)
	h.settle()
	if len(h.asked) != 0 {
		t.Errorf("asked again: %v", h.asked)
	}
}

// toExport runs to the export page with the password typed.
func toExport(t *testing.T) *harness {
	t.Helper()
	h := toLogin(t)
	test.Type(h.u.setup.lv.password, testPassword)
	test.Tap(h.u.setup.lv.test)
	h.settle()
	h.u.setup.show(stepExport)
	return h
}

func selectFormat(t *testing.T, f *setupFlow, id string) export.Format {
	t.Helper()
	for i, fm := range f.ev.formats {
		if fm.ID == id {
			f.ev.client.SetSelectedIndex(i)
			return fm
		}
	}
	t.Fatalf("no format %s", id)
	return export.Format{}
}

func TestExportPreview(t *testing.T) {
	h := toExport(t)
	f := h.u.setup
	if f.ev.client.Selected != "Outlook (profile file, PRF)" || !f.ev.prfNote.Visible() ||
		!h.shows("An Outlook profile file carries no password; Outlook will ask for it.") {
		t.Errorf("default format %q, PRF note visible %v", f.ev.client.Selected, f.ev.prfNote.Visible())
	}
	for _, id := range []string{"outlook-prf", "thunderbird", "foxmail", "apple", "msmtp", "json"} {
		fm := selectFormat(t, f, id)
		p := f.ev.preview.Text
		for _, host := range []string{"pop.qq.com", "smtp.qq.com"} {
			if id != "msmtp" && !strings.Contains(p, host) {
				t.Errorf("%s preview lacks %s", id, host)
			}
		}
		if strings.Contains(p, testPassword) {
			t.Errorf("%s preview holds the password without the box ticked", id)
		}
		if f.ev.include.Disabled() == fm.CarriesPassword {
			t.Errorf("%s: include box disabled %v, format carries passwords %v", id, f.ev.include.Disabled(), fm.CarriesPassword)
		}
	}
	if !strings.Contains(f.ev.preview.Text, "smtp.qq.com") {
		t.Error("msmtp preview lacks the SMTP host")
	}

	// Ticked: only formats that can carry it get the password.
	f.ev.include.SetChecked(true)
	selectFormat(t, f, "json")
	if !strings.Contains(f.ev.preview.Text, testPassword) {
		t.Error("JSON preview lacks the password with the box ticked")
	}
	selectFormat(t, f, "outlook-prf")
	if strings.Contains(f.ev.preview.Text, testPassword) {
		t.Error("the PRF preview holds a password")
	}
	selectFormat(t, f, "json")
	f.ev.include.SetChecked(false)
	if strings.Contains(f.ev.preview.Text, testPassword) {
		t.Error("unticking leaves the password in the preview")
	}

	// The preview cannot be edited.
	before := f.ev.preview.Text
	test.Type(f.ev.preview, "x")
	f.ev.preview.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	f.ev.preview.TypedShortcut(&fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	if f.ev.preview.Text != before {
		t.Error("the preview was edited")
	}

	test.Tap(f.ev.copy)
	if got := h.app.Clipboard().Content(); !strings.Contains(got, "pop.qq.com") || strings.Contains(got, testPassword) {
		t.Errorf("clipboard %q", got)
	}
}

func TestInvalidAddressKeepsFindDisabled(t *testing.T) {
	eng := &fakeEngine{report: qqReport()}
	h := newHarness(t, eng)
	f := h.u.setup
	if !f.av.find.Disabled() {
		t.Error("Find is enabled with no address")
	}
	cases := []struct{ typed, says string }{
		{"alice", "needs an @"},
		{"@qq.com", "Something must come before the @"},
		{"alice@", "The domain is missing"},
		{"alice@localhost", "needs a dot"},
		{"al ice@qq.com", "not allowed"},
	}
	for _, c := range cases {
		f.av.address.SetText("")
		test.Type(f.av.address, c.typed)
		if !f.av.find.Disabled() {
			t.Errorf("%q: Find enabled", c.typed)
		}
		if !f.av.errText.Visible() || !strings.Contains(f.av.errText.Text, c.says) {
			t.Errorf("%q: error %q (visible %v), want %q", c.typed, f.av.errText.Text, f.av.errText.Visible(), c.says)
		}
		pressEnter(f.av.address)
		test.Tap(f.av.find)
	}
	h.settle()
	if len(eng.discoveries) != 0 || f.step != stepAddress {
		t.Errorf("an invalid address started %d searches", len(eng.discoveries))
	}
	f.av.address.SetText("")
	test.Type(f.av.address, "alice@qq.com")
	if f.av.find.Disabled() || f.av.errText.Visible() {
		t.Error("a valid address keeps the error")
	}
}

func TestIMAPChoiceHidesLeaveOnServer(t *testing.T) {
	eng := &fakeEngine{report: qqReport()}
	h := newHarness(t, eng)
	f := h.u.setup
	if f.av.protocol.Selected != "POP3" || !f.av.leave.Checked || !f.av.leave.Visible() {
		t.Fatalf("defaults: %q, leave %v", f.av.protocol.Selected, f.av.leave.Checked)
	}
	f.av.protocol.SetSelected("IMAP")
	if f.av.leave.Visible() {
		t.Error("leave-on-server shown for IMAP")
	}
	test.Type(f.av.address, "alice@qq.com")
	test.Tap(f.av.find)
	h.settle()
	if eng.discoveries[0].Protocol != mailcfg.IMAP {
		t.Errorf("asked for %s", eng.discoveries[0].Protocol)
	}
}

func TestCancelCancelsTheEngine(t *testing.T) {
	h, _ := startQQ(t)
	f := h.u.setup
	test.Tap(f.sv.cancel)
	h.settle()
	if h.eng.discoverCtx != context.Canceled {
		t.Errorf("the engine's context ended with %v, want context.Canceled", h.eng.discoverCtx)
	}
	if f.step != stepAddress || !f.av.notice.Visible() || !strings.Contains(f.av.notice.Text, "cancelled") {
		t.Errorf("step %d, notice %q", f.step, f.av.notice.Text)
	}
	if f.av.address.Text != "alice@qq.com" {
		t.Errorf("the address was lost: %q", f.av.address.Text)
	}
}

func TestSearchErrorReturnsToAddress(t *testing.T) {
	eng := &fakeEngine{err: context.DeadlineExceeded}
	h := newHarness(t, eng)
	test.Type(h.u.setup.av.address, "alice@example.com")
	test.Tap(h.u.setup.av.find)
	h.settle()
	if h.u.setup.step != stepAddress || !strings.Contains(h.u.setup.av.notice.Text, "failed") {
		t.Errorf("step %d, notice %q", h.u.setup.step, h.u.setup.av.notice.Text)
	}
}

func TestPanicInWorkerIsReported(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	h.u.background(func() { panic("boom") })
	h.settle() // the recovered panic becomes an error dialog, not a crash
	if len(h.u.win.Canvas().Overlays().List()) == 0 {
		t.Error("no dialog for the failed job")
	}
}
