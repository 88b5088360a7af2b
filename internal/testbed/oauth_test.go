package testbed

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// appClient signs in with golang.org/x/oauth2 alone (not the project's
// oauth package): a loopback listener takes the answer.
type appClient struct {
	t    *testing.T
	s    *OAuthServer
	conf *oauth2.Config
	ctx  context.Context
}

func newAppClient(t *testing.T, s *OAuthServer) *appClient {
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, s.bed.HTTPClient())
	return &appClient{t: t, s: s, ctx: ctx, conf: &oauth2.Config{
		ClientID: OAuthClientID, Scopes: OAuthScopes,
		Endpoint: oauth2.Endpoint{AuthURL: s.Issuer + "/authorize", TokenURL: s.Issuer + oauthTokenPath, AuthStyle: oauth2.AuthStyleInParams},
	}}
}

// signIn runs the code flow with PKCE; SignInAs plays the browser.
func (c *appClient) signIn() *oauth2.Token {
	c.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	codes := make(chan string, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case codes <- r.URL.Query().Get("code"):
		default:
		}
		io.WriteString(w, "ok")
	})}
	go srv.Serve(ln)
	defer srv.Close()
	conf := *c.conf
	conf.RedirectURL = fmt.Sprintf("http://127.0.0.1:%d/", ln.Addr().(*net.TCPAddr).Port)
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier))
	if _, err := SignInAs(c.ctx, c.s.bed.HTTPClient(), authURL, "alice@oauth.test", DefaultPassword, Allow, nil); err != nil {
		c.t.Fatalf("sign-in page: %v", err)
	}
	code := <-codes
	tok, err := conf.Exchange(c.ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		c.t.Fatalf("exchange: %v", err)
	}
	if !slices.Contains(c.s.IssuedSecrets(), IssuedSecret{SecretCode, code}) ||
		!slices.Contains(c.s.IssuedSecrets(), IssuedSecret{SecretVerifier, verifier}) {
		c.t.Errorf("the code or the verifier of the sign-in was not recorded: %v", c.s.IssuedSecrets())
	}
	return tok
}

// active asks the introspection endpoint, as dovecot does.
func (c *appClient) active(token string) bool {
	c.t.Helper()
	u, _ := url.Parse(c.s.IntrospectURL)
	req, _ := http.NewRequest(http.MethodPost, c.s.IntrospectURL, strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	pw, _ := u.User.Password()
	req.SetBasicAuth(u.User.Username(), pw)
	req.URL.User = nil
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct{ Active bool }
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		c.t.Fatalf("introspection: %v", err)
	}
	return doc.Active
}

func (c *appClient) refresh(tok *oauth2.Token) (*oauth2.Token, error) {
	old := *tok
	old.Expiry = time.Unix(1, 0)
	return c.conf.TokenSource(c.ctx, &old).Token()
}

func TestOAuthRecordsAndSpoils(t *testing.T) {
	b := Start(t)
	s := b.OAuth(t, OAuthOptions{})
	c := newAppClient(t, s)

	tok := c.signIn()
	want := []string{tok.AccessToken, tok.RefreshToken}
	if id, ok := tok.Extra("id_token").(string); ok {
		want = append(want, id) // zitadel adds one without the openid scope
	}
	if got := s.IssuedTokens(); !slices.Equal(got, want) {
		t.Errorf("issued tokens %q, want %q", got, want)
	}
	if !c.active(tok.AccessToken) {
		t.Fatal("a fresh token is not active")
	}

	t.Run("expired at sign-in, refreshed", func(t *testing.T) {
		s.ExpireNextSignIn(false)
		spoiled := c.signIn()
		if c.active(spoiled.AccessToken) || spoiled.Expiry.Before(time.Now().Add(time.Minute)) {
			t.Fatalf("the spoiled token: active %v, expiry %v; want inactive, promising minutes", c.active(spoiled.AccessToken), spoiled.Expiry)
		}
		fresh, err := c.refresh(spoiled)
		if err != nil || !c.active(fresh.AccessToken) {
			t.Fatalf("refresh: %v", err)
		}
		if !slices.Contains(s.IssuedTokens(), fresh.AccessToken) {
			t.Error("the refreshed token was not recorded")
		}
		if again := c.signIn(); !c.active(again.AccessToken) {
			t.Error("the sign-in after the spoiled one is spoiled too")
		}
	})
	t.Run("refresh token revoked", func(t *testing.T) {
		s.ExpireNextSignIn(true)
		spoiled := c.signIn()
		if _, err := c.refresh(spoiled); err == nil {
			t.Fatal("a revoked refresh token worked")
		}
		reqs := s.TokenRequests()
		last := reqs[len(reqs)-1]
		if last.Grant != "refresh_token" || last.Status != http.StatusBadRequest || last.Error != "invalid_grant" {
			t.Errorf("last token request %+v, want a refused refresh", last)
		}
	})
}
