package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Outlook.com takes no password: a plain export of the address signs in
// with OAuth2, from the provider table, against the bed's look-alikes of
// outlook.office365.com and smtp-mail.outlook.com (its DNS, its CA, no
// third-party look-ups: nothing leaves loopback).
func TestExportOutlookSignsInWithOAuth2(t *testing.T) {
	t.Parallel()
	providerLookAlikes(t)
	code, stdout, stderr := run(t, "", bedArgs("export", "alice@outlook.com", "--format", "thunderbird")...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"<hostname>outlook.office365.com</hostname>", "<hostname>smtp-mail.outlook.com</hostname>",
		"signs in with OAuth2 on Microsoft's sign-in page", "Thunderbird knows the OAuth2 sign-in of these servers"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the export lacks %q:\n%s", want, stdout)
		}
	}
	if n := strings.Count(stdout, "<authentication>OAuth2</authentication>"); n != 2 || strings.Contains(stdout, "password-cleartext") {
		t.Errorf("%d servers authenticate with OAuth2, want both:\n%s", n, stdout)
	}

	// msmtp: the token mechanism, and the command left for the user.
	code, stdout, stderr = run(t, "", bedArgs("export", "alice@outlook.com", "--format", "msmtp", "--lang", "zh-Hans")...)
	if code != ExitOK {
		t.Fatalf("msmtp: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "\nauth xoauth2\n") || strings.Contains(stdout, "\npasswordeval") || !strings.Contains(stdout, "以 OAuth2 登录") {
		t.Errorf("msmtp export:\n%s", stdout)
	}

	// No password goes into an OAuth2 account's export: asking is a usage
	// error, before any password is read.
	code, stdout, stderr = run(t, "must not be read\n", bedArgs("export", "alice@outlook.com", "--format", "msmtp",
		"--include-password", "--password-stdin")...)
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "signs in with OAuth2") {
		t.Errorf("--include-password for Outlook.com: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// --oauth makes any account sign in with OAuth2, here one read back from a
// discover document, with the mechanisms its servers offered.
func TestExportOAuthFlag(t *testing.T) {
	doc := `{"email":"carol@example.org","provider":null,"recommended":{
	  "incoming":{"protocol":"imap","host":"imap.example.org","port":993,"security":"tls","username":"carol@example.org"},
	  "outgoing":{"protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls","username":"carol@example.org"}},
	  "candidates":[
	    {"role":"incoming","protocol":"imap","host":"imap.example.org","port":993,"security":"tls","status":"ok","auth_mechanisms":["PLAIN","OAUTHBEARER"]},
	    {"role":"outgoing","protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls","status":"ok","auth_mechanisms":["PLAIN","XOAUTH2"]}],
	  "hints":[]}`
	from := filepath.Join(t.TempDir(), "discover.json")
	if err := os.WriteFile(from, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"--format", "aerc", "--oauth"}, []string{"source = imaps+oauthbearer://", "outgoing = smtps+xoauth2://", "# source-cred-cmd = "},
			[]string{"secret-tool"}},
		{[]string{"--format", "json", "--oauth"}, []string{`"auth": "oauth2"`, `"incoming_mechanisms": [`, `"OAUTHBEARER"`}, nil},
		// Without --oauth the servers take passwords: nothing changes.
		{[]string{"--format", "aerc"}, []string{"source = imaps://", "source-cred-cmd = secret-tool lookup"}, []string{"oauth"}},
	} {
		code, stdout, stderr := run(t, "", append([]string{"export", "carol@example.org", "--from", from}, c.args...)...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%v: lacks %q:\n%s", c.args, w, stdout)
			}
		}
		for _, w := range c.not {
			if strings.Contains(stdout, w) {
				t.Errorf("%v: holds %q:\n%s", c.args, w, stdout)
			}
		}
	}
}
