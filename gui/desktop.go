package gui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mailsetup/clients"
	"mailsetup/platform"
)

// desktop is what the Export screen asks of this machine: the folder to
// save in, the mail programs installed, and the hand-over to them. The
// window's tests run on Linux, with no Outlook: they put a fake in its
// place (exportScreen.desk).
type desktop interface {
	// ExportDir is the folder the Save dialog starts in and where "Open
	// in Outlook" keeps the profile file: Documents on Windows.
	ExportDir() (string, error)
	// CreateNew creates a file in dir named name, or "name (2)" … when
	// that exists, never replacing one; it returns the file's path.
	CreateNew(dir, name string) (string, io.WriteCloser, error)
	// Remove deletes a file CreateNew made, when what it was for failed.
	Remove(path string) error
	// FindOutlook, ImportPRF: package clients (clients.ErrUnsupported
	// off Windows).
	FindOutlook() (clients.Outlook, error)
	ImportPRF(o clients.Outlook, prf string) error
	// FindLocal, Target, Install: package clients (none found on Windows).
	FindLocal() []clients.LocalClient
	Target(c clients.LocalClient) (path string, exists bool, err error)
	Install(c clients.LocalClient, data []byte, replace bool) (clients.Installed, error)
}

// systemDesktop is this machine, through packages clients and platform.
type systemDesktop struct{}

func (systemDesktop) ExportDir() (string, error)            { return platform.ExportDir() }
func (systemDesktop) FindOutlook() (clients.Outlook, error) { return clients.FindOutlook() }
func (systemDesktop) ImportPRF(o clients.Outlook, prf string) error {
	return clients.ImportPRF(o, prf)
}
func (systemDesktop) FindLocal() []clients.LocalClient { return clients.FindLocal() }
func (systemDesktop) Target(c clients.LocalClient) (string, bool, error) {
	return clients.Target(c)
}
func (systemDesktop) Install(c clients.LocalClient, data []byte, replace bool) (clients.Installed, error) {
	return clients.Install(c, data, replace)
}
func (systemDesktop) Remove(path string) error { return os.Remove(path) }

func (systemDesktop) CreateNew(dir, name string) (string, io.WriteCloser, error) {
	path, f, err := createNew(dir, name)
	if err != nil {
		return "", nil, err
	}
	return path, f, nil
}

// maxNameTries bounds the search for a free "name (n)".
const maxNameTries = 100

// createNew opens a new file in dir: name, else "base (2).ext" and so on,
// created exclusively so that no file is ever replaced.
func createNew(dir, name string) (string, *os.File, error) {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for n := 1; n <= maxNameTries; n++ {
		candidate := name
		if n > 1 {
			candidate = fmt.Sprintf("%s (%d)%s", base, n, ext)
		}
		path := filepath.Join(dir, candidate)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		return path, f, nil
	}
	return "", nil, fmt.Errorf("%s: no free name after %d tries", filepath.Join(dir, name), maxNameTries)
}

// exportFileName is the file name an export is offered under: the
// address and the format's extension, with the characters Windows forbids
// in names (a quoted local part may hold them) replaced.
func exportFileName(addr, ext string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, addr)
	if clean == "" {
		clean = "mail"
	}
	return clean + ext
}
