package clients

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Outlook says which of Microsoft's Outlooks this Windows user has.
type Outlook struct {
	// Classic is the path of classic Outlook's outlook.exe (Outlook 2007
	// to Microsoft 365), from the App Paths registry key; "" when it is
	// not installed. Only classic Outlook imports PRF files.
	Classic string
	// New tells that the new Outlook for Windows (olk.exe, the
	// Microsoft.OutlookForWindows app) is installed. It imports no PRF
	// file: accounts are added in its own window.
	New bool
	// PrefersNew tells that the user turned on classic Outlook's "Try the
	// new Outlook" switch (UseNewOutlook), with which starting classic
	// Outlook may open the new one.
	PrefersNew bool
}

// Errors of FindOutlook and ImportPRF, for errors.Is.
var (
	// ErrUnsupported: not a Windows system.
	ErrUnsupported = errors.New("Outlook import is only available on Windows")
	// ErrNoOutlook: no Outlook at all.
	ErrNoOutlook = errors.New("Outlook is not installed")
	// ErrOnlyNewOutlook: only the new Outlook, which imports no PRF file.
	ErrOnlyNewOutlook = errors.New("only the new Outlook is installed, and it cannot import a PRF file")
	// ErrOutlookRunning: /importprf works only when Outlook starts with it.
	ErrOutlookRunning = errors.New("classic Outlook is open; it must be closed for the import")
)

// CanImportPRF says whether ImportPRF can work: nil, ErrOnlyNewOutlook or
// ErrNoOutlook.
func (o Outlook) CanImportPRF() error {
	switch {
	case o.Classic != "":
		return nil
	case o.New:
		return ErrOnlyNewOutlook
	}
	return ErrNoOutlook
}

// ImportPRF starts classic Outlook with /importprf prf, which adds the
// profile file's account to the default profile. The window must have
// told the user that Outlook has to be closed; ImportPRF refuses with
// ErrOutlookRunning while it is open, since a running Outlook ignores the
// switch. prf must be an absolute path to an existing file. ImportPRF
// returns once Outlook has started; Outlook stays open afterwards.
func ImportPRF(o Outlook, prf string) error {
	if err := o.CanImportPRF(); err != nil {
		return err
	}
	if !filepath.IsAbs(prf) {
		return fmt.Errorf("the profile file %q is not an absolute path", prf)
	}
	if fi, err := os.Stat(prf); err != nil {
		return err
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("the profile file %s is not a file", prf)
	}
	if running, err := OutlookRunning(); err == nil && running {
		return ErrOutlookRunning
	}
	return startOutlook(o.Classic, prf)
}
