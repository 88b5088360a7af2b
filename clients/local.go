package clients

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// LocalClient is a command-line mail program found on this machine, with
// the configuration file it reads and the export format that writes it.
type LocalClient struct {
	// Program is the command, as found on PATH ("msmtp"); Name is what to
	// call it ("mutt / neomutt" when both read one file).
	Program, Name string
	// Format is the export format ID whose output is this file.
	Format string
	// Path is where the program was found.
	Path string
	// Config is the absolute path of the file the program reads: the one
	// that exists among the places it looks, else its usual place.
	Config string
}

// localProgram is one known command-line client.
type localProgram struct {
	program, name, format string
	// configs are the places the program reads its file from, in its own
	// order of preference; "~" is the home folder, "$XDG" the XDG
	// configuration folder (XDG_CONFIG_HOME, by default ~/.config).
	configs []string
}

// localPrograms are the clients an export format is written for.
var localPrograms = []localProgram{
	{"msmtp", "msmtp", "msmtp", []string{"~/.msmtprc", "$XDG/msmtp/config"}},
	{"mpop", "mpop", "mpop", []string{"~/.mpoprc", "$XDG/mpop/config"}},
	{"fetchmail", "fetchmail", "fetchmail", []string{"~/.fetchmailrc"}},
	{"getmail", "getmail6", "getmail", []string{"$XDG/getmail/getmailrc", "~/.getmail/getmailrc"}},
	{"mutt", "mutt", "mutt", []string{"~/.muttrc", "~/.mutt/muttrc", "$XDG/mutt/muttrc"}},
	// neomutt reads a muttrc when it finds no neomuttrc.
	{"neomutt", "neomutt", "mutt", []string{"~/.neomuttrc", "$XDG/neomutt/neomuttrc", "~/.muttrc", "~/.mutt/muttrc", "$XDG/mutt/muttrc"}},
	{"aerc", "aerc", "aerc", []string{"$XDG/aerc/accounts.conf"}},
}

// FindLocal lists the command-line clients on PATH, in a fixed order. It
// finds none on Windows, where those programs' ports keep their files
// elsewhere.
func FindLocal() []LocalClient {
	if runtime.GOOS == "windows" {
		return nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil
	}
	return findLocal(exec.LookPath, home, os.Getenv("XDG_CONFIG_HOME"))
}

func findLocal(lookPath func(string) (string, error), home, xdg string) []LocalClient {
	if xdg == "" || !filepath.IsAbs(xdg) {
		xdg = filepath.Join(home, ".config") // the XDG rule for an unset or relative value
	}
	var found []LocalClient
	for _, p := range localPrograms {
		path, err := lookPath(p.program)
		if err != nil {
			continue
		}
		c := LocalClient{Program: p.program, Name: p.name, Format: p.format, Path: path,
			Config: chooseConfig(p.configs, home, xdg)}
		merged := false
		for i := range found {
			if found[i].Config == c.Config && found[i].Format == c.Format {
				found[i].Name += " / " + c.Name
				merged = true
			}
		}
		if !merged {
			found = append(found, c)
		}
	}
	return found
}

// chooseConfig picks the first of places that exists; failing that, the
// first whose folder exists (other than the home folder itself: a
// ~/.getmail folder says getmail is set up there); failing that, the first.
func chooseConfig(places []string, home, xdg string) string {
	paths := make([]string, len(places))
	for i, p := range places {
		p = strings.Replace(p, "$XDG", xdg, 1)
		if rest, ok := strings.CutPrefix(p, "~/"); ok {
			p = filepath.Join(home, rest)
		}
		paths[i] = filepath.Clean(p)
	}
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			return p
		}
	}
	for _, p := range paths {
		dir := filepath.Dir(p)
		if dir == filepath.Clean(home) {
			continue
		}
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return p
		}
	}
	return paths[0]
}

// ExistsError is Install's refusal to replace a file it was not told to.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return e.Path + " exists already" }

// Is makes errors.Is(err, os.ErrExist) hold.
func (e *ExistsError) Is(target error) bool { return target == os.ErrExist }

// Installed says what Install did.
type Installed struct {
	// Path is the file written: the client's Config, or the file that a
	// symbolic link at Config points to (a dotfile manager's link stays).
	Path string
	// Backup is where the file that was there before now is; "" when
	// there was none.
	Backup string
}

// Target returns the file Install would write for c and whether one is
// there already, for the window's question before replacing it.
func Target(c LocalClient) (path string, exists bool, err error) {
	path, err = resolve(c.Config)
	if err != nil {
		return "", false, err
	}
	_, err = os.Lstat(path)
	switch {
	case err == nil:
		return path, true, nil
	case errors.Is(err, os.ErrNotExist):
		return path, false, nil
	}
	return "", false, err
}

// resolve follows a symbolic link at path to the file it names, which
// need not exist yet.
func resolve(path string) (string, error) {
	if !filepath.IsAbs(path) {
		return "", fmt.Errorf("%q is not an absolute path", path)
	}
	for hops := 0; hops < 40; hops++ {
		fi, err := os.Lstat(path)
		if errors.Is(err, os.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", fmt.Errorf("%s: too many symbolic links", path)
}

// Install writes data as c's configuration file, readable by the user
// alone (0600: the file may hold a password, and fetchmail, aerc and a
// password-bearing msmtp refuse anything looser). A file that is there
// already is replaced only with replace set, and only after it was
// copied to a backup beside it (NAME.mailsetup-backup-YYYYMMDD-HHMMSS,
// with its mode); without replace Install returns an *ExistsError and
// leaves it alone. The new file is written under a temporary name and
// renamed into place, so a crash leaves the old file or the new one.
// Missing folders are created (0700).
func Install(c LocalClient, data []byte, replace bool) (Installed, error) {
	path, err := resolve(c.Config)
	if err != nil {
		return Installed{}, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Installed{}, err
	}
	tmp, err := writeTemp(dir, data)
	if err != nil {
		return Installed{}, err
	}
	defer os.Remove(tmp) // gone after a rename; a leftover otherwise

	if !replace {
		// Link, unlike rename, fails when the file appeared meanwhile.
		if err := os.Link(tmp, path); err != nil {
			if errors.Is(err, os.ErrExist) {
				return Installed{}, &ExistsError{Path: path}
			}
			return Installed{}, err
		}
		return Installed{Path: path}, syncDir(dir)
	}
	done := Installed{Path: path}
	if _, err := os.Lstat(path); err == nil {
		if done.Backup, err = backup(path, time.Now()); err != nil {
			return Installed{}, fmt.Errorf("keeping a backup of %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return Installed{}, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return Installed{}, err
	}
	return done, syncDir(dir)
}

// writeTemp writes data to a new 0600 file in dir and returns its name.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".mailsetup-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Chmod(0o600); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// backup copies path to a new file beside it, never over another backup.
func backup(path string, now time.Time) (string, error) {
	src, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	base := path + ".mailsetup-backup-" + now.Format("20060102-150405")
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		dst, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
		if errors.Is(err, os.ErrExist) && n < 100 {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := io.Copy(dst, src); err != nil {
			dst.Close()
			os.Remove(name)
			return "", err
		}
		if err := dst.Sync(); err != nil {
			dst.Close()
			os.Remove(name)
			return "", err
		}
		if err := dst.Close(); err != nil {
			os.Remove(name)
			return "", err
		}
		return name, nil
	}
}

// syncDir makes a rename or link in dir durable; not every system can.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
