package platform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These run on Windows, and in make test under Wine (MAILSETUP_WINE=1, set
// by the harness for its throw-away prefix, where the folders are the
// defaults; a real user's Documents may have been moved anywhere).

func TestExportDirIsDocuments(t *testing.T) {
	dir, err := ExportDir()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ExportDir() = %s", dir)
	if os.Getenv("MAILSETUP_WINE") == "" {
		return
	}
	want := filepath.Join(os.Getenv("USERPROFILE"), "Documents")
	if !strings.EqualFold(dir, want) {
		t.Errorf("ExportDir() = %q, want the default Documents %q", dir, want)
	}
}

func TestSettingsDirIsInAppData(t *testing.T) {
	dir, err := SettingsDir("org.mailsetup.app")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SettingsDir() = %s", dir)
	appData := os.Getenv("APPDATA")
	if appData == "" {
		t.Fatal("APPDATA is not set")
	}
	if os.Getenv("MAILSETUP_WINE") != "" || strings.EqualFold(appData, filepath.Join(os.Getenv("USERPROFILE"), "AppData", "Roaming")) {
		if want := filepath.Join(appData, "fyne", "org.mailsetup.app"); !strings.EqualFold(dir, want) {
			t.Errorf("SettingsDir() = %q, want %q", dir, want)
		}
	}
}
