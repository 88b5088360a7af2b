package testbed

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"mailsetup/dnsx"
)

// loginForm is the sign-in page: the tests (and a person, with the test
// bed's command) fill it in.
const loginForm = `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in to the test bed</title></head><body>
<h1>Sign in</h1>
<p>%s</p>
<form method="post" action="%s">
<input type="hidden" name="id" value="%s">
<label>Address <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password"></label>
<button name="action" value="allow">Allow access to mail</button>
<button name="action" value="deny">Deny</button>
</form></body></html>
`

// loginPage shows the form for an authorization request and, on POST,
// signs the user in (then on to zitadel's callback, which redirects with
// the code) or sends the access_denied answer to the client.
func (s *OAuthServer) loginPage(provider *op.Provider) func(http.ResponseWriter, *http.Request) {
	callback := op.AuthCallbackURL(provider)
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		id := r.Form.Get("id")
		if r.Method != http.MethodPost {
			fmt.Fprintf(w, loginForm, "", oauthLoginPath, html.EscapeString(id))
			return
		}
		if r.Form.Get("action") == "deny" {
			req, err := s.store.AuthRequestByID(r.Context(), id)
			if err != nil {
				http.Error(w, "unknown request", http.StatusBadRequest)
				return
			}
			op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("the user denied access"), provider)
			return
		}
		if err := s.store.complete(id, r.Form.Get("username"), r.Form.Get("password")); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, loginForm, html.EscapeString(err.Error()), oauthLoginPath, html.EscapeString(id))
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}
}

// devicePage is the RFC 8628 verification page: the user code, the
// credentials, allow or deny.
func (s *OAuthServer) devicePage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if r.Method != http.MethodPost {
		fmt.Fprintf(w, `<!doctype html><html><body><form method="post" action="%s">
<input name="user_code" value="%s"><input name="username"><input name="password" type="password">
<button name="action" value="allow">Allow</button><button name="action" value="deny">Deny</button>
</form></body></html>`, oauthDevicePath, html.EscapeString(r.Form.Get("user_code")))
		return
	}
	err := s.store.answerDevice(r.Form.Get("user_code"), r.Form.Get("username"), r.Form.Get("password"), r.Form.Get("action") != "deny")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	io.WriteString(w, "Done: go back to the device.\n")
}

// HTTPClient is a client that reaches the bed's web servers as a user's
// machine would: names through the bed's DNS, standard ports through its
// port map, certificates verified against the test CA.
func (b *Bed) HTTPClient() *http.Client {
	r, err := dnsx.New(dnsx.Options{Server: b.DNSAddr})
	if err != nil {
		panic(err) // DNSAddr is always an address
	}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:       r.Dialer(b.Dialer()).DialContext,
			TLSClientConfig:   &tls.Config{RootCAs: b.CAPool},
			DisableKeepAlives: true,
		},
		Timeout: 20 * time.Second,
	}
}

// BrowserAction is what the headless browser does on the login page.
type BrowserAction int

const (
	// Allow signs in with the given credentials and allows access.
	Allow BrowserAction = iota
	// Deny refuses access (the client gets error=access_denied).
	Deny
)

// Browser returns a stand-in for the system browser: it opens the
// sign-in URL over HTTP, fills in the bed's login form with user and
// password, allows or denies, and follows the redirects to the client's
// loopback address, as a person's browser would. rewrite, when not nil,
// may alter the final redirect (a forged or mixed-up answer).
func (s *OAuthServer) Browser(user, password string, act BrowserAction, rewrite func(*url.URL)) func(ctx context.Context, authURL string) error {
	return func(ctx context.Context, authURL string) error {
		// The sign-in runs while the caller waits for the answer.
		go func() {
			if _, err := SignInAs(ctx, s.bed.HTTPClient(), authURL, user, password, act, rewrite); err != nil {
				s.browserErr(err)
			}
		}()
		return nil
	}
}

var formID = regexp.MustCompile(`name="id" value="([^"]*)"`)

// SignInAs is a person at a browser on the bed's sign-in page: it opens
// authURL with client (which must reach the issuer: HTTPClient, or
// cmd/oauthbrowser's), fills in the login form with user and password,
// allows or denies, and delivers the final redirect to the client's
// loopback address after rewrite. It returns that redirect as delivered.
func SignInAs(ctx context.Context, client *http.Client, authURL, user, password string, act BrowserAction, rewrite func(*url.URL)) (*url.URL, error) {
	ctx = ctxOrBackground(ctx)
	c := *client
	c.Jar, _ = cookiejar.New(nil)
	// Stop before the loopback redirect, so rewrite can see it.
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Hostname() == "127.0.0.1" {
			return http.ErrUseLastResponse
		}
		if len(via) > 10 {
			return errors.New("too many redirects")
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusFound { // an error answer straight away
		return followToClient(ctx, &c, resp, rewrite)
	}
	m := formID.FindStringSubmatch(string(body))
	if m == nil {
		return nil, fmt.Errorf("%w (HTTP %d): %.200s", ErrNoLoginForm, resp.StatusCode, body)
	}
	action := "allow"
	if act == Deny {
		action = "deny"
	}
	form := url.Values{"id": {html.UnescapeString(m[1])}, "username": {user}, "password": {password}, "action": {action}}
	post := resp.Request.URL.ResolveReference(&url.URL{Path: oauthLoginPath})
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, post.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("login answered HTTP %d", resp.StatusCode)
	}
	return followToClient(ctx, &c, resp, rewrite)
}

// followToClient takes the last redirect (to the client's loopback address),
// after rewrite, and follows it.
func followToClient(ctx context.Context, client *http.Client, resp *http.Response, rewrite func(*url.URL)) (*url.URL, error) {
	loc, err := resp.Location()
	if err != nil {
		return nil, err
	}
	if loc.Hostname() != "127.0.0.1" {
		return nil, errors.New("the issuer did not send the browser back to the loopback address: " + loc.Redacted())
	}
	if rewrite != nil {
		rewrite(loc)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return nil, err
	}
	r, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	r.Body.Close()
	return loc, nil
}

// ApproveDevice plays the user on another device: opens the verification
// page and allows (or denies) the user code.
func (s *OAuthServer) ApproveDevice(ctx context.Context, userCode, user, password string, act BrowserAction) error {
	action := "allow"
	if act == Deny {
		action = "deny"
	}
	form := url.Values{"user_code": {userCode}, "username": {user}, "password": {password}, "action": {action}}
	req, err := http.NewRequestWithContext(ctxOrBackground(ctx), http.MethodPost, s.Issuer+oauthDevicePath, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.bed.HTTPClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return fmt.Errorf("device page: HTTP %d: %s", resp.StatusCode, body)
	}
	return nil
}

// The environment of cmd/oauthbrowser, the stand-in for the system
// browser that a mailsetup binary runs through $BROWSER. The binary's own
// environment passes on to it, MAILSETUP_DIAL_MAP included.
const (
	BrowserDNSEnv      = "OAUTHBROWSER_DNS"      // the bed's DNS server (else $MAILSETUP_DNS)
	BrowserCAEnv       = "OAUTHBROWSER_CA"       // PEM file of the test CA (else the system's roots, $SSL_CERT_FILE)
	BrowserUserEnv     = "OAUTHBROWSER_USER"     // who signs in
	BrowserPasswordEnv = "OAUTHBROWSER_PASSWORD" // with this password
	BrowserActionEnv   = "OAUTHBROWSER_ACTION"   // allow (default) or deny
	BrowserLogEnv      = "OAUTHBROWSER_LOG"      // file that gets one line per page opened
)

// BrowserEnv is the environment that makes cmd/oauthbrowser sign in as
// user on this bed; logFile may be empty.
func (s *OAuthServer) BrowserEnv(user, password string, act BrowserAction, logFile string) []string {
	action := "allow"
	if act == Deny {
		action = "deny"
	}
	env := []string{BrowserDNSEnv + "=" + s.bed.DNSAddr, BrowserCAEnv + "=" + s.bed.CAFile,
		BrowserUserEnv + "=" + user, BrowserPasswordEnv + "=" + password, BrowserActionEnv + "=" + action}
	if logFile != "" {
		env = append(env, BrowserLogEnv+"="+logFile)
	}
	return env
}
