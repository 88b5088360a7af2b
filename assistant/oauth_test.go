package assistant

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"mailsetup/mailcfg"
	"mailsetup/providers"
)

func TestAuthMethods(t *testing.T) {
	cand := func(p mailcfg.Protocol, caps, mechs []string) *Candidate {
		return &Candidate{Protocol: p, Capabilities: caps, AuthMechanisms: mechs}
	}
	tests := []struct {
		name     string
		provider string
		c        *Candidate
		want     []string
	}{
		{"table: outlook takes OAuth2 only", "outlook", cand(mailcfg.IMAP, nil, []string{"PLAIN", "XOAUTH2"}), []string{"oauth2"}},
		{"table: gmail prefers OAuth2", "gmail", cand(mailcfg.SMTP, nil, nil), []string{"oauth2", "password"}},
		{"table: qq takes a password", "qq", cand(mailcfg.POP3, nil, []string{"PLAIN"}), []string{"password"}},
		{"unknown, no OAuth2 mechanism", "", cand(mailcfg.SMTP, nil, []string{"PLAIN", "LOGIN"}), []string{"password"}},
		{"unknown, both", "", cand(mailcfg.SMTP, nil, []string{"PLAIN", "XOAUTH2"}), []string{"password", "oauth2"}},
		{"unknown SMTP, OAuth2 only", "", cand(mailcfg.SMTP, nil, []string{"XOAUTH2", "OAUTHBEARER"}), []string{"oauth2"}},
		{"IMAP LOGIN takes a password", "", cand(mailcfg.IMAP, []string{"IMAP4rev1", "AUTH=XOAUTH2"}, []string{"XOAUTH2"}), []string{"password", "oauth2"}},
		{"IMAP with LOGINDISABLED", "", cand(mailcfg.IMAP, []string{"IMAP4rev1", "LOGINDISABLED"}, []string{"XOAUTH2"}), []string{"oauth2"}},
		{"POP3 USER takes a password", "", cand(mailcfg.POP3, []string{"USER", "SASL XOAUTH2"}, []string{"XOAUTH2"}), []string{"password", "oauth2"}},
		{"POP3 without USER", "", cand(mailcfg.POP3, []string{"SASL XOAUTH2"}, []string{"XOAUTH2"}), []string{"oauth2"}},
	}
	for _, tt := range tests {
		got := authMethods(providers.ByID(tt.provider), tt.c)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Each role of "recommended" carries "auth", and reads back.
func TestRecommendedAuthJSON(t *testing.T) {
	in := &mailcfg.Server{Protocol: mailcfg.IMAP, Host: "outlook.office365.com", Port: 993, Security: mailcfg.TLS, Username: "a@outlook.com"}
	r := Recommended{Incoming: in, IncomingAuth: []string{"oauth2"}}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"incoming":{"protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls","username":"a@outlook.com","auth":["oauth2"]},"outgoing":null}`
	if string(data) != want {
		t.Errorf("JSON\n got %s\nwant %s", data, want)
	}
	var back Recommended
	if err := json.Unmarshal(data, &back); err != nil || *back.Incoming != *in || !slices.Equal(back.IncomingAuth, []string{"oauth2"}) || back.Outgoing != nil {
		t.Errorf("read back %+v, %v", back, err)
	}
}

// A provider that takes no password gets none: the check says to sign in
// with Microsoft before anything is sent.
func TestCheckKnowsOAuthOnly(t *testing.T) {
	in := mailcfg.Server{Protocol: mailcfg.IMAP, Host: "outlook.office365.com", Port: 993, Security: mailcfg.TLS, Username: "a@outlook.com"}
	rep := &Report{Email: "a@outlook.com", Provider: &ProviderRef{ID: "outlook", Name: "Outlook.com"},
		Recommended: Recommended{Incoming: &in, IncomingAuth: []string{"oauth2"}},
		Candidates: []Candidate{{Role: mailcfg.Incoming, Protocol: in.Protocol, Host: in.Host, Port: in.Port, Security: in.Security,
			Status: mailcfg.StatusOK, Trusted: true, AuthMechanisms: []string{"PLAIN", "XOAUTH2"}}}}
	var started int
	e, err := New(Options{OnEvent: func(ev Event) {
		if ev.Kind == LoginStarted {
			started++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.Check(context.Background(), rep, LoginRequest{Password: "secret"})
	o := rep.Login.Incoming
	if o.OK || started != 0 || o.Reason.Code != "login.oauth_only" || !strings.Contains(o.Error, "Microsoft") {
		t.Errorf("outcome %+v, %d logins started", o, started)
	}
}
