package gui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestSettingsPersist(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	v := h.u.settingsUI
	test.Type(v.dns, "127.0.0.1:5353")
	v.timeout.SetSelectedIndex(3) // 60 s
	v.online.SetChecked(false)
	test.Type(v.socks, "[::1]:1080")
	h.u.settings.Trust = []string{"ab12"}
	h.u.saveSettings()

	// A broken value is refused with a message and not stored.
	v.socks.SetText("localhost")
	if !v.socksErr.Visible() {
		t.Error("no error for a proxy without a port")
	}
	if got := h.app.Preferences().String(prefSOCKS5); got != "[::1]:1080" {
		t.Errorf("stored proxy %q", got)
	}
	v.socks.SetText("[::1]:1080")
	if v.socksErr.Visible() {
		t.Error("error stays for a valid proxy")
	}

	// Rebuild the window on the same app: the settings are read back.
	h2 := newHarnessOn(t, h.app, &fakeEngine{})
	s := h2.u.settings
	want := Settings{Language: "en", DNS: "127.0.0.1:5353", Timeout: 60 * time.Second, Offline: true, SOCKS5: "[::1]:1080", Trust: []string{"ab12"}}
	if s.Language != want.Language || s.DNS != want.DNS || s.Timeout != want.Timeout || s.Offline != want.Offline ||
		s.SOCKS5 != want.SOCKS5 || !slices.Equal(s.Trust, want.Trust) {
		t.Errorf("read back %+v, want %+v", s, want)
	}
	v2 := h2.u.settingsUI
	if v2.dns.Text != "127.0.0.1:5353" || v2.timeout.Selected != "60 seconds" || v2.online.Checked || v2.socks.Text != "[::1]:1080" {
		t.Errorf("widgets show %q %q %v %q", v2.dns.Text, v2.timeout.Selected, v2.online.Checked, v2.socks.Text)
	}
	h2.u.tabs.SelectIndex(tabSettings)
	if !h2.shows("ab12") {
		t.Error("the pinned fingerprint is not listed")
	}
}

func TestValidHostPort(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"127.0.0.1:53", true}, {"dns.example:5353", true}, {"[::1]:1080", true},
		{"127.0.0.1", false}, {":53", false}, {"host:0", false}, {"host:65536", false}, {"host:x", false}, {"a b:53", false},
	} {
		if err := validHostPort(c.in); (err == nil) != c.ok {
			t.Errorf("validHostPort(%q) = %v", c.in, err)
		}
	}
}
