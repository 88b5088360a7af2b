package oauth

import (
	"strings"

	"golang.org/x/oauth2"

	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// Issuer describes an OAuth2 authorization server: from the provider table
// (FromTable) or from its metadata (Discover).
type Issuer struct {
	Name string // for messages: "Microsoft", or the issuer URL
	// Issuer is the issuer identifier that an authorization answer's iss
	// parameter must equal (RFC 9207); "{tenantid}" matches one path
	// segment. Empty: not known, iss is then not checked.
	Issuer string
	// IssParameterSupported is the metadata's
	// authorization_response_iss_parameter_supported: the answer must
	// then carry iss.
	IssParameterSupported bool
	AuthURL               string
	TokenURL              string
	DeviceURL             string // RFC 8628; empty: no device flow
	// Scopes per protocol; empty for a generic issuer (its default).
	Scopes map[mailcfg.Protocol][]string
	// Mechanisms are the SASL mechanisms the mail servers take the token
	// with, preferred first (XOAUTH2, OAUTHBEARER); empty: unknown.
	Mechanisms  []string
	RegisterURL string // where a client ID is registered, when known
}

// FromTable turns a provider table entry into an Issuer.
func FromTable(o *providers.OAuthIssuer) *Issuer {
	if o == nil {
		return nil
	}
	return &Issuer{
		Name:      o.DisplayName("en"),
		Issuer:    o.Issuer,
		AuthURL:   o.AuthorizationEndpoint,
		TokenURL:  o.TokenEndpoint,
		DeviceURL: o.DeviceAuthorizationEndpoint,
		Scopes: map[mailcfg.Protocol][]string{
			mailcfg.IMAP: o.Scopes.IMAP,
			mailcfg.POP3: o.Scopes.POP3,
			mailcfg.SMTP: o.Scopes.SMTP,
		},
		Mechanisms:  append([]string(nil), o.Mechanisms...),
		RegisterURL: o.RegisterURL,
	}
}

// ScopesFor returns the scopes to ask for to use the given protocols: the
// union, in order, without repeats.
func (i *Issuer) ScopesFor(protos ...mailcfg.Protocol) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range protos {
		for _, s := range i.Scopes[p] {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func (i *Issuer) endpoint(publicClient bool) oauth2.Endpoint {
	e := oauth2.Endpoint{AuthURL: i.AuthURL, TokenURL: i.TokenURL, DeviceAuthURL: i.DeviceURL}
	if publicClient {
		// A public client has no secret: client_id goes in the form, not
		// in an Authorization header with an empty password.
		e.AuthStyle = oauth2.AuthStyleInParams
	}
	return e
}

func (i *Issuer) displayName() string {
	if i.Name != "" {
		return i.Name
	}
	if i.Issuer != "" {
		return i.Issuer
	}
	return i.AuthURL
}

// matchesIssuer compares an iss value with the expected identifier;
// "{tenantid}" in want matches one non-empty path segment.
func matchesIssuer(want, got string) bool {
	const tenant = "{tenantid}"
	before, after, templated := strings.Cut(want, tenant)
	if !templated {
		return got == want
	}
	if !strings.HasPrefix(got, before) || !strings.HasSuffix(got, after) || len(got) <= len(before)+len(after) {
		return false
	}
	seg := got[len(before) : len(got)-len(after)]
	return seg != "" && !strings.ContainsAny(seg, "/?#")
}
