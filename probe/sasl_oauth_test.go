package probe

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

func TestXOAuth2Response(t *testing.T) {
	got := string(xoauth2Response("alice@example.test", "tok"))
	if want := "user=alice@example.test\x01auth=Bearer tok\x01\x01"; got != want {
		t.Fatalf("XOAUTH2 response %q, want %q", got, want)
	}
	c := newOAuthClient(MechOAuthBearer, "alice@example.test", "tok")
	if mech, ir, _ := c.Start(); mech != MechOAuthBearer || string(ir) != "n,a=alice@example.test,\x01auth=Bearer tok\x01\x01" {
		t.Fatalf("OAUTHBEARER start %s %q", mech, ir)
	}
	if newOAuthClient("PLAIN", "a", "b") != nil {
		t.Fatal("PLAIN is not a token mechanism")
	}
}

func TestOAuthClientRefusal(t *testing.T) {
	tests := []struct {
		mech, challenge string
		answer          []byte
		status, scope   string
	}{
		{MechXOAuth2, `{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`, []byte{}, "401", "https://mail.google.com/"},
		{MechOAuthBearer, `{"status":"invalid_token","schemes":"bearer"}`, []byte{1}, "invalid_token", ""},
		{MechXOAuth2, "not json \x00\x07", []byte{}, `not json \x00\x07`, ""},
	}
	for _, tt := range tests {
		c := newOAuthClient(tt.mech, "u", "t")
		c.Start()
		ans, err := c.Next([]byte(tt.challenge))
		if err != nil || string(ans) != string(tt.answer) {
			t.Errorf("%s: answer %q, %v; want %q", tt.mech, ans, err, tt.answer)
		}
		if c.status == nil || c.status.Status != tt.status || c.status.Scope != tt.scope {
			t.Errorf("%s: status %+v, want %q %q", tt.mech, c.status, tt.status, tt.scope)
		}
		if _, err := c.Next([]byte("again")); err == nil {
			t.Errorf("%s: a second challenge must end the exchange", tt.mech)
		}
	}
}

func TestTokenMechanism(t *testing.T) {
	offer := func(list ...string) func(string) bool {
		return func(m string) bool { return contains(list, m) }
	}
	tests := []struct {
		forced  string
		offered []string
		want    string
		err     string
	}{
		{"", []string{"PLAIN", "XOAUTH2", "OAUTHBEARER"}, MechOAuthBearer, ""},
		{"", []string{"PLAIN", "XOAUTH2"}, MechXOAuth2, ""},
		{"", []string{"PLAIN"}, "", "offers no OAuth2 mechanism"},
		{"xoauth2", []string{"OAUTHBEARER"}, MechXOAuth2, ""},
		{"PLAIN", []string{"PLAIN"}, "", "cannot send an OAuth2 token with PLAIN"},
	}
	for _, tt := range tests {
		got, err := tokenMechanism(tt.forced, offer(tt.offered...))
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("forced %q offered %v: %q, %v", tt.forced, tt.offered, got, err)
		}
	}
}

// assertNoToken fails when the token shows in any form.
func assertNoToken(t *testing.T, what, text string) {
	t.Helper()
	for _, f := range tokenSecretForms(testUser, testToken) {
		if strings.Contains(text, f) {
			t.Errorf("%s holds the token (as %q):\n%s", what, f, text)
		}
	}
	for _, part := range []string{testToken[:12], base64.StdEncoding.EncodeToString([]byte("auth=Bearer"))} {
		if strings.Contains(text, part) {
			t.Errorf("%s holds part of the token exchange %q:\n%s", what, part, text)
		}
	}
}

func TestLoginSMTPToken(t *testing.T) {
	pki := certs(t)
	tests := []struct {
		name       string
		mechanisms []string
		token      string
		ok         bool
		mech       string
		status     string
	}{
		{"OAUTHBEARER preferred", []string{"PLAIN", "XOAUTH2", "OAUTHBEARER"}, testToken, true, MechOAuthBearer, ""},
		{"XOAUTH2 only", []string{"PLAIN", "XOAUTH2"}, testToken, true, MechXOAuth2, ""},
		{"OAUTHBEARER refused", []string{"OAUTHBEARER"}, testToken + "-expired", false, MechOAuthBearer, "invalid_token"},
		{"XOAUTH2 refused", []string{"XOAUTH2"}, testToken + "-expired", false, MechXOAuth2, "401"},
		{"no token mechanism", []string{"PLAIN", "LOGIN"}, testToken, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &smtpTest{startTLS: serverTLS(pki.valid), mechanisms: tt.mechanisms}
			port := st.start(t)
			var log syncBuffer
			c := Credentials{Username: testUser, AccessToken: tt.token}
			r := Login(context.Background(), server(mailcfg.SMTP, port, mailcfg.STARTTLS), c, loginOptions(t, &log))
			if r.OK != tt.ok || r.Mechanism != tt.mech || r.Method != MethodOAuth2 || r.OAuthStatus != tt.status {
				t.Fatalf("ok %v, mechanism %q, method %q, status %q, error %q", r.OK, r.Mechanism, r.Method, r.OAuthStatus, r.Error)
			}
			if tt.status != "" && (!r.AuthFailed || !strings.Contains(r.Error, "refused the sign-in token") || !strings.Contains(r.Error, "status "+tt.status)) {
				t.Fatalf("refusal: auth failed %v, error %q", r.AuthFailed, r.Error)
			}
			if tt.mech == "" && (r.AuthFailed || !strings.Contains(r.Error, "offers no OAuth2 mechanism")) {
				t.Fatalf("no mechanism: %q", r.Error)
			}
			if !strings.Contains(log.String(), "AUTH") && tt.mech != "" {
				t.Fatalf("transcript lacks the AUTH line:\n%s", log.String())
			}
			assertNoToken(t, "the transcript", log.String())
			assertNoToken(t, "the error", r.Error+r.Reply)
		})
	}
	t.Run("token refused over plain text", func(t *testing.T) {
		st := &smtpTest{mechanisms: []string{"XOAUTH2"}}
		port := st.start(t)
		r := Login(context.Background(), server(mailcfg.SMTP, port, mailcfg.None), Credentials{Username: testUser, AccessToken: testToken}, loginOptions(t, nil))
		if r.OK || !strings.Contains(r.Error, "refusing to send the sign-in token without encryption") {
			t.Fatalf("ok %v, error %q", r.OK, r.Error)
		}
		if strings.Contains(st.tap.received(), "AUTH") {
			t.Fatalf("the server received AUTH:\n%s", st.tap.received())
		}
	})
}

func TestTranscriptRedactsToken(t *testing.T) {
	var log syncBuffer
	tr := newTranscript(&log, "h:1")
	c := Credentials{Username: testUser, AccessToken: testToken}
	tr.addSecret(secretForms(c)...)
	ir := base64.StdEncoding.EncodeToString(xoauth2Response(testUser, testToken))
	tr.fromClient([]byte("A1 AUTHENTICATE XOAUTH2 " + ir + "\r\n"))
	tr.fromServer([]byte("+ eyJzdGF0dXMiOiI0MDEifQ==\r\n"))
	tr.fromClient([]byte("\r\n"))
	tr.fromServer([]byte("A1 NO [AUTHENTICATIONFAILED] echo " + testToken + "\r\n"))
	tr.fromClient([]byte("AUTH XOAUTH2\r\n"))
	tr.fromServer([]byte("+ \r\n"))
	tr.fromClient([]byte(ir + "\r\n"))
	assertNoToken(t, "the transcript", log.String())
	if !strings.Contains(log.String(), "AUTHENTICATE XOAUTH2 ***") {
		t.Fatalf("transcript:\n%s", log.String())
	}
}
