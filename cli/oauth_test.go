package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailsetup/internal/testbed"
)

// runBrowser runs a command whose OAuth2 sign-in page a headless browser
// answers.
func runBrowser(t *testing.T, browse func(context.Context, string) error, args ...string) (int, map[string]any, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(bedArgs(args...), Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Wire: wireBed, OpenBrowser: browse})
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v: exit %d, not JSON (%v):\n%s\nstderr:\n%s", args, code, err, out.String(), errb.String())
	}
	return code, doc, out.String() + errb.String()
}

// The wire forms of a token in a SASL exchange: XOAUTH2's and
// OAUTHBEARER's initial responses in base64, and the bearer itself.
var tokenTraces = []string{"auth=Bearer", "dXNlcj1", "bixhPS", "Bearer "}

// A check signs in with the test bed's real authorization server and logs
// in with the token on dovecot, over the incoming protocol and SMTP; the
// token appears nowhere in what the command prints, transcript included.
func TestCheckOAuth(t *testing.T) {
	t.Parallel()
	sc := scenarios.OAuth
	signIn := []string{"--oauth-issuer", sc.OAuth.Issuer, "--oauth-client-id", testbed.OAuthClientID,
		"--oauth-scope", strings.Join(testbed.OAuthScopes, " ")}
	for _, proto := range []string{"pop3", "imap"} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"check", sc.Email, "--json", "-v", "--protocol", proto}, signIn...)
			code, doc, printed := runBrowser(t, sc.OAuth.Browser(sc.Email, sc.Password, testbed.Allow, nil), args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %v\n%s", code, field(doc, "login"), printed)
			}
			for _, role := range []string{"incoming", "outgoing"} {
				mech, _ := field(doc, "login", role, "mechanism").(string)
				if field(doc, "login", role, "method") != "oauth2" || (mech != "XOAUTH2" && mech != "OAUTHBEARER") {
					t.Errorf("%s: method %v mechanism %q", role, field(doc, "login", role, "method"), mech)
				}
			}
			for _, trace := range tokenTraces {
				if strings.Contains(printed, trace) {
					t.Errorf("the output holds a token trace %q", trace)
				}
			}
		})
	}
}

// Sign-in failures: no client ID (exit 2, nothing sent to the issuer),
// consent denied (exit 3).
//
// Not parallel: the issuer's request log is shared, and another test's
// sign-in would read as one sent without a client ID.
func TestCheckOAuthFailures(t *testing.T) {
	sc := scenarios.OAuth
	issuer := []string{"--oauth-issuer", sc.OAuth.Issuer}
	before := len(sc.OAuth.Requests())
	code, doc, printed := runBrowser(t, nil, append([]string{"check", sc.Email, "--json"}, issuer...)...)
	msg, _ := field(doc, "login", "incoming", "error").(string)
	if code != ExitUsage || !strings.Contains(msg, "client ID") {
		t.Errorf("no client ID: exit %d, error %q\n%s", code, msg, printed)
	}
	for _, r := range sc.OAuth.Requests()[before:] {
		if strings.Contains(r, "/authorize") || strings.Contains(r, "/token") {
			t.Errorf("the issuer was asked %s without a client ID", r)
		}
	}
	args := append([]string{"check", sc.Email, "--json", "--oauth-client-id", testbed.OAuthClientID,
		"--oauth-scope", strings.Join(testbed.OAuthScopes, " ")}, issuer...)
	code, doc, _ = runBrowser(t, sc.OAuth.Browser(sc.Email, sc.Password, testbed.Deny, nil), args...)
	if code != ExitAuthFailed || field(doc, "login", "incoming", "ok") != false {
		t.Errorf("consent denied: exit %d %v", code, field(doc, "login", "incoming"))
	}
}

// --oauth-token-file keeps the refresh token (0600, nothing but it), and
// the next check signs in with it, without the browser.
func TestCheckOAuthTokenFile(t *testing.T) {
	t.Parallel()
	sc := scenarios.OAuth
	file := filepath.Join(t.TempDir(), "token.json")
	args := []string{"check", sc.Email, "--json", "--oauth-issuer", sc.OAuth.Issuer, "--oauth-client-id", testbed.OAuthClientID,
		"--oauth-scope", strings.Join(testbed.OAuthScopes, " "), "--oauth-token-file", file}
	code, doc, printed := runBrowser(t, sc.OAuth.Browser(sc.Email, sc.Password, testbed.Allow, nil), args...)
	if code != ExitOK {
		t.Fatalf("first check: exit %d %v\n%s", code, field(doc, "login"), printed)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v", err, st)
	}
	data, _ := os.ReadFile(file)
	var kept map[string]any
	if json.Unmarshal(data, &kept) != nil || len(kept) != 1 || kept["refresh_token"] == "" {
		t.Errorf("the file holds more than the refresh token: %s", data)
	}
	noBrowser := func(context.Context, string) error {
		t.Error("the second check opened the browser")
		return errors.New("no browser")
	}
	if code, doc, printed = runBrowser(t, noBrowser, args...); code != ExitOK {
		t.Errorf("second check, with the kept token: exit %d %v\n%s", code, field(doc, "login"), printed)
	}
}
