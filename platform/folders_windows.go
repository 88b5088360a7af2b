package platform

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// exportDir is the Documents known folder (SHGetKnownFolderPath), or
// %USERPROFILE%\Documents when the shell cannot say.
func exportDir() (string, error) {
	if dir, err := windows.KnownFolderPath(windows.FOLDERID_Documents, windows.KF_FLAG_DEFAULT); err == nil && dir != "" {
		return dir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Documents"), nil
}
