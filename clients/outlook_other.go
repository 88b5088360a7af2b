//go:build !windows

package clients

// FindOutlook reports which Outlooks are installed: on Windows only; here
// it returns ErrUnsupported.
func FindOutlook() (Outlook, error) { return Outlook{}, ErrUnsupported }

// OutlookRunning reports whether classic Outlook is running: on Windows
// only; here it returns ErrUnsupported.
func OutlookRunning() (bool, error) { return false, ErrUnsupported }

func startOutlook(string, string) error { return ErrUnsupported }
