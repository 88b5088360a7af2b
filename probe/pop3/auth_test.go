package pop3

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-sasl"
)

func TestCramMD5Client(t *testing.T) {
	// RFC 2195 section 2 example.
	c := NewCramMD5Client("tim", "tanstaaftanstaaf")
	mech, ir, err := c.Start()
	if mech != "CRAM-MD5" || ir != nil || err != nil {
		t.Fatalf("Start() = %q, %q, %v", mech, ir, err)
	}
	resp, err := c.Next([]byte("<1896.697170952@postoffice.reston.mci.net>"))
	if err != nil || string(resp) != "tim b913a602c7eda7a495b4e6e7334d3890" {
		t.Fatalf("Next() = %q, %v", resp, err)
	}
	if _, err := c.Next([]byte("again")); err == nil {
		t.Error("a second challenge was answered")
	}
}

func TestAuth(t *testing.T) {
	longPassword := strings.Repeat("p", 300)
	tests := []struct {
		name     string
		mech     sasl.Client
		script   []any // after the greeting
		secrets  []string
		wantErr  func(*testing.T, error)
		wantSeen []string // transcript lines
	}{
		{
			name:     "plain",
			mech:     sasl.NewPlainClient("", testUser, testPassword),
			script:   []any{"C: AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzM2NyZXQtUGE1NQ==", "S: +OK Logged in."},
			secrets:  []string{testPassword, "\x00" + testUser + "\x00" + testPassword},
			wantSeen: []string{"C: AUTH PLAIN", "S: +OK Logged in."},
		},
		{
			name: "plain rejected",
			mech: sasl.NewPlainClient("", testUser, testPassword),
			script: []any{"C: AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzM2NyZXQtUGE1NQ==",
				"S: -ERR [AUTH] Authentication failed."},
			secrets: []string{testPassword, "\x00" + testUser + "\x00" + testPassword},
			wantErr: func(t *testing.T, err error) {
				var rerr *Error
				if !errors.As(err, &rerr) || rerr.Command != "AUTH" || rerr.Code != "AUTH" {
					t.Errorf("err = %v, want *Error AUTH [AUTH]", err)
				}
			},
		},
		{
			name: "login",
			mech: sasl.NewLoginClient(testUser, testPassword),
			script: []any{"C: AUTH LOGIN YWxpY2VAZXhhbXBsZS50ZXN0", "S: + UGFzc3dvcmQ6",
				"C: czNjcmV0LVBhNTU=", "S: +OK Logged in."},
			secrets:  []string{testPassword},
			wantSeen: []string{"C: AUTH LOGIN", "S: + UGFzc3dvcmQ6", "C: ********", "S: +OK Logged in."},
		},
		{
			name: "cram-md5",
			mech: NewCramMD5Client("tim", "tanstaaftanstaaf"),
			script: []any{"C: AUTH CRAM-MD5", "S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
				"C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", "S: +OK"},
			secrets:  []string{"tanstaaftanstaaf", "tim b913a602c7eda7a495b4e6e7334d3890"},
			wantSeen: []string{"C: AUTH CRAM-MD5", "C: ********"},
		},
		{
			name: "mechanism fails: cancel with *",
			mech: sasl.NewLoginClient(testUser, testPassword),
			script: []any{"C: AUTH LOGIN YWxpY2VAZXhhbXBsZS50ZXN0", "S: + VXNlcm5hbWU6", // "Username:" is not what go-sasl expects
				"C: *", "S: -ERR Authentication cancelled", "C: STAT", "S: +OK 0 0"},
			secrets: []string{testPassword},
			wantErr: func(t *testing.T, err error) {
				if !errors.Is(err, sasl.ErrUnexpectedServerChallenge) {
					t.Errorf("err = %v, want sasl.ErrUnexpectedServerChallenge", err)
				}
			},
			wantSeen: []string{"C: *"},
		},
		{
			name:   "challenge not base64",
			mech:   NewCramMD5Client("tim", "tanstaaftanstaaf"),
			script: []any{"C: AUTH CRAM-MD5", "S: + not!base64", "C: *", "S: -ERR cancelled"},
			wantErr: func(t *testing.T, err error) {
				var perr *ProtocolError
				if !errors.As(err, &perr) || !strings.Contains(perr.Reason, "base64") {
					t.Errorf("err = %v, want *ProtocolError about base64", err)
				}
			},
		},
		{
			name: "initial response too long for the AUTH line",
			mech: sasl.NewPlainClient("", "u", longPassword),
			script: []any{"C: AUTH PLAIN", "S: + ",
				"C: " + b64("\x00u\x00"+longPassword), "S: +OK"},
			secrets:  []string{longPassword},
			wantSeen: []string{"C: AUTH PLAIN", "C: ********"},
		},
		{
			name:   "endless challenges",
			mech:   &echoMech{},
			script: append(append([]any{"C: AUTH X-ECHO"}, repeat(maxAuthRounds, "S: + eA==", "C: eA==")...), "S: + eA=="),
			wantErr: func(t *testing.T, err error) {
				var perr *ProtocolError
				if !errors.As(err, &perr) || !strings.Contains(perr.Reason, "too many") {
					t.Errorf("err = %v, want *ProtocolError about too many challenges", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr bytes.Buffer
			c := connect(t, &Options{Transcript: &tr}, append([]any{"S: +OK"}, tt.script...)...)
			err := c.Auth(testCtx(t), tt.mech)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Auth: %v", err)
				}
			} else {
				tt.wantErr(t, err)
				assertNoSecret(t, "error", err.Error(), tt.secrets...)
			}
			if tt.name == "mechanism fails: cancel with *" {
				if _, _, err := c.Stat(testCtx(t)); err != nil {
					t.Errorf("STAT after cancelled AUTH: %v", err)
				}
			}
			for _, line := range tt.wantSeen {
				if !strings.Contains(tr.String(), line+"\n") {
					t.Errorf("transcript lacks %q:\n%s", line, tr.String())
				}
			}
			assertNoSecret(t, "transcript", tr.String(), tt.secrets...)
		})
	}
}

func TestAuthBadMechanismName(t *testing.T) {
	c := connect(t, nil, "S: +OK")
	if err := c.Auth(testCtx(t), &echoMech{name: "BAD NAME"}); err == nil {
		t.Error("Auth with a bad mechanism name succeeded")
	}
}

// echoMech answers every challenge with itself, forever.
type echoMech struct{ name string }

func (m *echoMech) Start() (string, []byte, error) {
	if m.name == "" {
		return "X-ECHO", nil, nil
	}
	return m.name, nil, nil
}
func (m *echoMech) Next(c []byte) ([]byte, error) { return c, nil }

func repeat(n int, steps ...any) []any {
	var out []any
	for range n {
		out = append(out, steps...)
	}
	return out
}
