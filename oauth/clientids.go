package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ClientIDs are the OAuth2 client IDs the user (or an administrator)
// registered, by issuer: the table's issuer IDs ("microsoft", "google",
// "yahoo", "aol") and "default" for any other. The window's Settings edits
// them; the command line reads them after its flag and $MAILSETUP_OAUTH_CLIENT_ID.
type ClientIDs map[string]string

// DefaultClientIDKey holds the client ID for issuers without their own.
const DefaultClientIDKey = "default"

// ClientIDsPath is where the client IDs are kept: oauth-clients.json in
// the user's configuration folder (~/.config/mailsetup on Linux,
// %APPDATA%\mailsetup on Windows).
func ClientIDsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "mailsetup", "oauth-clients.json"), nil
}

// maxClientIDsFile bounds the file: a few IDs, never megabytes.
const maxClientIDsFile = 64 << 10

// LoadClientIDs reads the file at path; a file that does not exist holds
// no IDs (not an error).
func LoadClientIDs(path string) (ClientIDs, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ClientIDs{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxClientIDsFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxClientIDsFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxClientIDsFile)
	}
	ids := ClientIDs{}
	if err := json.Unmarshal(data, &ids); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return ids, nil
}

// Save writes the IDs to path (0600: an ID is no secret, but it is the
// user's registration), creating the folder.
func (c ClientIDs) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".oauth-clients-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// For is the client ID for issuer, else the default one; "" when none.
func (c ClientIDs) For(issuer string) string {
	if id := strings.TrimSpace(c[issuer]); id != "" {
		return id
	}
	return strings.TrimSpace(c[DefaultClientIDKey])
}
