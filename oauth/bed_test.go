package oauth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/dnsx"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
	"mailsetup/oauth"
	"mailsetup/probe"
)

const user = "alice@oauth.test"

// world is one authorization server and one dovecot that trusts it.
type world struct {
	bed *testbed.Bed
	as  *testbed.OAuthServer
	d   *testbed.Dovecot
	iss *oauth.Issuer
}

func newWorld(t *testing.T, o testbed.OAuthOptions) *world {
	t.Helper()
	b := testbed.Start(t)
	as := b.OAuth(t, o)
	d := b.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"mail.oauth.test"}, Users: map[string]string{user: testbed.DefaultPassword}, OAuth: as})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iss, err := oauth.Discover(ctx, b.HTTPClient(), as.Issuer)
	if err != nil {
		t.Fatalf("discover: %v", err)
	}
	return &world{bed: b, as: as, d: d, iss: iss}
}

func (w *world) config(act testbed.BrowserAction, rewrite func(*url.URL)) oauth.Config {
	return oauth.Config{
		Issuer:      w.iss,
		ClientID:    testbed.OAuthClientID,
		Scopes:      testbed.OAuthScopes,
		LoginHint:   user,
		HTTPClient:  w.bed.HTTPClient(),
		Timeout:     20 * time.Second,
		OpenBrowser: w.as.Browser(user, testbed.DefaultPassword, act, rewrite),
	}
}

func (w *world) signIn(t *testing.T, cfg oauth.Config) (*oauth.Client, *oauth.Token) {
	t.Helper()
	c, err := oauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.SignIn(context.Background())
	if err != nil {
		t.Fatalf("sign-in: %v (browser: %v)", err, w.as.BrowserErr())
	}
	return c, tok
}

// login tries the token on one of the dovecot's ports.
func (w *world) login(t *testing.T, std int, mech string, tok *oauth.Token, transcript *bytes.Buffer) probe.LoginResult {
	t.Helper()
	proto, sec, _ := mailcfg.InferFromPort(std)
	r, err := dnsx.New(dnsx.Options{Server: w.bed.DNSAddr})
	if err != nil {
		t.Fatal(err)
	}
	o := probe.LoginOptions{Options: probe.Options{Resolver: r, Dialer: w.bed.Dialer(), RootCAs: w.bed.CAPool, Timeout: 15 * time.Second}, Mechanism: mech}
	if transcript != nil {
		o.Transcript = transcript
	}
	srv := mailcfg.Server{Protocol: proto, Host: "mail.oauth.test", Port: std, Security: sec, Username: user}
	return probe.Login(context.Background(), srv, probe.Credentials{Username: user, AccessToken: tok.AccessToken.Reveal()}, o)
}

func TestSignInAndLoginEveryProtocolAndMechanism(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	_, tok := w.signIn(t, w.config(testbed.Allow, nil))
	if !tok.CanRefresh() || tok.Expired(0) {
		t.Fatalf("token %v: want a live access token and a refresh token", tok)
	}
	var transcript bytes.Buffer
	for _, std := range []int{995, 110, 993, 143, 465, 587} {
		for _, mech := range []string{"", probe.MechXOAuth2, probe.MechOAuthBearer} {
			t.Run(fmt.Sprintf("%d-%s", std, mech), func(t *testing.T) {
				r := w.login(t, std, mech, tok, &transcript)
				want := mech
				if want == "" {
					want = probe.MechOAuthBearer // dovecot offers both: the standard one wins
				}
				if !r.OK || r.Mechanism != want || r.Method != probe.MethodOAuth2 {
					t.Fatalf("ok %v, mechanism %q, method %q, error %q", r.OK, r.Mechanism, r.Method, r.Error)
				}
			})
		}
	}
	assertNoSecret(t, "the transcript", transcript.String(), tok)
	assertNoSecret(t, "dovecot's log", w.d.Log(), tok)
}

func TestRefusedTokens(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	_, good := w.signIn(t, w.config(testbed.Allow, nil))

	// Another application's token: valid, but not for the mail servers.
	other := w.config(testbed.Allow, nil)
	other.ClientID = testbed.OAuthOtherClientID
	_, wrongAud := w.signIn(t, other)

	// A token without the mail scope.
	noScope := w.config(testbed.Allow, nil)
	noScope.Scopes = []string{"other", "offline_access"}
	_, wrongScope := w.signIn(t, noScope)

	forged := &oauth.Token{AccessToken: oauth.Secret("forged-" + good.AccessToken.Reveal()[:10])}

	for name, tok := range map[string]*oauth.Token{"wrong audience": wrongAud, "wrong scope": wrongScope, "forged": forged} {
		for _, std := range []int{993, 995, 465} {
			for _, mech := range []string{probe.MechXOAuth2, probe.MechOAuthBearer} {
				t.Run(fmt.Sprintf("%s-%d-%s", name, std, mech), func(t *testing.T) {
					var transcript bytes.Buffer
					r := w.login(t, std, mech, tok, &transcript)
					if r.OK || !r.AuthFailed || r.OAuthStatus == "" || !strings.Contains(r.Error, "refused the sign-in token") {
						t.Fatalf("ok %v, auth failed %v, status %q, error %q", r.OK, r.AuthFailed, r.OAuthStatus, r.Error)
					}
					assertNoSecret(t, "the transcript", transcript.String(), tok)
					assertNoSecret(t, "the error", r.Error+r.Reply, tok)
				})
			}
		}
	}
}

func TestExpiredTokenIsRefreshed(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	c, tok := w.signIn(t, w.config(testbed.Allow, nil))
	w.as.ExpireTokens()
	r := w.login(t, 993, "", tok, nil)
	if r.OK || !r.AuthFailed {
		t.Fatalf("an expired token was taken: ok %v, error %q", r.OK, r.Error)
	}
	fresh, err := c.Refresh(context.Background(), tok)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == "" {
		t.Fatal("refresh gave the same access token or no refresh token")
	}
	for _, std := range []int{993, 995, 465} {
		if r := w.login(t, std, "", fresh, nil); !r.OK {
			t.Fatalf("%d after refresh: %s", std, r.Error)
		}
	}
	// Fresh refreshes a token whose expiry has passed, and keeps a live one.
	past := *fresh
	past.Expiry = time.Now().Add(-time.Minute)
	again, err := c.Fresh(context.Background(), &past)
	if err != nil || again.AccessToken == fresh.AccessToken {
		t.Fatalf("Fresh on an expired token: %v", err)
	}
	if same, _ := c.Fresh(context.Background(), again); same != again {
		t.Fatal("Fresh refreshed a live token")
	}
	// The rotated refresh token is spent.
	if _, err := c.Refresh(context.Background(), tok); !errors.Is(err, oauth.ErrIssuer) {
		t.Fatalf("refresh with a spent refresh token: %v", err)
	}
}

func TestSignInFailures(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	// answerWith rewrites one parameter of the issuer's answer on its way
	// back, as an attacker or a broken issuer would.
	answerWith := func(key, value string) func(*url.URL) {
		return func(u *url.URL) {
			q := u.Query()
			q.Set(key, value)
			u.RawQuery = q.Encode()
		}
	}
	tests := []struct {
		name    string
		cfg     func(c *oauth.Config)
		wantIs  error
		wantMsg string
	}{
		{"consent denied", func(c *oauth.Config) {
			c.OpenBrowser = w.as.Browser(user, testbed.DefaultPassword, testbed.Deny, nil)
		}, oauth.ErrConsentDenied, "access_denied"},
		{"state mismatch", func(c *oauth.Config) {
			c.OpenBrowser = w.as.Browser(user, testbed.DefaultPassword, testbed.Allow, answerWith("state", "forged-state"))
		}, oauth.ErrStateMismatch, "state mismatch"},
		{"wrong issuer in the answer", func(c *oauth.Config) {
			c.OpenBrowser = w.as.Browser(user, testbed.DefaultPassword, testbed.Allow, answerWith("iss", "https://evil.test"))
		}, oauth.ErrWrongIssuer, "https://evil.test"},
		{"iss promised but missing", func(c *oauth.Config) {
			iss := *w.iss
			iss.IssParameterSupported = true
			c.Issuer = &iss
		}, oauth.ErrWrongIssuer, "authorization response"},
		{"no answer in time", func(c *oauth.Config) {
			c.OpenBrowser = func(context.Context, string) error { return nil }
			c.Timeout = 500 * time.Millisecond
		}, oauth.ErrTimeout, "no answer"},
		{"unknown client", func(c *oauth.Config) {
			c.ClientID = "nobody"
			c.Timeout = 2 * time.Second // the issuer shows an error page, never redirects
		}, oauth.ErrTimeout, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := w.config(testbed.Allow, nil)
			tt.cfg(&cfg)
			c, err := oauth.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := c.SignIn(context.Background())
			if tok != nil || !errors.Is(err, tt.wantIs) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("token %v, error %v; want %v with %q", tok, err, tt.wantIs, tt.wantMsg)
			}
		})
	}
}

func TestWrongIssuerInMetadata(t *testing.T) {
	// The same server reached under another name: its metadata names
	// https://auth.oauth.test, not the URL asked.
	w := newWorld(t, testbed.OAuthOptions{Aliases: []string{"login.other.test"}})
	_, err := oauth.Discover(context.Background(), w.bed.HTTPClient(), "https://login.other.test")
	var we *oauth.WrongIssuerError
	if !errors.As(err, &we) || we.Got != w.as.Issuer {
		t.Fatalf("discover under another name: %v", err)
	}
	// Nothing there at all: unreachable.
	_, err = oauth.Discover(context.Background(), w.bed.HTTPClient(), "https://nothing.oauth.test")
	if !errors.Is(err, oauth.ErrIssuer) {
		t.Fatalf("discover an unknown host: %v", err)
	}
}

func TestRedirectPortTaken(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := w.config(testbed.Allow, nil)
	cfg.RedirectPort = ln.Addr().(*net.TCPAddr).Port
	opened := false
	cfg.OpenBrowser = func(context.Context, string) error { opened = true; return nil }
	c, err := oauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SignIn(context.Background())
	if !errors.Is(err, oauth.ErrPortTaken) || opened {
		t.Fatalf("error %v, browser opened %v", err, opened)
	}
}

func TestNoClientIDSendsNothing(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	before := len(w.as.Requests())
	cfg := w.config(testbed.Allow, nil)
	cfg.ClientID = "  "
	cfg.Issuer = oauth.FromTable(nil)
	iss := *w.iss
	iss.RegisterURL = "https://register.oauth.test/apps"
	cfg.Issuer = &iss
	_, err := oauth.New(cfg)
	var ne *oauth.NoClientIDError
	if !errors.As(err, &ne) || !errors.Is(err, oauth.ErrNoClientID) {
		t.Fatalf("error %v", err)
	}
	for _, want := range []string{"client ID", "mailsetup ships none", "https://register.oauth.test/apps", "--oauth-client-id", "MAILSETUP_OAUTH_CLIENT_ID", "Settings"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %s", want, err)
		}
	}
	if after := len(w.as.Requests()); after != before {
		t.Fatalf("the issuer was asked %d times", after-before)
	}
}

func TestDeviceFlow(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	for _, act := range []testbed.BrowserAction{testbed.Allow, testbed.Deny} {
		t.Run(fmt.Sprint(act), func(t *testing.T) {
			pr, pw := newPromptPipe()
			cfg := w.config(act, nil)
			cfg.OpenBrowser = nil
			cfg.Prompt = pw
			c, err := oauth.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				code := pr.waitCode(t)
				if err := w.as.ApproveDevice(context.Background(), code, user, testbed.DefaultPassword, act); err != nil {
					t.Errorf("device page: %v", err)
				}
			}()
			tok, err := c.SignInDevice(context.Background())
			if act == testbed.Deny {
				if !errors.Is(err, oauth.ErrConsentDenied) {
					t.Fatalf("denied device sign-in: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("device sign-in: %v", err)
			}
			if r := w.login(t, 993, "", tok, nil); !r.OK {
				t.Fatalf("login with the device token: %s", r.Error)
			}
			if strings.Contains(pr.text(), tok.AccessToken.Reveal()) {
				t.Fatal("the prompt shows the token")
			}
		})
	}
}

func TestRefreshTokenFile(t *testing.T) {
	w := newWorld(t, testbed.OAuthOptions{})
	c, tok := w.signIn(t, w.config(testbed.Allow, nil))
	path := filepath.Join(t.TempDir(), "token.json")
	if err := oauth.SaveRefreshToken(path, tok); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode().Perm(), err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), tok.AccessToken.Reveal()) {
		t.Fatal("the file holds the access token")
	}
	loaded, err := oauth.LoadRefreshToken(path)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := c.Fresh(context.Background(), loaded)
	if err != nil {
		t.Fatalf("refresh from the file: %v", err)
	}
	if r := w.login(t, 465, "", fresh, nil); !r.OK {
		t.Fatalf("login: %s", r.Error)
	}
	os.Chmod(path, 0o644)
	if _, err := oauth.LoadRefreshToken(path); err == nil {
		t.Fatal("a token file others can read was used")
	}
}

// assertNoSecret fails when the access or refresh token shows in text.
func assertNoSecret(t *testing.T, what, text string, tok *oauth.Token) {
	t.Helper()
	for _, s := range []oauth.Secret{tok.AccessToken, tok.RefreshToken} {
		if v := s.Reveal(); len(v) >= 8 && strings.Contains(text, v) {
			t.Errorf("%s holds a token", what)
		}
	}
}

// promptPipe collects what the device flow prints and finds the code.
type promptPipe struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	seen chan struct{}
	once sync.Once
}

func newPromptPipe() (*promptPipe, *promptPipe) {
	p := &promptPipe{seen: make(chan struct{})}
	return p, p
}

func (p *promptPipe) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf.Write(b)
	if strings.Contains(p.buf.String(), "enter the code ") {
		p.once.Do(func() { close(p.seen) })
	}
	return len(b), nil
}

func (p *promptPipe) text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

func (p *promptPipe) waitCode(t *testing.T) string {
	select {
	case <-p.seen:
	case <-time.After(10 * time.Second):
		t.Error("no user code printed")
		return ""
	}
	text := p.text()
	rest := text[strings.Index(text, "enter the code ")+len("enter the code "):]
	return strings.Fields(rest)[0]
}
