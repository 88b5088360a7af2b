package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// startQQ types alice@qq.com, presses Enter, and lets the fake's events
// through while it holds the answer back.
func startQQ(t *testing.T) (*harness, *assistant.Report) {
	t.Helper()
	rep := qqReport()
	eng := &fakeEngine{report: rep, events: qqEvents(rep), gate: make(chan struct{}), started: make(chan struct{})}
	h := newHarness(t, eng)
	f := h.u.setup
	test.Type(f.address.address, "alice@qq.com")
	if f.address.find.Disabled() {
		t.Fatal("Find stays disabled for a valid address")
	}
	pressEnter(f.address.address)
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
	if got := len(f.search.list.rows); got != len(want) {
		t.Fatalf("%d rows, want %d", got, len(want))
	}
	for key, w := range want {
		r := f.search.list.rows[key]
		if r == nil {
			t.Errorf("no row for %s", key)
			continue
		}
		kind, icon := iconKind(r.icon.Resource)
		if kind != w.kind || (w.icon != "" && icon != w.icon) {
			t.Errorf("%s: icon %s/%s, want %s/%s", key, kind, icon, w.kind, w.icon)
		}
	}
	pending := f.search.list.rows["smtp://mail.qq.com:25/starttls"]
	if !strings.Contains(pending.detail.Text, "connecting") {
		t.Errorf("pending row says %q, want its phase", pending.detail.Text)
	}
	ok := f.search.list.rows["pop3://pop.qq.com:995/tls"]
	if !strings.Contains(ok.title.Text, "pop.qq.com:995") || !strings.Contains(ok.title.Text, "SSL/TLS") ||
		ok.latency.Text != "84 ms" {
		t.Errorf("ok row: title %q latency %q", ok.title.Text, ok.latency.Text)
	}
	bad := f.search.list.rows["imap://imap.qq.com:993/tls"]
	if !strings.Contains(bad.detail.Text, "certificate problem") || !strings.Contains(bad.detail.Text, "unknown authority") {
		t.Errorf("cert row reason %q", bad.detail.Text)
	}
	if !strings.Contains(f.search.list.rows["imap://imap.evil.test:993/tls"].detail.Text, "untrusted source") {
		t.Error("the untrusted candidate is not flagged")
	}
	if !h.shows("built-in table ✓") || !h.shows("educated guess …") {
		t.Errorf("sources line: %q", f.search.sources.Text)
	}

	close(h.eng.gate)
	h.settle()
	if f.step != stepServers {
		t.Fatalf("step = %d after the report, want the servers page", f.step)
	}
	// The final list shows the abandoned probe in grey.
	kind, _ := iconKind(f.servers.list.rows["smtp://mail.qq.com:25/starttls"].icon.Resource)
	if kind != "disabled" {
		t.Errorf("abandoned row icon %s, want disabled", kind)
	}
	if len(h.eng.discoveries) != 1 || h.eng.discoveries[0].Email != "alice@qq.com" || h.eng.discoveries[0].Protocol != mailcfg.POP3 ||
		h.eng.discoveries[0].Settings.Language != "en" {
		t.Errorf("discover requests %+v", h.eng.discoveries)
	}
	_ = rep
}

func TestCancelCancelsTheEngine(t *testing.T) {
	h, _ := startQQ(t)
	f := h.u.setup
	test.Tap(f.search.stop)
	h.settle()
	if h.eng.discoverCtx != context.Canceled {
		t.Errorf("the engine's context ended with %v, want context.Canceled", h.eng.discoverCtx)
	}
	if f.step != stepAddress || !f.address.notice.Visible() || !strings.Contains(f.address.notice.Text, "cancelled") {
		t.Errorf("step %d, notice %q", f.step, f.address.notice.Text)
	}
	if f.address.address.Text != "alice@qq.com" {
		t.Errorf("the address was lost: %q", f.address.address.Text)
	}
}

func TestSearchErrorReturnsToAddress(t *testing.T) {
	eng := &fakeEngine{err: context.DeadlineExceeded}
	h := newHarness(t, eng)
	test.Type(h.u.setup.address.address, "alice@example.com")
	test.Tap(h.u.setup.address.find)
	h.settle()
	if h.u.setup.step != stepAddress || !strings.Contains(h.u.setup.address.notice.Text, "failed") {
		t.Errorf("step %d, notice %q", h.u.setup.step, h.u.setup.address.notice.Text)
	}
}
