package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/assistant"
	"mailsetup/cli"
	"mailsetup/internal/testbed"
	"mailsetup/l10n"
)

// The OAuth2 world of these tests, started on first use:
//
//	auth.oauth.rel.test   the test bed's authorization server; under its alias
//	                      login.oauth.rel.test its metadata still names the first
//	oauth.rel.test        SRV → mail.oauth.rel.test, a dovecot that takes its
//	                      tokens with OAUTHBEARER and XOAUTH2
//	xoauth2.rel.test      SRV → mail.xoauth2.rel.test, XOAUTH2 only
//
// Every account is alice@<domain>, with the secrets test's password on the
// sign-in page.
type oauthWorld struct {
	as      *testbed.OAuthServer
	mail    *testbed.Dovecot // OAUTHBEARER and XOAUTH2
	xoauth2 *testbed.Dovecot // XOAUTH2 only
}

const (
	oauthEmail   = "alice@oauth.rel.test"
	xoauth2Email = "alice@xoauth2.rel.test"
	oauthAlias   = "login.oauth.rel.test"
)

var (
	oauthOnce sync.Once
	oauthW    *oauthWorld
	oauthErr  error
)

// oauthBed starts the OAuth2 world once; its servers live as long as the bed.
func oauthBed(t *testing.T) *oauthWorld {
	t.Helper()
	oauthOnce.Do(func() { oauthW, oauthErr = startOAuthWorld() })
	if oauthErr != nil {
		t.Fatalf("OAuth2 world: %v", oauthErr)
	}
	return oauthW
}

func startOAuthWorld() (*oauthWorld, error) {
	users := map[string]string{oauthEmail: password, xoauth2Email: password}
	as, err := bed.StartOAuth(testbed.OAuthOptions{Host: "auth.oauth.rel.test", Aliases: []string{oauthAlias}, Users: users})
	if err != nil {
		return nil, err
	}
	w := &oauthWorld{as: as}
	var wg sync.WaitGroup
	var errMail, errX error
	wg.Go(func() {
		w.mail, errMail = bed.StartDovecot(testbed.DovecotOptions{Hosts: []string{"mail.oauth.rel.test"},
			Users: map[string]string{oauthEmail: password}, OAuth: as})
	})
	wg.Go(func() {
		w.xoauth2, errX = bed.StartDovecot(testbed.DovecotOptions{Hosts: []string{"mail.xoauth2.rel.test"},
			Users: map[string]string{xoauth2Email: password}, OAuth: as, OAuthMechanisms: []string{"xoauth2"}})
	})
	wg.Wait()
	if errMail != nil || errX != nil {
		return nil, fmt.Errorf("dovecot: %v %v", errMail, errX)
	}
	for _, domain := range []string{"oauth.rel.test", "xoauth2.rel.test"} {
		host := "mail." + domain
		bed.AddSRV("_pop3s._tcp."+domain, host, 995, 0, 1)
		bed.AddSRV("_imaps._tcp."+domain, host, 993, 0, 1)
		bed.AddSRV("_submissions._tcp."+domain, host, 465, 0, 1)
	}
	return w, nil
}

// signInFlags name the bed's issuer (or another), our client ID and the
// mail scope.
func (w *oauthWorld) signInFlags(issuer string) []string {
	if issuer == "" {
		issuer = w.as.Issuer
	}
	return []string{"--oauth-issuer", issuer, "--oauth-client-id", testbed.OAuthClientID,
		"--oauth-scope", strings.Join(testbed.OAuthScopes, " ")}
}

// signsInAs is who signs in on the issuer's page for email: the account
// itself, or (for servers the issuer does not know) alice@oauth.rel.test.
func (w *oauthWorld) signsInAs(email string) string {
	if _, ok := w.as.Users[email]; ok {
		return email
	}
	return oauthEmail
}

// allow is the headless browser of a person who signs in and allows access.
func (w *oauthWorld) allow(email string) func(context.Context, string) error {
	return w.as.Browser(email, password, testbed.Allow, nil)
}

// commandTarget is one command line run in process through cli.Run, as
// the binary would run it, with the bed wired in.
type commandTarget struct {
	args  []string          // the command line; the bed's flags are added
	extra map[string]string // dial map additions
	// browse is Env.OpenBrowser; nil means a browser that must not open.
	browse func(ctx context.Context, url string) error
	// watch, when set, sees standard error as it is written (the device
	// flow's code).
	watch func(line string)
	// redirectPort fixes the loopback port of the sign-in answer.
	redirectPort int
	// verify judges the run beyond exit code and message: a note for the
	// table, and an error when the case fails.
	verify func(ctx context.Context, out commandOutput) (string, error)
}

// commandOutput is what a command left.
type commandOutput struct {
	code           int
	stdout, stderr string
	doc            map[string]any // stdout as JSON, when it is
	browserOpened  bool
}

// commandFlags are the flags every command of the matrix runs with.
func commandFlags() []string {
	return []string{"--json", "--lang", "en", "--dns", bed.DNSAddr, "--ca", caFile, "--offline", "--timeout", engineTimeout.String()}
}

// runCommand runs ct through cli.Run.
func runCommand(ct commandTarget) (commandOutput, time.Duration) {
	var out commandOutput
	var stdout bytes.Buffer
	stderr := &lineWatcher{watch: ct.watch}
	browse := ct.browse
	var mu sync.Mutex
	opened := func(ctx context.Context, url string) error {
		mu.Lock()
		out.browserOpened = true
		mu.Unlock()
		if browse == nil {
			return fmt.Errorf("no browser in this case")
		}
		return browse(ctx, url)
	}
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: stderr, OpenBrowser: opened,
		Wire: func(o *assistant.Options) error {
			o.Dialer = dialer(ct.extra)
			o.ProbeTimeout = probeTimeout
			o.OAuthRedirectPort = ct.redirectPort
			return nil
		}}
	start := time.Now()
	out.code = cli.Run(append(append([]string(nil), ct.args...), commandFlags()...), env)
	elapsed := time.Since(start)
	out.stdout, out.stderr = stdout.String(), stderr.String()
	json.Unmarshal(stdout.Bytes(), &out.doc)
	return out, elapsed
}

// lineWatcher collects what is written and shows each complete line to watch.
type lineWatcher struct {
	mu      sync.Mutex
	all     bytes.Buffer
	pending []byte
	watch   func(string)
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(p)
	if w.watch == nil {
		return len(p), nil
	}
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			break
		}
		w.watch(string(w.pending[:i]))
		w.pending = w.pending[i+1:]
	}
	return len(p), nil
}

func (w *lineWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

// jsonField walks a decoded JSON document: jsonField(doc, "login", "incoming", "ok").
func jsonField(doc any, path ...string) any {
	for _, k := range path {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		doc = m[k]
	}
	return doc
}

func jsonString(doc any, path ...string) string {
	s, _ := jsonField(doc, path...).(string)
	return s
}

// message is what the user reads about the check: the incoming login's
// reason in English (the human output's words), or on success the
// mechanisms each role logged in with.
func (o commandOutput) message() string {
	if jsonField(o.doc, "login", "incoming", "ok") == true && jsonField(o.doc, "login", "outgoing", "ok") == true {
		return fmt.Sprintf("%s with %s, %s with %s",
			jsonString(o.doc, "login", "incoming", "server", "protocol"), jsonString(o.doc, "login", "incoming", "mechanism"),
			jsonString(o.doc, "login", "outgoing", "server", "protocol"), jsonString(o.doc, "login", "outgoing", "mechanism"))
	}
	var reason l10n.Message
	if raw, err := json.Marshal(jsonField(o.doc, "login", "incoming", "reason")); err == nil && json.Unmarshal(raw, &reason) == nil && !reason.IsZero() {
		return reason.String()
	}
	if msg := jsonString(o.doc, "login", "incoming", "error"); msg != "" {
		return msg
	}
	return strings.TrimSpace(o.stderr)
}

// reason is the catalogue code of the incoming login's failure ("" on success).
func (o commandOutput) reason() string {
	return jsonString(o.doc, "login", "incoming", "reason", "code")
}

// requestsSince lists the requests the authorization server served since
// before (an index into Requests).
func (w *oauthWorld) requestsSince(before int) []string {
	return w.as.Requests()[before:]
}
