package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Wire: wireBed})
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no args", nil, "Usage:"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"discover", "a@b.example", "--nope"}, "flag provided but not defined"},
		{"malformed address", []string{"discover", "not-an-address", "--timeout", "1s"}, "not an email address"},
		{"check: address before password", []string{"check", "not-an-address"}, "not an email address"},
		{"two addresses", []string{"discover", "a@b.example", "c@d.example"}, "exactly one"},
		{"bad protocol", []string{"discover", "a@b.example", "--protocol", "smtp"}, "--protocol"},
		{"bad trust", []string{"discover", "a@b.example", "--trust", "abc"}, "SHA-256"},
		{"bad dns", []string{"discover", "a@b.example", "--dns", "not a server"}, "DNS"},
		{"export without format", []string{"export", "a@b.example"}, "--format must be one of"},
		{"diagnose unknown port", []string{"diagnose", "mail.example.com:1234"}, "cannot tell the protocol"},
		{"providers extra arg", []string{"providers", "x"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != ExitUsage {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := run(t, "", "--version"); code != 0 || !strings.HasPrefix(out, "mailsetup ") {
		t.Errorf("--version: %d %q", code, out)
	}
	if code, out, _ := run(t, "", "help"); code != 0 || !strings.Contains(out, "mailsetup discover EMAIL") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, out, _ := run(t, "", "help", "export"); code != 0 || !strings.Contains(out, "--format") {
		t.Errorf("help export: %d %q", code, out)
	}
}

func TestProvidersCommand(t *testing.T) {
	code, out, _ := run(t, "", "providers", "--lang", "zh-Hans")
	if code != 0 || !strings.Contains(out, "pop.qq.com:995/tls") || !strings.Contains(out, "QQ邮箱") {
		t.Errorf("providers: %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "providers", "--json")
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "[") || !strings.Contains(out, `"id": "qq"`) {
		t.Errorf("providers --json: %d\n%.300s", code, out)
	}
}

func TestDiagnoseTarget(t *testing.T) {
	tests := []struct {
		arg, proto, sec string
		want            mailcfg.Server
	}{
		{"pop.qq.com:995", "", "", mailcfg.Server{Protocol: "pop3", Host: "pop.qq.com", Port: 995, Security: "tls"}},
		{"smtp.qq.com:587", "", "", mailcfg.Server{Protocol: "smtp", Host: "smtp.qq.com", Port: 587, Security: "starttls"}},
		{"mail.example.com:143", "", "", mailcfg.Server{Protocol: "imap", Host: "mail.example.com", Port: 143, Security: "starttls"}},
		{"mail.example.com", "imap", "", mailcfg.Server{Protocol: "imap", Host: "mail.example.com", Port: 993, Security: "tls"}},
		{"mail.example.com", "smtp", "starttls", mailcfg.Server{Protocol: "smtp", Host: "mail.example.com", Port: 587, Security: "starttls"}},
		{"mail.example.com:2525", "smtp", "none", mailcfg.Server{Protocol: "smtp", Host: "mail.example.com", Port: 2525, Security: "none"}},
		{"[::1]:110", "", "", mailcfg.Server{Protocol: "pop3", Host: "::1", Port: 110, Security: "starttls"}},
	}
	for _, tt := range tests {
		got, err := diagnoseTarget(tt.arg, tt.proto, tt.sec)
		if err != nil || got != tt.want {
			t.Errorf("diagnoseTarget(%q, %q, %q) = %+v, %v; want %+v", tt.arg, tt.proto, tt.sec, got, err, tt.want)
		}
	}
	for _, bad := range []string{"mail.example.com:0", "mail.example.com:99999", ":995"} {
		if _, err := diagnoseTarget(bad, "", ""); err == nil {
			t.Errorf("diagnoseTarget(%q) accepted", bad)
		}
	}
}

func TestOverride(t *testing.T) {
	empty := &assistant.Report{}
	in, err := override(empty, "mail.example.com:993", mailcfg.Incoming)
	if err != nil || *in != (mailcfg.Server{Protocol: "imap", Host: "mail.example.com", Port: 993, Security: "tls"}) {
		t.Errorf("incoming override: %+v %v", in, err)
	}
	pop := &mailcfg.Server{Protocol: "pop3", Host: "pop.example.com", Port: 995, Security: "tls", Username: "a"}
	rep := &assistant.Report{Recommended: assistant.Recommended{Incoming: pop}}
	if got, err := override(rep, "pop.example.com:2995:tls", mailcfg.Incoming); err != nil ||
		got.Protocol != mailcfg.POP3 || got.Port != 2995 || got.Username != "a" {
		t.Errorf("custom-port override keeps protocol and username: %+v %v", got, err)
	}
	out, err := override(empty, "smtp.example.com:2525:starttls", mailcfg.Outgoing)
	if err != nil || out.Protocol != mailcfg.SMTP || out.Port != 2525 || out.Security != mailcfg.STARTTLS {
		t.Errorf("outgoing override: %+v %v", out, err)
	}
	if got, err := override(empty, "", mailcfg.Outgoing); got != nil || err != nil {
		t.Errorf("no override: %+v %v", got, err)
	}
	for _, bad := range []string{"host:abc", "host:1234", "host:993:rot13", "a:1:b:c", "a@b:993"} {
		if s, err := override(empty, bad, mailcfg.Incoming); err == nil || !isUsage(err) {
			t.Errorf("override %q accepted: %+v %v", bad, s, err)
		}
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.conf")
	if err := writeAtomic(path, []byte("one"), 0o600, false); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(path, []byte("two"), 0o600, false); err == nil {
		t.Error("overwrote an existing file without force")
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Errorf("content %q after refused overwrite", b)
	}
	if err := writeAtomic(path, []byte("three"), 0o600, true); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "three" || st.Mode().Perm() != 0o600 {
		t.Errorf("forced write: %q mode %v", b, st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestExportFromFile(t *testing.T) {
	dir := t.TempDir()
	doc := `{"email":"alice@example.com","provider":null,"recommended":{
	  "incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","username":"alice@example.com"},
	  "outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","username":"alice@example.com"}},
	  "candidates":[],"hints":[]}`
	from := filepath.Join(dir, "discover.json")
	os.WriteFile(from, []byte(doc), 0o644)
	out := filepath.Join(dir, "msmtprc")
	code, _, stderr := run(t, "", "export", "alice@example.com", "--format", "msmtp", "--from", from, "-o", out)
	if code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "smtp.example.com") || !strings.Contains(string(b), "465") {
		t.Errorf("msmtp export:\n%s", b)
	}
	code, _, stderr = run(t, "", "export", "alice@example.com", "--format", "msmtp", "--from", from, "-o", out)
	if code != ExitFailed || !strings.Contains(stderr, "--force") {
		t.Errorf("second export without --force: %d %s", code, stderr)
	}
	// The password goes in only when asked, and then the file is private.
	code, _, stderr = run(t, "s3cret-Pass\n", "export", "alice@example.com", "--format", "msmtp", "--from", from, "-o", out,
		"--force", "--include-password", "--password-stdin")
	st, _ := os.Stat(out)
	b, _ = os.ReadFile(out)
	if code != 0 || !strings.Contains(string(b), "s3cret-Pass") || st.Mode().Perm() != 0o600 {
		t.Errorf("export with password: %d %s mode %v", code, stderr, st.Mode().Perm())
	}
	code, stdout, _ := run(t, "", "export", "alice@example.com", "--format", "thunderbird", "--from", from,
		"--incoming", "imap.example.com:993")
	if code != 0 || !strings.Contains(stdout, `<incomingServer type="imap">`) || !strings.Contains(stdout, "imap.example.com") ||
		strings.Contains(stdout, "s3cret") {
		t.Errorf("export to stdout with override: %d\n%s", code, stdout)
	}
}
