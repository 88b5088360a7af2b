package oauth

import (
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/oauth2"
)

// Secret is a token, code or verifier. Every way of printing it — fmt's
// verbs, JSON, slog — shows Redacted; Reveal returns the value for the one
// place that must send it.
type Secret string

// Redacted is what a Secret prints as.
const Redacted = "[redacted]"

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports an empty secret.
func (s Secret) IsZero() bool { return s == "" }

func (s Secret) String() string   { return Redacted }
func (s Secret) GoString() string { return `oauth.Secret("` + Redacted + `")` }

// Format covers every fmt verb, %x and %q included.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		f.Write([]byte(s.GoString()))
		return
	}
	f.Write([]byte(Redacted))
}

func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }
func (s Secret) LogValue() slog.Value         { return slog.StringValue(Redacted) }

// Token is what a sign-in yields. It lives in memory; only the refresh
// token may be stored, and only where the caller asks (SaveRefreshToken).
type Token struct {
	AccessToken  Secret
	RefreshToken Secret
	TokenType    string    // "Bearer"
	Expiry       time.Time // zero: the issuer did not say
	Scope        string    // the scopes granted, when the issuer says
}

// Expired reports whether the access token is past its expiry, or within
// margin of it.
func (t *Token) Expired(margin time.Duration) bool {
	if t == nil || t.AccessToken == "" {
		return true
	}
	return !t.Expiry.IsZero() && time.Now().Add(margin).After(t.Expiry)
}

// CanRefresh reports whether a refresh token is at hand.
func (t *Token) CanRefresh() bool { return t != nil && t.RefreshToken != "" }

func (t *Token) String() string {
	if t == nil {
		return "<nil token>"
	}
	exp := "no expiry"
	if !t.Expiry.IsZero() {
		exp = "expires " + t.Expiry.Format(time.RFC3339)
	}
	return fmt.Sprintf("%s token %s (%s, refresh token: %t)", t.TokenType, Redacted, exp, t.RefreshToken != "")
}

func (t *Token) GoString() string { return t.String() }

func fromOAuth2(t *oauth2.Token) *Token {
	tok := &Token{
		AccessToken:  Secret(t.AccessToken),
		RefreshToken: Secret(t.RefreshToken),
		TokenType:    t.Type(),
		Expiry:       t.Expiry,
	}
	if s, ok := t.Extra("scope").(string); ok {
		tok.Scope = s
	}
	return tok
}

func (t *Token) toOAuth2() *oauth2.Token {
	return &oauth2.Token{
		AccessToken:  t.AccessToken.Reveal(),
		RefreshToken: t.RefreshToken.Reveal(),
		TokenType:    t.TokenType,
		Expiry:       t.Expiry,
	}
}
