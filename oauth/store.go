package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// maxStoreFile bounds a refresh-token file read back.
const maxStoreFile = 64 << 10

// storedToken is the file's layout.
type storedToken struct {
	RefreshToken string `json:"refresh_token"`
}

// SaveRefreshToken writes t's refresh token, and nothing else, to path,
// readable and writable by the owner only (0600): a new file beside path
// renamed over it, so no reader ever sees a partly written or more open
// file. Call it only where the user asked for the token to be kept.
func SaveRefreshToken(path string, t *Token) error {
	if !t.CanRefresh() {
		return ErrNoRefreshToken
	}
	data, err := json.Marshal(storedToken{RefreshToken: t.RefreshToken.Reveal()})
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".mailsetup-token-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		f.Close()
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadRefreshToken reads a file SaveRefreshToken wrote. It refuses a file
// that others may read (on systems with Unix permissions): the token would
// not have been safe there. The Token it returns has no access token, so
// Client.Fresh refreshes it.
func LoadRefreshToken(path string) (*Token, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by others (mode %v): refusing to use the token in it; make it 0600", path, fi.Mode().Perm())
	}
	data, err := io.ReadAll(io.LimitReader(f, maxStoreFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxStoreFile {
		return nil, fmt.Errorf("%s: too large for a token file", path)
	}
	var st storedToken
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: not a token file", path) // the JSON error could quote the token
	}
	if st.RefreshToken == "" {
		return nil, errors.New(path + ": no refresh token in it")
	}
	return &Token{RefreshToken: Secret(st.RefreshToken), TokenType: "Bearer"}, nil
}
