package wine

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPaths(t *testing.T) {
	p := &Prefix{Dir: "/tmp/w/prefix"}
	for win, want := range map[string]string{
		`C:\users\alice\Documents\a.prf`: "/tmp/w/prefix/drive_c/users/alice/Documents/a.prf",
		`c:\windows`:                     "/tmp/w/prefix/drive_c/windows",
		`Z:\tmp\ca.pem`:                  "/tmp/ca.pem",
	} {
		if got, err := p.HostPath(win); err != nil || got != filepath.FromSlash(want) {
			t.Errorf("HostPath(%q) = %q, %v; want %q", win, got, err, want)
		}
	}
	for _, bad := range []string{`D:\x`, `relative\x`, `C:x`, ""} {
		if _, err := p.HostPath(bad); err == nil {
			t.Errorf("HostPath(%q) gave no error", bad)
		}
	}
	if got := WindowsPath("/tmp/bed/ca.pem"); got != `Z:\tmp\bed\ca.pem` {
		t.Errorf("WindowsPath = %q", got)
	}
}

// The prefix's programs never see the user's home, display or Wine settings.
func TestEnvironmentIsolated(t *testing.T) {
	t.Setenv("HOME", "/home/someone")
	t.Setenv("DISPLAY", ":7")
	t.Setenv("WINEPREFIX", "/home/someone/.wine")
	t.Setenv("XDG_DATA_HOME", "/home/someone/.local/share")
	env := environment("/tmp/w/prefix", "/tmp/w/home")
	seen := map[string]string{}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if old, dup := seen[name]; dup {
			t.Errorf("%s twice: %q and %q", name, old, value)
		}
		seen[name] = value
	}
	want := map[string]string{"HOME": "/tmp/w/home", "WINEPREFIX": "/tmp/w/prefix", "WINEDEBUG": "-all",
		"XDG_DATA_HOME": "/tmp/w/home/.local/share"}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("%s = %q, want %q", k, seen[k], v)
		}
	}
	if _, ok := seen["DISPLAY"]; ok {
		t.Error("DISPLAY passed on")
	}
	if !strings.Contains(seen["WINEDLLOVERRIDES"], "winemenubuilder.exe=d") {
		t.Errorf("WINEDLLOVERRIDES = %q: menu entries would reach the host", seen["WINEDLLOVERRIDES"])
	}
}
