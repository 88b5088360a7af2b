package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --ca reaches the export as an absolute path, and a --trust fingerprint
// pins the server whose probed certificate it matches, and only that one.
func TestExportTrust(t *testing.T) {
	dir := t.TempDir()
	inSum, outSum := strings.Repeat("1a", 32), strings.Repeat("2b", 32)
	doc := `{"email":"alice@example.com","provider":null,"recommended":{
	  "incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","username":"alice@example.com"},
	  "outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","username":"alice@example.com"}},
	  "candidates":[
	    {"role":"incoming","protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","tls":{"sha256":"` + inSum + `"}},
	    {"role":"outgoing","protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","tls":{"sha256":"` + outSum + `"}}],
	  "hints":[]}`
	from := filepath.Join(dir, "discover.json")
	if err := os.WriteFile(from, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	pin := strings.TrimSuffix(strings.Repeat("1A:", 32), ":") // as users paste it
	wd, _ := os.Getwd()
	for _, c := range []struct{ format, want, not string }{
		{"mpop", "tls_fingerprint " + pin + "\n", "tls_trust_file"},
		{"msmtp", `tls_trust_file "` + filepath.Join(wd, "ca.pem") + `"`, "tls_fingerprint"},
	} {
		code, stdout, stderr := run(t, "", "export", "alice@example.com", "--format", c.format, "--from", from,
			"--ca", "ca.pem", "--trust", pin)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.format, code, stderr)
		}
		if !strings.Contains(stdout, c.want) || strings.Contains(stdout, c.not) {
			t.Errorf("%s export wants %q and no %q:\n%s", c.format, c.want, c.not, stdout)
		}
	}
	// Without --ca and --trust the files trust the system store, as before.
	code, stdout, _ := run(t, "", "export", "alice@example.com", "--format", "msmtp", "--from", from)
	if code != 0 || strings.Contains(stdout, "tls_trust_file") || strings.Contains(stdout, "tls_fingerprint") {
		t.Errorf("plain export: %d\n%s", code, stdout)
	}
}
