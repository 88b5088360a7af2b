package testbed

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// oauthStorage is the authorization server's data: clients, users, auth
// requests, codes and tokens, in memory. The protocol (PKCE, codes, token
// and device endpoints, introspection) is zitadel/oidc's op package; this
// is only what it stores and looks up.
type oauthStorage struct {
	mu       sync.Mutex
	clients  map[string]*oauthClient
	users    map[string]string // login name → password
	requests map[string]*oauthRequest
	codes    map[string]string // code → request ID
	tokens   map[string]*oauthToken
	refresh  map[string]*oauthRefresh
	devices  map[string]*oauthDevice // device code → state
	userCode map[string]string       // user code → device code
	key      *ecdsa.PrivateKey
	keyID    string
	lifetime time.Duration // access tokens
}

type oauthToken struct {
	id, clientID, subject string
	audience, scopes      []string
	expiry                time.Time
}

type oauthRefresh struct {
	token, clientID, subject string
	audience, scopes         []string
	authTime                 time.Time
	accessID                 string
}

type oauthDevice struct {
	state    *op.DeviceAuthorizationState
	userCode string
}

func newOAuthStorage(users map[string]string, clients []*oauthClient, lifetime time.Duration) (*oauthStorage, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	s := &oauthStorage{
		clients: map[string]*oauthClient{}, users: users,
		requests: map[string]*oauthRequest{}, codes: map[string]string{},
		tokens: map[string]*oauthToken{}, refresh: map[string]*oauthRefresh{},
		devices: map[string]*oauthDevice{}, userCode: map[string]string{},
		key: key, keyID: uuid.NewString(), lifetime: lifetime,
	}
	for _, c := range clients {
		s.clients[c.id] = c
	}
	return s, nil
}

// oauthRequest is one authorization request (op.AuthRequest).
type oauthRequest struct {
	id, clientID, redirect, state, nonce string
	scopes                               []string
	challenge                            *oidc.CodeChallenge
	responseType                         oidc.ResponseType
	responseMode                         oidc.ResponseMode
	subject                              string
	authTime                             time.Time
	done                                 bool
}

func (r *oauthRequest) GetID() string                         { return r.id }
func (r *oauthRequest) GetACR() string                        { return "" }
func (r *oauthRequest) GetAMR() []string                      { return []string{"pwd"} }
func (r *oauthRequest) GetAudience() []string                 { return []string{r.clientID} }
func (r *oauthRequest) GetAuthTime() time.Time                { return r.authTime }
func (r *oauthRequest) GetClientID() string                   { return r.clientID }
func (r *oauthRequest) GetCodeChallenge() *oidc.CodeChallenge { return r.challenge }
func (r *oauthRequest) GetNonce() string                      { return r.nonce }
func (r *oauthRequest) GetRedirectURI() string                { return r.redirect }
func (r *oauthRequest) GetResponseType() oidc.ResponseType    { return r.responseType }
func (r *oauthRequest) GetResponseMode() oidc.ResponseMode    { return r.responseMode }
func (r *oauthRequest) GetScopes() []string                   { return r.scopes }
func (r *oauthRequest) GetState() string                      { return r.state }
func (r *oauthRequest) GetSubject() string                    { return r.subject }
func (r *oauthRequest) Done() bool                            { return r.done }

// oauthRefreshRequest is a refresh grant (op.RefreshTokenRequest).
type oauthRefreshRequest struct{ *oauthRefresh }

func (r oauthRefreshRequest) GetAMR() []string                 { return []string{"pwd"} }
func (r oauthRefreshRequest) GetAudience() []string            { return r.audience }
func (r oauthRefreshRequest) GetAuthTime() time.Time           { return r.authTime }
func (r oauthRefreshRequest) GetClientID() string              { return r.clientID }
func (r oauthRefreshRequest) GetScopes() []string              { return r.scopes }
func (r oauthRefreshRequest) GetSubject() string               { return r.subject }
func (r oauthRefreshRequest) SetCurrentScopes(scopes []string) { r.scopes = scopes }

var errNotFound = errors.New("not found")

func (s *oauthStorage) CreateAuthRequest(_ context.Context, a *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &oauthRequest{id: uuid.NewString(), clientID: a.ClientID, redirect: a.RedirectURI, state: a.State, nonce: a.Nonce,
		scopes: a.Scopes, responseType: a.ResponseType, responseMode: a.ResponseMode}
	if a.CodeChallenge != "" {
		r.challenge = &oidc.CodeChallenge{Challenge: a.CodeChallenge, Method: a.CodeChallengeMethod}
	}
	s.requests[r.id] = r
	return r, nil
}

func (s *oauthStorage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[id]; ok {
		return r, nil
	}
	return nil, errNotFound
}

func (s *oauthStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errNotFound
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *oauthStorage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

func (s *oauthStorage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// complete marks a request signed in by user (the login page).
func (s *oauthStorage) complete(id, user, password string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return errNotFound
	}
	if pw, ok := s.users[user]; !ok || pw != password {
		return errors.New("wrong user name or password")
	}
	r.subject, r.authTime, r.done = user, time.Now(), true
	return nil
}

// audienceOf is the audience of every token issued to a client: itself and
// the resource servers it was registered for.
func (s *oauthStorage) audienceOf(clientID string) []string {
	aud := []string{clientID}
	if c := s.clients[clientID]; c != nil {
		aud = append(aud, c.audience...)
	}
	return aud
}

func clientOf(r op.TokenRequest) string {
	if c, ok := r.(interface{ GetClientID() string }); ok {
		return c.GetClientID()
	}
	return ""
}

func (s *oauthStorage) newToken(clientID string, r op.TokenRequest) *oauthToken {
	t := &oauthToken{id: uuid.NewString(), clientID: clientID, subject: r.GetSubject(),
		audience: s.audienceOf(clientID), scopes: r.GetScopes(), expiry: time.Now().Add(s.lifetime)}
	s.tokens[t.id] = t
	return t
}

func (s *oauthStorage) CreateAccessToken(_ context.Context, r op.TokenRequest) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.newToken(clientOf(r), r)
	return t.id, t.expiry, nil
}

func (s *oauthStorage) CreateAccessAndRefreshTokens(_ context.Context, r op.TokenRequest, current string) (string, string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clientID := clientOf(r)
	authTime := time.Now()
	if current != "" {
		old, ok := s.refresh[current]
		if !ok {
			return "", "", time.Time{}, op.ErrInvalidRefreshToken
		}
		delete(s.refresh, current) // rotation: a refresh token works once
		delete(s.tokens, old.accessID)
		authTime = old.authTime
	}
	t := s.newToken(clientID, r)
	rt := &oauthRefresh{token: uuid.NewString() + uuid.NewString(), clientID: clientID, subject: t.subject,
		audience: t.audience, scopes: t.scopes, authTime: authTime, accessID: t.id}
	s.refresh[rt.token] = rt
	return t.id, rt.token, t.expiry, nil
}

func (s *oauthStorage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[token]
	if !ok {
		return nil, op.ErrInvalidRefreshToken
	}
	cp := *rt
	return oauthRefreshRequest{&cp}, nil
}

func (s *oauthStorage) TerminateSession(context.Context, string, string) error { return nil }

func (s *oauthStorage) RevokeToken(_ context.Context, token, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, token)
	delete(s.refresh, token)
	return nil
}

func (s *oauthStorage) GetRefreshTokenInfo(_ context.Context, _ string, token string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[token]
	if !ok {
		return "", "", op.ErrInvalidRefreshToken
	}
	return rt.subject, rt.token, nil
}

func (s *oauthStorage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

func (s *oauthStorage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if !ok || time.Now().After(t.expiry) {
		return errors.New("token invalid or expired")
	}
	info.Subject, info.Email, info.PreferredUsername = t.subject, t.subject, t.subject
	return nil
}

// SetIntrospectionFromToken answers a resource server (dovecot): the token
// must exist, be unexpired, and name the asking server in its audience.
func (s *oauthStorage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, _, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if !ok {
		return errNotFound
	}
	if time.Now().After(t.expiry) {
		return errors.New("token expired")
	}
	if !slices.Contains(t.audience, clientID) {
		return errors.New("token not issued for this resource server")
	}
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	resp.Subject = t.subject
	resp.Username = t.subject
	resp.Audience = t.audience
	resp.TokenType = "Bearer"
	resp.Expiration = oidc.FromTime(t.expiry)
	return nil
}

func (s *oauthStorage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *oauthStorage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

func (s *oauthStorage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("JWT profile grants are not offered")
}

func (s *oauthStorage) Health(context.Context) error { return nil }

// Device authorization (RFC 8628).

func (s *oauthStorage) StoreDeviceAuthorization(_ context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.clients[clientID]; !ok {
		return errNotFound
	}
	if _, dup := s.userCode[userCode]; dup {
		return op.ErrDuplicateUserCode
	}
	s.devices[deviceCode] = &oauthDevice{userCode: userCode, state: &op.DeviceAuthorizationState{
		ClientID: clientID, Scopes: scopes, Expires: expires, Audience: s.audienceOf(clientID)}}
	s.userCode[userCode] = deviceCode
	return nil
}

func (s *oauthStorage) GetDeviceAuthorizatonState(_ context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[deviceCode]
	if !ok || d.state.ClientID != clientID {
		return nil, errNotFound
	}
	cp := *d.state
	return &cp, nil
}

// answerDevice records the user's answer on the device page.
func (s *oauthStorage) answerDevice(userCode, user, password string, allow bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[s.userCode[userCode]]
	if !ok {
		return errors.New("unknown code")
	}
	if pw, ok := s.users[user]; !ok || pw != password {
		return errors.New("wrong user name or password")
	}
	if !allow {
		d.state.Denied = true
		return nil
	}
	d.state.Subject, d.state.AuthTime, d.state.Done = user, time.Now(), true
	return nil
}

// spoil expires the access token that came with refreshToken and, with
// revoke, the refresh token itself (OAuthServer.ExpireNextSignIn).
func (s *oauthStorage) spoil(refreshToken string, revoke bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[refreshToken]
	if !ok {
		return
	}
	if t, ok := s.tokens[rt.accessID]; ok {
		t.expiry = time.Now().Add(-time.Second)
	}
	if revoke {
		delete(s.refresh, refreshToken)
	}
}

// expireAll makes every access token issued so far expired.
func (s *oauthStorage) expireAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for _, t := range s.tokens {
		t.expiry = past
	}
}
