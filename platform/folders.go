// Package platform says where things go on this system: the folder the
// window offers for saving an export, and the folder that holds the
// window's settings. It knows nothing of mail; clients/ knows the mail
// programs.
package platform

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// ExportDir returns the folder an export is saved to unless the user picks
// another: on Windows the user's Documents folder, found through the
// known-folder API so that a Documents moved to another drive or to
// OneDrive is honoured; elsewhere the home folder, where the command-line
// clients look for their files.
func ExportDir() (string, error) {
	dir, err := exportDir()
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(dir) {
		return "", errors.New("platform: the export folder " + dir + " is not an absolute path")
	}
	return dir, nil
}

// SettingsDir returns the folder where the window keeps its settings for
// the app ID (its preferences.json): where Fyne's app.NewWithID stores
// them, which this mirrors:
//
//	Windows  %USERPROFILE%\AppData\Roaming\fyne\ID  (that is %APPDATA%\fyne\ID)
//	macOS    ~/Library/Preferences/fyne/ID
//	others   $XDG_CONFIG_HOME/fyne/ID, by default ~/.config/fyne/ID
func SettingsDir(appID string) (string, error) {
	if appID == "" {
		return "", errors.New("platform: no app ID")
	}
	root, err := fyneConfigRoot(runtime.GOOS)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "fyne", appID), nil
}

// SettingsFile is the file in SettingsDir that holds the settings.
func SettingsFile(appID string) (string, error) {
	dir, err := SettingsDir(appID)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "preferences.json"), nil
}

// fyneConfigRoot is the folder Fyne puts its "fyne" folder in on goos.
func fyneConfigRoot(goos string) (string, error) {
	switch goos {
	case "windows":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "AppData", "Roaming"), nil
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Preferences"), nil
	}
	return os.UserConfigDir()
}
