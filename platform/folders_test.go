package platform

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestExportDirIsAnExistingFolder(t *testing.T) {
	dir, err := ExportDir()
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(dir) {
		t.Errorf("ExportDir() = %q, not absolute", dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("ExportDir() = %q: not a folder (%v)", dir, err)
	}
}

func TestExportDirIsHomeOutsideWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows uses Documents: folders_windows_test.go")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	if dir, err := ExportDir(); err != nil || dir != home {
		t.Errorf("ExportDir() = %q, %v; want %q", dir, err, home)
	}
}

func TestSettingsDirFollowsFyne(t *testing.T) {
	home := filepath.FromSlash("/home/alice")
	if runtime.GOOS == "windows" {
		home = `C:\Users\alice`
	}
	tests := []struct {
		goos string
		want string
	}{
		{"windows", filepath.Join(home, "AppData", "Roaming")},
		{"darwin", filepath.Join(home, "Library", "Preferences")},
	}
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	for _, tt := range tests {
		if got, err := fyneConfigRoot(tt.goos); err != nil || got != tt.want {
			t.Errorf("fyneConfigRoot(%s) = %q, %v; want %q", tt.goos, got, err, tt.want)
		}
	}
	if runtime.GOOS == "linux" {
		xdg := t.TempDir()
		t.Setenv("XDG_CONFIG_HOME", xdg)
		if got, err := SettingsDir("org.mailsetup.app"); err != nil || got != filepath.Join(xdg, "fyne", "org.mailsetup.app") {
			t.Errorf("SettingsDir with XDG_CONFIG_HOME = %q, %v", got, err)
		}
		t.Setenv("XDG_CONFIG_HOME", "")
		if got, err := SettingsFile("org.mailsetup.app"); err != nil || got != filepath.Join(home, ".config", "fyne", "org.mailsetup.app", "preferences.json") {
			t.Errorf("SettingsFile without XDG_CONFIG_HOME = %q, %v", got, err)
		}
	}
	if _, err := SettingsDir(""); err == nil {
		t.Error("SettingsDir(\"\") gave no error")
	}
}
