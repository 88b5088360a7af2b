package testbed

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// The authorization server's fixed names: the applications registered with
// it and the scope dovecot asks for.
const (
	// OAuthClientID is a public native application (PKCE, loopback
	// redirect on any port, refresh and device grants) whose tokens are
	// for the bed's mail servers.
	OAuthClientID = "mailsetup-test"
	// OAuthOtherClientID is registered the same way, but its tokens are
	// for itself only: the mail servers refuse them (wrong audience).
	OAuthOtherClientID = "other-app"
	// OAuthResourceID is the mail servers' own registration, with which
	// dovecot introspects tokens.
	OAuthResourceID = "mail-server"
	// OAuthMailScope is the scope dovecot requires.
	OAuthMailScope = "mail"
)

// OAuthScopes are the scopes a mail sign-in asks the bed's issuer for.
var OAuthScopes = []string{OAuthMailScope, "offline_access"}

const (
	oauthLoginPath  = "/login"
	oauthDevicePath = "/device"
	// OAuthIntrospectPath is zitadel's introspection endpoint.
	OAuthIntrospectPath = "/oauth/introspect"
)

// OAuthOptions describes an authorization server.
type OAuthOptions struct {
	// IP to serve on; empty means a new address.
	IP string
	// Host is the issuer's name: the issuer is https://Host. Default
	// "auth.oauth.test".
	Host string
	// Aliases are more names of the same server (certificate and A
	// records): reached under one, its metadata still names Host.
	Aliases []string
	// Users maps login names (addresses) to passwords; empty means
	// alice@oauth.test with DefaultPassword.
	Users map[string]string
	// TokenLifetime of access tokens; default 5 minutes.
	TokenLifetime time.Duration
}

// OAuthServer is a real OAuth2/OpenID authorization server on loopback:
// zitadel/oidc's OpenID provider (authorization code with PKCE, refresh,
// device flow, token introspection, RFC 8414 and OpenID discovery) with
// in-memory storage and a login page that tests fill in over HTTP.
type OAuthServer struct {
	Issuer string // "https://auth.oauth.test"
	Host   string
	IP     string
	// IntrospectURL is what dovecot calls: plain HTTP on the real port
	// (dovecot resolves with the system, not the bed's DNS), with the
	// resource server's credentials in it.
	IntrospectURL  string
	ResourceSecret string
	Users          map[string]string

	bed     *Bed
	store   *oauthStorage
	web     *WebServer // https://Host, as ip:443
	backend *WebServer // plain HTTP for dovecot

	rec oauthRecorder // secrets handed out, ExpireNextSignIn

	mu             sync.Mutex
	lastBrowserErr error
}

// OAuth starts an authorization server that stops when t's test ends.
func (b *Bed) OAuth(t interface {
	Helper()
	Cleanup(func())
	Fatalf(string, ...any)
	Skipf(string, ...any)
}, o OAuthOptions) *OAuthServer {
	t.Helper()
	s, err := b.StartOAuth(o)
	if err != nil {
		t.Fatalf("testbed: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// StartOAuth starts an authorization server that stops with Close or with the bed.
func (b *Bed) StartOAuth(o OAuthOptions) (*OAuthServer, error) {
	if o.Host == "" {
		o.Host = "auth.oauth.test"
	}
	if len(o.Users) == 0 {
		o.Users = map[string]string{"alice@oauth.test": DefaultPassword}
	}
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = 5 * time.Minute
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	s := &OAuthServer{Issuer: "https://" + o.Host, Host: o.Host, ResourceSecret: hex.EncodeToString(secret), Users: o.Users, bed: b}
	store, err := newOAuthStorage(o.Users, []*oauthClient{
		{id: OAuthClientID, native: true, audience: []string{OAuthResourceID}},
		{id: OAuthOtherClientID, native: true},
		{id: OAuthResourceID, secret: s.ResourceSecret},
	}, o.TokenLifetime)
	if err != nil {
		return nil, err
	}
	s.store = store
	handler, err := s.handler()
	if err != nil {
		return nil, err
	}
	cert := CertValid
	if s.web, err = b.StartWeb(o.IP, 443, append([]string{o.Host}, o.Aliases...), &cert, handler); err != nil {
		return nil, err
	}
	s.IP = s.web.IP
	if s.backend, err = b.StartWeb(s.IP, 80, nil, nil, handler); err != nil {
		s.web.Close()
		return nil, err
	}
	s.IntrospectURL = fmt.Sprintf("http://%s:%s@%s%s", OAuthResourceID, s.ResourceSecret, s.backend.Addr, OAuthIntrospectPath)
	b.own(nil, s.Close)
	return s, nil
}

// handler is zitadel's provider with the login and device pages beside it.
func (s *OAuthServer) handler() (http.Handler, error) {
	cfg := &op.Config{
		CryptoKey:                sha256.Sum256([]byte(s.ResourceSecret)),
		DefaultLogoutRedirectURI: "/",
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		GrantTypeRefreshToken:    true,
		SupportedUILocales:       []language.Tag{language.English},
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime:     5 * time.Minute,
			PollInterval: time.Second,
			UserFormPath: oauthDevicePath,
			UserCode:     op.UserCodeBase20,
		},
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	provider, err := op.NewProvider(cfg, s.store, op.StaticIssuer(s.Issuer), op.WithLogger(quiet))
	if err != nil {
		return nil, err
	}
	router := chi.NewRouter()
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)
	router.HandleFunc(oauthLoginPath, interceptor.HandlerFunc(s.loginPage(provider)))
	router.HandleFunc(oauthDevicePath, s.devicePage)
	router.Mount("/", provider)
	return s.record(router), nil
}

// ExpireTokens makes every access token issued so far expired; refresh
// tokens keep working.
func (s *OAuthServer) ExpireTokens() { s.store.expireAll() }

// Requests lists what the HTTPS side served ("METHOD /path?query").
func (s *OAuthServer) Requests() []string { return s.web.Requests() }

// Close stops both listeners.
func (s *OAuthServer) Close() {
	s.web.Close()
	if s.backend != nil {
		s.backend.Close()
	}
}

// ErrNoLoginForm: the page the browser reached is not the bed's login form.
var ErrNoLoginForm = errors.New("testbed: no login form on the page")

// ctxOrBackground guards against nil contexts in helpers.
func ctxOrBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// browserErr keeps the last failure of a headless browser, for BrowserErr.
func (s *OAuthServer) browserErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastBrowserErr = err
}

// BrowserErr is the last failure of a Browser's sign-in, or nil: when a
// sign-in times out, it says why the page never answered.
func (s *OAuthServer) BrowserErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastBrowserErr
}
