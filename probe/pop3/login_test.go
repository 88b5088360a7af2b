package pop3

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const (
	testUser     = "alice@example.test"
	testPassword = "s3cret-Pa55"
)

// assertNoSecret fails if text holds the password in clear or in base64.
func assertNoSecret(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		forms := []string{s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s))}
		for _, f := range forms {
			if strings.Contains(text, f) {
				t.Errorf("%s contains secret form %q:\n%s", what, f, text)
			}
		}
	}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name      string
		script    []any
		wantCmd   string // "" = success, else the command whose -ERR comes back
		wantCode  string
		wantShown []string // transcript lines that must appear
	}{
		{
			name:      "ok",
			script:    []any{"C: USER " + testUser, "S: +OK", "C: PASS " + testPassword, "S: +OK logged in"},
			wantShown: []string{"C: USER " + testUser, "C: PASS ********", "S: +OK logged in"},
		},
		{
			name:      "bad password",
			script:    []any{"C: USER " + testUser, "S: +OK", "C: PASS " + testPassword, "S: -ERR [AUTH] Authentication failed."},
			wantCmd:   "PASS",
			wantCode:  "AUTH",
			wantShown: []string{"C: PASS ********", "S: -ERR [AUTH] Authentication failed."},
		},
		{
			name:     "server echoes the password",
			script:   []any{"C: USER " + testUser, "S: +OK", "C: PASS " + testPassword, "S: -ERR [AUTH] " + testPassword + " is wrong"},
			wantCmd:  "PASS",
			wantCode: "AUTH",
		},
		{
			name:     "unknown user",
			script:   []any{"C: USER " + testUser, "S: -ERR [SYS/TEMP] directory down"},
			wantCmd:  "USER",
			wantCode: "SYS/TEMP",
		},
		{
			name:     "in use",
			script:   []any{"C: USER " + testUser, "S: +OK", "C: PASS " + testPassword, "S: -ERR [IN-USE] Mailbox locked"},
			wantCmd:  "PASS",
			wantCode: "IN-USE",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr bytes.Buffer
			c := connect(t, &Options{Transcript: &tr}, append([]any{"S: +OK ready"}, tt.script...)...)
			err := c.Login(testCtx(t), testUser, testPassword)
			if tt.wantCmd == "" {
				if err != nil {
					t.Fatalf("Login: %v", err)
				}
			} else {
				var rerr *Error
				if !errors.As(err, &rerr) || rerr.Command != tt.wantCmd || rerr.Code != tt.wantCode {
					t.Fatalf("Login err = %#v, want *Error %s [%s]", err, tt.wantCmd, tt.wantCode)
				}
				assertNoSecret(t, "error", err.Error(), testPassword)
			}
			for _, line := range tt.wantShown {
				if !strings.Contains(tr.String(), line+"\n") {
					t.Errorf("transcript lacks %q:\n%s", line, tr.String())
				}
			}
			assertNoSecret(t, "transcript", tr.String(), testPassword)
		})
	}
}

func TestAPOP(t *testing.T) {
	// RFC 1939 section 7 example.
	const ts = "<1896.697170952@dbc.mtview.ca.us>"
	if got, want := apopDigest(ts, "tanstaaf"), "c4c9334bac560ecc979e58001b3e22fb"; got != want {
		t.Fatalf("apopDigest = %s, want %s", got, want)
	}

	var tr bytes.Buffer
	c := connect(t, &Options{Transcript: &tr},
		"S: +OK POP3 server ready "+ts,
		"C: APOP mrose c4c9334bac560ecc979e58001b3e22fb",
		"S: +OK mrose's maildrop has 2 messages (320 octets)")
	if err := c.APOP(testCtx(t), "mrose", "tanstaaf"); err != nil {
		t.Fatalf("APOP: %v", err)
	}
	if !strings.Contains(tr.String(), "C: APOP mrose ********\n") {
		t.Errorf("transcript does not mask APOP:\n%s", tr.String())
	}
	assertNoSecret(t, "transcript", tr.String(), "tanstaaf", "c4c9334bac560ecc979e58001b3e22fb")

	t.Run("rejected", func(t *testing.T) {
		c := connect(t, nil, "S: +OK "+ts, "C: APOP mrose c4c9334bac560ecc979e58001b3e22fb", "S: -ERR [AUTH] permission denied")
		err := c.APOP(testCtx(t), "mrose", "tanstaaf")
		var rerr *Error
		if !errors.As(err, &rerr) || rerr.Command != "APOP" || rerr.Code != "AUTH" {
			t.Fatalf("err = %v, want *Error APOP [AUTH]", err)
		}
		assertNoSecret(t, "error", err.Error(), "tanstaaf")
	})
	t.Run("no timestamp", func(t *testing.T) {
		c := connect(t, nil, "S: +OK no apop here", "C: STAT", "S: +OK 0 0")
		if err := c.APOP(testCtx(t), "mrose", "tanstaaf"); !errors.Is(err, ErrNoAPOPTimestamp) {
			t.Fatalf("err = %v, want ErrNoAPOPTimestamp", err)
		}
		if _, _, err := c.Stat(testCtx(t)); err != nil {
			t.Fatalf("STAT after refused APOP: %v", err) // nothing was sent
		}
	})
}

func TestBadArguments(t *testing.T) {
	tests := []struct {
		name string
		call func(*Client) error
	}{
		{"user CRLF", func(c *Client) error { return c.User(testCtx(t), "bob\r\nDELE 1") }},
		{"pass LF", func(c *Client) error { return c.Pass(testCtx(t), "x\nDELE 1") }},
		{"pass NUL", func(c *Client) error { return c.Pass(testCtx(t), "x\x00y") }},
		{"apop space", func(c *Client) error { return c.APOP(testCtx(t), "a b", "x") }},
		{"login CR", func(c *Client) error { return c.Login(testCtx(t), "a", "b\rc") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := []any{"S: +OK <1.2@h>"}
			if tt.name == "login CR" {
				script = append(script, "C: USER a", "S: +OK")
			}
			script = append(script, "C: STAT", "S: +OK 1 2")
			c := connect(t, nil, script...)
			err := tt.call(c)
			if !errors.Is(err, ErrBadArgument) {
				t.Fatalf("err = %v, want ErrBadArgument", err)
			}
			if strings.Contains(err.Error(), "DELE") {
				t.Errorf("error shows the argument: %v", err)
			}
			if _, _, err := c.Stat(testCtx(t)); err != nil {
				t.Fatalf("STAT after rejected argument: %v", err)
			}
		})
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
