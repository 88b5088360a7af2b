package gui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mailsetup/hints"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

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
	in, out := f.servers.in, f.servers.out
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
	if f.servers.warning == nil {
		t.Error("no banner for the warning hint")
	}
	if h.shows("No usable incoming server") || h.shows("No encrypted server answered") {
		t.Error("a complete, encrypted answer is reported as a problem")
	}

	// Typing a well-known port adopts its security.
	out.port.SetText("587")
	if out.security.Selected != "STARTTLS" || f.m.out.Security != mailcfg.STARTTLS || f.m.out.Port != 587 {
		t.Errorf("port 587: security %q, server %+v", out.security.Selected, f.m.out)
	}
	// Switching POP3 → IMAP moves the standard port along.
	in.protocol.SetSelectedIndex(1)
	if f.m.in.Protocol != mailcfg.IMAP || in.port.Text != "993" {
		t.Errorf("IMAP: server %+v, port field %q", f.m.in, in.port.Text)
	}
}

func TestWarningBannerForMissingAndInsecure(t *testing.T) {
	rep := qqReport()
	rep.Recommended.Outgoing = nil
	rep.Insecure = true
	rep.Provider = nil
	h := newHarness(t, &fakeEngine{report: rep})
	test.Type(h.u.setup.address.address, "bob@example.org")
	test.Tap(h.u.setup.address.find)
	h.settle()
	for _, s := range []string{"No usable outgoing server was found", "No encrypted server answered"} {
		if !h.shows(s) {
			t.Errorf("the banner does not say %q", s)
		}
	}
	if h.u.setup.servers.provider != nil {
		t.Error("a provider panel for an unknown provider")
	}
	if h.u.setup.servers.out.host.Text != "" || h.u.setup.servers.out.port.Text != "465" {
		t.Errorf("blank outgoing card: host %q port %q", h.u.setup.servers.out.host.Text, h.u.setup.servers.out.port.Text)
	}
	// Next refuses an incomplete card and says why.
	test.Tap(h.u.setup.servers.next)
	if h.u.setup.step != stepServers || !h.shows("Type the server's name") {
		t.Error("an empty outgoing host was accepted")
	}
}

func TestCertificateIsPinnedOnlyAfterConsent(t *testing.T) {
	h := toServers(t)
	f := h.u.setup
	bad := &f.m.report.Candidates[1]
	h.answer = false
	f.servers.use(bad)
	if len(h.asked) != 1 || h.asked[0] != "Trust this certificate?" {
		t.Fatalf("asked %v", h.asked)
	}
	if f.m.in.Host != "pop.qq.com" || len(h.u.settings.Trust) != 0 {
		t.Fatalf("declined certificate used anyway: %+v, trust %v", f.m.in, h.u.settings.Trust)
	}
	h.answer = true
	f.servers.use(bad)
	if f.m.in.Host != "imap.qq.com" || f.servers.in.host.Text != "imap.qq.com" {
		t.Errorf("accepted certificate's server not in the card: %+v", f.m.in)
	}
	if got := h.app.Preferences().StringList(prefTrust); !slices.Equal(got, []string{bad.TLS.SHA256}) {
		t.Errorf("pinned %v", got)
	}
	// Clients that can pin a certificate get its fingerprint.
	f.show(stepExport)
	selectFormat(t, f, "mutt")
	if !strings.Contains(mailcfg.NormalizeFingerprint(f.export.preview.Text), bad.TLS.SHA256) {
		t.Errorf("the mutt export does not name the pinned certificate:\n%s", f.export.preview.Text)
	}
	f.show(stepServers)

	// Logging in there needs no second question.
	h.asked = nil
	test.Tap(f.servers.next)
	test.Type(f.login.password, testPassword)
	test.Tap(f.login.test)
	h.settle()
	if len(h.asked) != 0 || len(h.eng.logins) != 2 {
		t.Errorf("asked %v, %d logins", h.asked, len(h.eng.logins))
	}
}
