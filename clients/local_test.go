//go:build !windows

package clients

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"mailsetup/export"
	"mailsetup/mailcfg"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestFindLocalPicksTheFileEachProgramReads(t *testing.T) {
	home := t.TempDir()
	xdg := filepath.Join(home, ".config")
	writeFile(t, filepath.Join(xdg, "msmtp", "config"), "", 0o600) // only the XDG file exists
	writeFile(t, filepath.Join(home, ".muttrc"), "", 0o644)        // mutt and neomutt share it
	if err := os.MkdirAll(filepath.Join(home, ".getmail"), 0o700); err != nil {
		t.Fatal(err)
	}
	onPath := map[string]bool{"msmtp": true, "fetchmail": true, "getmail": true, "mutt": true, "neomutt": true, "aerc": true}
	lookPath := func(p string) (string, error) {
		if onPath[p] {
			return "/usr/bin/" + p, nil
		}
		return "", exec.ErrNotFound
	}
	got := findLocal(lookPath, home, "")
	want := []LocalClient{
		{"msmtp", "msmtp", "msmtp", "/usr/bin/msmtp", filepath.Join(xdg, "msmtp", "config")},
		{"fetchmail", "fetchmail", "fetchmail", "/usr/bin/fetchmail", filepath.Join(home, ".fetchmailrc")},
		{"getmail", "getmail6", "getmail", "/usr/bin/getmail", filepath.Join(home, ".getmail", "getmailrc")},
		{"mutt", "mutt / neomutt", "mutt", "/usr/bin/mutt", filepath.Join(home, ".muttrc")},
		{"aerc", "aerc", "aerc", "/usr/bin/aerc", filepath.Join(xdg, "aerc", "accounts.conf")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findLocal =\n%+v\nwant\n%+v", got, want)
	}

	// Nothing set up yet: the usual places. A relative XDG_CONFIG_HOME is ignored.
	bare := t.TempDir()
	got = findLocal(lookPath, bare, "relative/dir")
	for _, c := range got {
		switch c.Program {
		case "msmtp":
			if c.Config != filepath.Join(bare, ".msmtprc") {
				t.Errorf("msmtp config %s", c.Config)
			}
		case "neomutt":
			if c.Config != filepath.Join(bare, ".neomuttrc") {
				t.Errorf("neomutt config %s", c.Config)
			}
		case "getmail":
			if c.Config != filepath.Join(bare, ".config", "getmail", "getmailrc") {
				t.Errorf("getmail config %s", c.Config)
			}
		}
	}
}

func TestFindLocalSearchesPATH(t *testing.T) {
	bin, home := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(bin, "mpop"), "#!/bin/sh\n", 0o755)
	t.Setenv("PATH", bin)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	got := FindLocal()
	want := []LocalClient{{"mpop", "mpop", "mpop", filepath.Join(bin, "mpop"), filepath.Join(home, ".mpoprc")}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FindLocal() = %+v, want %+v", got, want)
	}
}

func TestInstallNewFile(t *testing.T) {
	home := t.TempDir()
	c := LocalClient{Program: "aerc", Format: "aerc", Config: filepath.Join(home, ".config", "aerc", "accounts.conf")}
	if path, exists, err := Target(c); err != nil || exists || path != c.Config {
		t.Fatalf("Target = %q, %v, %v", path, exists, err)
	}
	done, err := Install(c, []byte("[alice]\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if done != (Installed{Path: c.Config}) {
		t.Errorf("Install = %+v", done)
	}
	if got := readFile(t, c.Config); got != "[alice]\n" {
		t.Errorf("content %q", got)
	}
	if m := mode(t, c.Config); m != 0o600 {
		t.Errorf("mode %v, want 0600", m)
	}
	if m := mode(t, filepath.Dir(c.Config)); m != 0o700 {
		t.Errorf("new folder mode %v, want 0700", m)
	}
	if _, exists, _ := Target(c); !exists {
		t.Error("Target says the installed file does not exist")
	}
}

func TestInstallNeverReplacesUnasked(t *testing.T) {
	home := t.TempDir()
	c := LocalClient{Program: "msmtp", Format: "msmtp", Config: filepath.Join(home, ".msmtprc")}
	writeFile(t, c.Config, "account old\n", 0o644)
	_, err := Install(c, []byte("account new\n"), false)
	var exists *ExistsError
	if !errors.As(err, &exists) || !errors.Is(err, os.ErrExist) || exists.Path != c.Config {
		t.Fatalf("Install without replace = %v, want an ExistsError for %s", err, c.Config)
	}
	if got := readFile(t, c.Config); got != "account old\n" {
		t.Errorf("the existing file changed: %q", got)
	}
	entries, _ := os.ReadDir(home)
	if len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestInstallReplacesAfterABackup(t *testing.T) {
	home := t.TempDir()
	c := LocalClient{Program: "msmtp", Format: "msmtp", Config: filepath.Join(home, ".msmtprc")}
	writeFile(t, c.Config, "account old\n", 0o640)
	first, err := Install(c, []byte("account new\npassword secret\n"), true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.Backup, c.Config+".mailsetup-backup-") {
		t.Fatalf("backup %q", first.Backup)
	}
	if got := readFile(t, first.Backup); got != "account old\n" {
		t.Errorf("backup holds %q", got)
	}
	if m := mode(t, first.Backup); m != 0o640 {
		t.Errorf("backup mode %v, want the old file's 0640", m)
	}
	if got := readFile(t, c.Config); got != "account new\npassword secret\n" {
		t.Errorf("new content %q", got)
	}
	if m := mode(t, c.Config); m != 0o600 {
		t.Errorf("mode %v, want 0600", m)
	}
	// Within the same second: a second backup, not over the first.
	second, err := Install(c, []byte("account newer\n"), true)
	if err != nil {
		t.Fatal(err)
	}
	if second.Backup == first.Backup {
		t.Fatalf("second backup overwrote the first: %s", second.Backup)
	}
	if got := readFile(t, first.Backup); got != "account old\n" {
		t.Errorf("first backup now holds %q", got)
	}
	if got := readFile(t, second.Backup); got != "account new\npassword secret\n" {
		t.Errorf("second backup holds %q", got)
	}
}

// A dotfile manager's link stays a link; the file it names is replaced.
func TestInstallThroughASymlink(t *testing.T) {
	home := t.TempDir()
	target := filepath.Join(home, "dotfiles", "msmtprc")
	writeFile(t, target, "account old\n", 0o600)
	link := filepath.Join(home, ".msmtprc")
	if err := os.Symlink("dotfiles/msmtprc", link); err != nil {
		t.Fatal(err)
	}
	c := LocalClient{Program: "msmtp", Format: "msmtp", Config: link}
	if path, exists, err := Target(c); err != nil || !exists || path != target {
		t.Fatalf("Target = %q, %v, %v; want %s", path, exists, err, target)
	}
	done, err := Install(c, []byte("account new\n"), true)
	if err != nil {
		t.Fatal(err)
	}
	if done.Path != target || filepath.Dir(done.Backup) != filepath.Dir(target) {
		t.Errorf("Install = %+v", done)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if got := readFile(t, link); got != "account new\n" {
		t.Errorf("through the link: %q", got)
	}
}

// The installed files are where the real programs read them: each prints
// the settings it loaded.
func TestInstalledFilesAreReadByTheClients(t *testing.T) {
	acct := mailcfg.Account{
		Email:    "alice@example.test",
		Incoming: mailcfg.Server{Protocol: mailcfg.POP3, Host: "pop.example.test", Port: 995, Security: mailcfg.TLS, Username: "alice@example.test"},
		Outgoing: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.example.test", Port: 465, Security: mailcfg.TLS, Username: "alice@example.test"},
		Password: "secret-1",
	}
	tests := []struct {
		program string
		args    []string
		want    string
	}{
		{"msmtp", []string{"--pretend"}, "host = smtp.example.test"},
		{"mpop", []string{"--pretend"}, "host = pop.example.test"},
		{"fetchmail", []string{"--version"}, "pop.example.test"},
	}
	for _, tt := range tests {
		t.Run(tt.program, func(t *testing.T) {
			if _, err := exec.LookPath(tt.program); err != nil {
				t.Skipf("%s is not installed (make test installs it)", tt.program)
			}
			home := t.TempDir()
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", "")
			var client *LocalClient
			for _, c := range FindLocal() {
				if c.Program == tt.program {
					client = &c
				}
			}
			if client == nil {
				t.Fatalf("FindLocal does not list %s", tt.program)
			}
			f, _ := export.ByID(client.Format)
			data, err := f.Render(acct, export.Options{IncludePassword: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Install(*client, data, false); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(tt.program, tt.args...)
			cmd.Env = append(os.Environ(), "HOME="+home)
			out, _ := cmd.CombinedOutput()
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("%s %v does not show %q:\n%s", tt.program, tt.args, tt.want, out)
			}
		})
	}
}
