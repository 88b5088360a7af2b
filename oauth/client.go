package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultSignInTimeout bounds the wait for the user to finish signing in
// in the browser or on another device.
const DefaultSignInTimeout = 5 * time.Minute

// Config configures a Client.
type Config struct {
	Issuer *Issuer
	// ClientID is the application's registration with the issuer. Required:
	// mailsetup ships none.
	ClientID string
	// ClientSecret is for issuers that hand "desktop" clients a secret that
	// is not secret (Google); empty for a public client.
	ClientSecret string
	// Scopes to ask for; empty means the issuer's default.
	Scopes []string
	// LoginHint pre-fills the account on the sign-in page (the address).
	LoginHint string
	// HTTPClient makes every request to the issuer; it should dial through
	// the engine's dialer and resolver. Nil: a plain client. Its bodies are
	// bounded and, without a Timeout of its own, each exchange takes at
	// most DefaultHTTPTimeout.
	HTTPClient *http.Client
	// Timeout bounds the wait for the user; zero means DefaultSignInTimeout.
	Timeout time.Duration

	// OpenBrowser shows the sign-in page; nil means SystemBrowser. Tests
	// drive the page with a function of their own.
	OpenBrowser func(ctx context.Context, url string) error
	// NoBrowser prints the sign-in URL on Prompt instead of opening it.
	NoBrowser bool
	// Prompt receives what the user must read: the URL when no browser
	// opens, the device flow's code. Nil discards it.
	Prompt io.Writer
	// RedirectPort is the loopback port for the answer; zero picks a free
	// one (RFC 8252 section 7.3), which is what issuers expect.
	RedirectPort int
}

// Client signs in with one issuer under one client ID.
type Client struct {
	cfg  Config
	http *http.Client
}

// New checks the configuration. Without a client ID it returns a
// *NoClientIDError; nothing is sent to anyone either way.
func New(cfg Config) (*Client, error) {
	if cfg.Issuer == nil {
		return nil, errors.New("oauth: no issuer")
	}
	cfg.ClientID = strings.TrimSpace(cfg.ClientID)
	if cfg.ClientID == "" {
		return nil, &NoClientIDError{Issuer: cfg.Issuer.displayName(), RegisterURL: cfg.Issuer.RegisterURL}
	}
	if !isHTTPS(cfg.Issuer.AuthURL) || !isHTTPS(cfg.Issuer.TokenURL) {
		return nil, fmt.Errorf("oauth: the issuer's endpoints must be https URLs (authorization %q, token %q)", cfg.Issuer.AuthURL, cfg.Issuer.TokenURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSignInTimeout
	}
	if cfg.Prompt == nil {
		cfg.Prompt = io.Discard
	}
	return &Client{cfg: cfg, http: limitClient(cfg.HTTPClient)}, nil
}

// oauth2Config is x/oauth2's view of the client; redirect is the loopback
// URI ("" for the device flow and refresh).
func (c *Client) oauth2Config(redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		Endpoint:     c.cfg.Issuer.endpoint(c.cfg.ClientSecret == ""),
		RedirectURL:  redirect,
		Scopes:       c.cfg.Scopes,
	}
}

// withHTTP hands x/oauth2 our client for the calls made under ctx.
func (c *Client) withHTTP(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.http)
}

// tokenError turns what x/oauth2 returns into our errors, with the
// issuer's error code and description but never the body (which could
// echo a code or a token) or a secret.
func (c *Client) tokenError(op string, err error) error {
	if err == nil {
		return nil
	}
	url := c.cfg.Issuer.TokenURL
	if op == "device authorization" {
		url = c.cfg.Issuer.DeviceURL
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		switch re.ErrorCode {
		case "access_denied":
			return &AuthorizationError{Code: re.ErrorCode, Description: re.ErrorDescription}
		case "expired_token":
			return fmt.Errorf("%w: the code expired before the sign-in was completed", ErrTimeout)
		}
		return &IssuerError{Op: op, URL: url, Status: status, Code: re.ErrorCode, Description: re.ErrorDescription}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (%s at %s)", ErrTimeout, op, url)
	}
	return &IssuerError{Op: op, URL: url, Err: scrubTransport(err)}
}

// scrubTransport keeps a transport error's words without the request it
// quotes: url.Error names only method and URL, and our URLs carry no
// secret, but x/oauth2's own errors may quote a body.
func scrubTransport(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "\nResponse:"); i >= 0 {
		msg = msg[:i]
	}
	return errors.New(printable(msg))
}

// Refresh renews the access token with t's refresh token. The answer's
// refresh token replaces t's when the issuer rotates it.
func (c *Client) Refresh(ctx context.Context, t *Token) (*Token, error) {
	if !t.CanRefresh() {
		return nil, ErrNoRefreshToken
	}
	ctx, cancel := context.WithTimeout(c.withHTTP(ctx), c.http.Timeout)
	defer cancel()
	old := t.toOAuth2()
	old.AccessToken, old.Expiry = "", time.Unix(1, 0) // force the refresh
	nt, err := c.oauth2Config("").TokenSource(ctx, old).Token()
	if err != nil {
		return nil, c.tokenError("refresh", err)
	}
	return fromOAuth2(nt), nil
}

// Fresh returns t when its access token has at least a minute left, else
// a refreshed token.
func (c *Client) Fresh(ctx context.Context, t *Token) (*Token, error) {
	if !t.Expired(time.Minute) {
		return t, nil
	}
	return c.Refresh(ctx, t)
}
