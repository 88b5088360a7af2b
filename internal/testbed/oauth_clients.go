package testbed

import (
	"context"
	"errors"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The authorization server's clients and its signing key, as zitadel/oidc's
// op package asks for them.

type oauthKey struct{ s *oauthStorage }

func (k oauthKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k oauthKey) Algorithm() jose.SignatureAlgorithm          { return jose.ES256 }
func (k oauthKey) ID() string                                  { return k.s.keyID }
func (k oauthKey) Use() string                                 { return "sig" }

type oauthPrivateKey struct{ oauthKey }
type oauthPublicKey struct{ oauthKey }

func (k oauthPrivateKey) Key() any { return k.s.key }
func (k oauthPublicKey) Key() any  { return &k.s.key.PublicKey }

func (s *oauthStorage) SigningKey(context.Context) (op.SigningKey, error) {
	return oauthPrivateKey{oauthKey{s}}, nil
}
func (s *oauthStorage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}
func (s *oauthStorage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{oauthPublicKey{oauthKey{s}}}, nil
}

func (s *oauthStorage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok {
		return c, nil
	}
	return nil, errNotFound
}

func (s *oauthStorage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[id]
	if !ok || c.secret == "" || c.secret != secret {
		return errors.New("invalid client")
	}
	return nil
}

// oauthClient is a registered application (op.Client).
type oauthClient struct {
	id, secret string
	native     bool     // a public native app: loopback redirect, PKCE, no secret
	audience   []string // resource servers its tokens are for
}

func (c *oauthClient) GetID() string { return c.id }
func (c *oauthClient) RedirectURIs() []string {
	if c.native {
		return []string{"http://127.0.0.1/"} // any port (RFC 8252 section 7.3)
	}
	return nil
}
func (c *oauthClient) PostLogoutRedirectURIs() []string { return nil }
func (c *oauthClient) ApplicationType() op.ApplicationType {
	if c.native {
		return op.ApplicationTypeNative
	}
	return op.ApplicationTypeWeb
}
func (c *oauthClient) AuthMethod() oidc.AuthMethod {
	if c.secret == "" {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}
func (c *oauthClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *oauthClient) GrantTypes() []oidc.GrantType {
	if !c.native {
		return nil
	}
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken, oidc.GrantTypeDeviceCode}
}
func (c *oauthClient) LoginURL(id string) string            { return oauthLoginPath + "?id=" + id }
func (c *oauthClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *oauthClient) IDTokenLifetime() time.Duration       { return time.Hour }
func (c *oauthClient) DevMode() bool                        { return false }
func (c *oauthClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *oauthClient) ClockSkew() time.Duration             { return 0 }
func (c *oauthClient) IsScopeAllowed(scope string) bool {
	return scope == OAuthMailScope || scope == "other"
}
func (c *oauthClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *oauthClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
