package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mailsetup/mailcfg"
)

func TestInvalidAddressKeepsFindDisabled(t *testing.T) {
	eng := &fakeEngine{report: qqReport()}
	h := newHarness(t, eng)
	f := h.u.setup
	if !f.address.find.Disabled() {
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
		f.address.address.SetText("")
		test.Type(f.address.address, c.typed)
		if !f.address.find.Disabled() {
			t.Errorf("%q: Find enabled", c.typed)
		}
		if !f.address.errText.Visible() || !strings.Contains(f.address.errText.Text, c.says) {
			t.Errorf("%q: error %q (visible %v), want %q", c.typed, f.address.errText.Text, f.address.errText.Visible(), c.says)
		}
		pressEnter(f.address.address)
		test.Tap(f.address.find)
	}
	h.settle()
	if len(eng.discoveries) != 0 || f.step != stepAddress {
		t.Errorf("an invalid address started %d searches", len(eng.discoveries))
	}
	f.address.address.SetText("")
	test.Type(f.address.address, "alice@qq.com")
	if f.address.find.Disabled() || f.address.errText.Visible() {
		t.Error("a valid address keeps the error")
	}
}

func TestIMAPChoiceHidesLeaveOnServer(t *testing.T) {
	eng := &fakeEngine{report: qqReport()}
	h := newHarness(t, eng)
	f := h.u.setup
	if f.address.protocol.Selected != "POP3" || !f.address.leave.Checked || !f.address.leave.Visible() {
		t.Fatalf("defaults: %q, leave %v", f.address.protocol.Selected, f.address.leave.Checked)
	}
	f.address.protocol.SetSelected("IMAP")
	if f.address.leave.Visible() {
		t.Error("leave-on-server shown for IMAP")
	}
	test.Type(f.address.address, "alice@qq.com")
	test.Tap(f.address.find)
	h.settle()
	if eng.discoveries[0].Protocol != mailcfg.IMAP {
		t.Errorf("asked for %s", eng.discoveries[0].Protocol)
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
