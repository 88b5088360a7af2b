package providers

import (
	"fmt"
	"net/url"
	"strings"

	"mailsetup/mailcfg"
)

// Sign-in methods (Provider.SignIn), as DESIGN.md's JSON "auth" names them.
const (
	SignInPassword = "password" // a password, app password or authorization code
	SignInOAuth2   = "oauth2"   // OAuth2: the provider's sign-in page, then a token
)

// SASL mechanisms that carry an OAuth2 token.
const (
	MechXOAuth2     = "XOAUTH2"
	MechOAuthBearer = "OAUTHBEARER" // RFC 7628
)

// OAuthIssuer is an OAuth2 authorization server that mail clients sign in
// with. It holds no client ID: mailsetup ships no other application's, the
// user or their administrator registers one (RegisterURL).
type OAuthIssuer struct {
	ID   string            `json:"id"`
	Name map[string]string `json:"name"` // in every language of Languages
	// Issuer is the RFC 8414 issuer identifier, compared with the iss
	// parameter of an authorization answer (RFC 9207). "{tenantid}" stands
	// for one path segment: a multi-tenant issuer answers with the tenant's.
	Issuer                      string      `json:"issuer"`
	AuthorizationEndpoint       string      `json:"authorization_endpoint"`
	TokenEndpoint               string      `json:"token_endpoint"`
	DeviceAuthorizationEndpoint string      `json:"device_authorization_endpoint,omitempty"` // RFC 8628; empty: none for mail scopes
	Scopes                      OAuthScopes `json:"scopes"`
	// Mechanisms are the SASL mechanisms the provider's mail servers take
	// a token with, preferred first.
	Mechanisms  []string `json:"mechanisms"`
	RegisterURL string   `json:"register_url"` // where an application (client ID) is registered
	Source      string   `json:"source"`
	Checked     string   `json:"checked"`
}

// OAuthScopes are the scopes to ask for, per protocol.
type OAuthScopes struct {
	IMAP []string `json:"imap"`
	POP3 []string `json:"pop3"`
	SMTP []string `json:"smtp"`
}

// For returns the scopes for a protocol.
func (s OAuthScopes) For(p mailcfg.Protocol) []string {
	switch p {
	case mailcfg.IMAP:
		return s.IMAP
	case mailcfg.POP3:
		return s.POP3
	case mailcfg.SMTP:
		return s.SMTP
	}
	return nil
}

// DisplayName returns the name in lang, falling back to English.
func (o *OAuthIssuer) DisplayName(lang string) string {
	if n := o.Name[lang]; n != "" {
		return n
	}
	return o.Name["en"]
}

// SignInMethods returns how the provider's servers take a sign-in,
// preferred first; an entry that says nothing takes a password.
func (p *Provider) SignInMethods() []string {
	if len(p.SignIn) == 0 {
		return []string{SignInPassword}
	}
	return append([]string(nil), p.SignIn...)
}

// TakesPassword reports whether any password (an app password or code
// included) still works.
func (p *Provider) TakesPassword() bool { return hasString(p.SignInMethods(), SignInPassword) }

// TakesOAuth2 reports whether OAuth2 sign-in works.
func (p *Provider) TakesOAuth2() bool { return hasString(p.SignInMethods(), SignInOAuth2) }

// OAuth returns the provider's OAuth2 issuer, or nil.
func (p *Provider) OAuth() *OAuthIssuer { return p.issuer }

// IssuerByID returns a built-in OAuth2 issuer, or nil.
func IssuerByID(id string) *OAuthIssuer { return builtin().issuers[id] }

// Issuers returns the built-in OAuth2 issuers in table order.
func Issuers() []*OAuthIssuer { return append([]*OAuthIssuer(nil), builtin().issuerList...) }

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkIssuer validates one issuer entry.
func (c *checker) checkIssuer(o *OAuthIssuer) {
	if !validID(o.ID) {
		c.add("id", "%q is not a lower-case ID of letters, digits and '-'", o.ID)
	}
	c.checkTexts("name", o.Name, true)
	if o.Issuer == "" {
		c.add("issuer", "empty: the issuer identifier is what an authorization answer's iss is checked against")
	} else if !httpsURL(strings.ReplaceAll(o.Issuer, "{tenantid}", "tenant")) {
		c.add("issuer", "%q is not an https URL", o.Issuer)
	}
	for field, u := range map[string]string{
		"authorization_endpoint": o.AuthorizationEndpoint,
		"token_endpoint":         o.TokenEndpoint,
		"register_url":           o.RegisterURL,
	} {
		if !httpsURL(u) {
			c.add(field, "%q is not an https URL", u)
		}
	}
	if o.DeviceAuthorizationEndpoint != "" && !httpsURL(o.DeviceAuthorizationEndpoint) {
		c.add("device_authorization_endpoint", "%q is not an https URL", o.DeviceAuthorizationEndpoint)
	}
	for _, p := range []mailcfg.Protocol{mailcfg.IMAP, mailcfg.POP3, mailcfg.SMTP} {
		scopes := o.Scopes.For(p)
		if len(scopes) == 0 {
			c.add("scopes."+string(p), "empty")
		}
		for i, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \"\\") {
				c.add(fmt.Sprintf("scopes.%s[%d]", p, i), "%q is not a scope token (RFC 6749 section 3.3)", s)
			}
		}
	}
	if len(o.Mechanisms) == 0 {
		c.add("mechanisms", "empty: say which SASL mechanisms take the token")
	}
	seen := map[string]bool{}
	for i, m := range o.Mechanisms {
		if m != MechXOAuth2 && m != MechOAuthBearer || seen[m] {
			c.add(fmt.Sprintf("mechanisms[%d]", i), "%q is not %s or %s, or is listed twice", m, MechXOAuth2, MechOAuthBearer)
		}
		seen[m] = true
	}
	if strings.TrimSpace(o.Source) == "" {
		c.add("source", "empty: say where the facts come from")
	}
	if !validMonth(o.Checked) {
		c.add("checked", "%q is not a YYYY-MM month", o.Checked)
	}
}

// checkSignIn validates a provider's sign-in methods against its issuer
// and its login requirements.
func (c *checker) checkSignIn(p *Provider, issuers map[string]*OAuthIssuer) {
	seen := map[string]bool{}
	for i, m := range p.SignIn {
		if m != SignInPassword && m != SignInOAuth2 || seen[m] {
			c.add(fmt.Sprintf("sign_in[%d]", i), "%q is not %q or %q, or is listed twice", m, SignInPassword, SignInOAuth2)
		}
		seen[m] = true
	}
	switch {
	case p.OAuthIssuer != "" && issuers[p.OAuthIssuer] == nil:
		c.add("oauth_issuer", "%q is not an issuer of oauth_issuers", p.OAuthIssuer)
	case p.OAuthIssuer != "":
		p.issuer = issuers[p.OAuthIssuer]
	}
	if seen[SignInOAuth2] != (p.OAuthIssuer != "") {
		c.add("oauth_issuer", "must be given exactly when sign_in lists %q", SignInOAuth2)
	}
	if p.HasAuth(AuthOAuth2Only) && (len(p.SignIn) != 1 || p.SignIn[0] != SignInOAuth2) {
		c.add("sign_in", "auth says %s: sign_in must be [%q]", AuthOAuth2Only, SignInOAuth2)
	}
}

func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}
