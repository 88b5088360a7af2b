package reliability

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"mailsetup/internal/testbed"
)

// OAuth2 sign-in faults: `mailsetup check EMAIL --oauth-issuer …` run in
// process (cli.Run, the binary's own code) against the test bed's
// authorization server, broken issuers beside it, and dovecots that take
// its tokens. Each case asserts the exit code and the message the user
// reads.

const (
	// oauthBound: a check that signs in: discovery, the sign-in page
	// driven by a headless browser, two logins, perhaps a refresh.
	oauthBound = 4 * time.Second
	// issuerTimeoutBound: a check whose issuer never answers costs the
	// discovery plus one HTTP timeout (the engine's, probeTimeout here),
	// not one per metadata path.
	issuerTimeoutBound = probeTimeout + 1500*time.Millisecond
)

// oauthCase is a row of the matrix's oauth2 group.
func oauthCase(name string, exit int, reason string, bound time.Duration, target func(t *testing.T, w *oauthWorld) commandTarget) matrixCase {
	if bound == 0 {
		bound = oauthBound
	}
	return matrixCase{group: OAuthGroup, name: name, want: expect{exit: exit, reason: reason}, bound: bound,
		command: func(t *testing.T) commandTarget { return target(t, oauthBed(t)) }}
}

// check is the command line of a sign-in check of email with issuer ("":
// the bed's).
func (w *oauthWorld) check(email, issuer string, more ...string) []string {
	return append(append([]string{"check", email}, w.signInFlags(issuer)...), more...)
}

// brokenIssuer serves handler as https://name (a valid certificate).
func brokenIssuer(t *testing.T, name string, handler http.Handler) string {
	bed.HTTPS(t, "", []string{name}, testbed.CertValid, handler)
	return "https://" + name
}

// nothingAsked fails when the issuer's token or authorization endpoints
// were reached since before.
func (w *oauthWorld) nothingAsked(before int, what string) func(context.Context, commandOutput) (string, error) {
	return func(context.Context, commandOutput) (string, error) {
		if asked := w.requestsSince(before); len(asked) > 0 {
			return "", fmt.Errorf("the issuer was asked %d times: %v", len(asked), asked)
		}
		return what, nil
	}
}

// issuerDetail checks the detail of an issuer error.
func issuerDetail(want string) func(context.Context, commandOutput) (string, error) {
	return func(_ context.Context, out commandOutput) (string, error) {
		if !strings.Contains(out.message(), want) {
			return "", fmt.Errorf("message %q does not say %q", out.message(), want)
		}
		return "", nil
	}
}

// rewriteAnswer changes one parameter of the answer the browser delivers.
func rewriteAnswer(key, value string) func(*url.URL) {
	return func(u *url.URL) {
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
	}
}

// deviceCode finds the user code in the device flow's instructions.
var deviceCode = regexp.MustCompile(`enter the code (\S+)`)

func oauthCases() []matrixCase {
	return []matrixCase{
		oauthCase("sign-in, then POP3 and SMTP with OAUTHBEARER", 0, "", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(oauthEmail, ""), browse: w.allow(oauthEmail), verify: mechanisms("OAUTHBEARER")}
		}),
		oauthCase("sign-in, then IMAP and SMTP where only XOAUTH2 is offered", 0, "", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(xoauth2Email, "", "--protocol", "imap"), browse: w.allow(xoauth2Email), verify: mechanisms("XOAUTH2")}
		}),
		oauthCase("device flow, approved on another device (IMAP, SMTP)", 0, "", oauthBound+2*time.Second, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(oauthEmail, "", "--protocol", "imap", "--oauth-device"), watch: w.deviceAnswer(testbed.Allow),
				verify: mechanisms("OAUTHBEARER")}
		}),

		// The issuer, before any sign-in page opens.
		oauthCase("issuer refuses connections", 1, "oauth.issuer_error", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			addHost("refused.issuer.rel.test")
			return commandTarget{args: w.check(oauthEmail, "https://refused.issuer.rel.test"), verify: issuerDetail("connection refused")}
		}),
		oauthCase("issuer blackholed (SYNs dropped)", 1, "oauth.issuer_error", issuerTimeoutBound, func(t *testing.T, w *oauthWorld) commandTarget {
			bed.Blackhole(addHost("blackhole.issuer.rel.test"), 443)
			return commandTarget{args: w.check(oauthEmail, "https://blackhole.issuer.rel.test")}
		}),
		oauthCase("issuer accepts, never answers", 1, "oauth.issuer_error", issuerTimeoutBound, func(t *testing.T, w *oauthWorld) commandTarget {
			issuer := brokenIssuer(t, "slow.issuer.rel.test", http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(idle):
				}
			}))
			return commandTarget{args: w.check(oauthEmail, issuer)}
		}),
		oauthCase("issuer answers an HTML page", 1, "oauth.issuer_error", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			issuer := brokenIssuer(t, "html.issuer.rel.test", http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
				rw.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprint(rw, "<!doctype html><html><body><h1>Welcome</h1><p>Sign in to continue.</p></body></html>")
			}))
			return commandTarget{args: w.check(oauthEmail, issuer), verify: issuerDetail(`"text/html", not application/json`)}
		}),
		oauthCase("issuer answers 4 MiB of JSON", 1, "oauth.issuer_error", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			issuer := brokenIssuer(t, "huge.issuer.rel.test", hugeJSON(4<<20))
			return commandTarget{args: w.check(oauthEmail, issuer), verify: issuerDetail("too large")}
		}),
		oauthCase("metadata names another issuer", 1, "oauth.wrong_issuer_metadata", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(oauthEmail, "https://"+oauthAlias)}
		}),
		oauthCase("no client ID: nothing sent", 2, "oauth.no_client_id_generic", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			args := []string{"check", oauthEmail, "--oauth-issuer", w.as.Issuer}
			return commandTarget{args: args, verify: w.nothingAsked(len(w.as.Requests()), "the issuer was not asked anything")}
		}),
		oauthCase("loopback port for the answer taken", 1, "oauth.port_taken", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			return commandTarget{args: w.check(oauthEmail, ""), redirectPort: ln.Addr().(*net.TCPAddr).Port}
		}),

		// The sign-in page's answer.
		oauthCase("consent denied", 3, "oauth.denied", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(oauthEmail, ""), browse: w.as.Browser(oauthEmail, password, testbed.Deny, nil)}
		}),
		oauthCase("consent denied on another device (device flow)", 3, "oauth.denied", oauthBound+2*time.Second, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(oauthEmail, "", "--oauth-device"), watch: w.deviceAnswer(testbed.Deny)}
		}),
		oauthCase("answer with a forged state", 1, "oauth.state", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(oauthEmail, ""),
				browse: w.as.Browser(oauthEmail, password, testbed.Allow, rewriteAnswer("state", "forged-state"))}
		}),
		oauthCase("answer naming another issuer (RFC 9207 iss)", 1, "oauth.wrong_issuer", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			return commandTarget{args: w.check(oauthEmail, ""),
				browse: w.as.Browser(oauthEmail, password, testbed.Allow, rewriteAnswer("iss", "https://evil.rel.test"))}
		}),

		// The token at the mail server.
		oauthCase("another application's token (wrong audience)", 3, "login.token_refused", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			args := []string{"check", oauthEmail, "--oauth-issuer", w.as.Issuer, "--oauth-client-id", testbed.OAuthOtherClientID,
				"--oauth-scope", strings.Join(testbed.OAuthScopes, " ")}
			before := len(w.as.TokenRequests())
			return commandTarget{args: args, browse: w.allow(oauthEmail), verify: func(_ context.Context, out commandOutput) (string, error) {
				if err := noPasswordAdvice(out); err != nil {
					return "", err
				}
				return w.refreshes(before, 1, 0)
			}}
		}),
		oauthCase("token expired at the server: refreshed, then accepted", 0, "", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			before := len(w.as.TokenRequests())
			w.as.ExpireNextSignIn(false)
			return commandTarget{args: w.check(oauthEmail, ""), browse: w.allow(oauthEmail), verify: func(ctx context.Context, out commandOutput) (string, error) {
				if note, err := mechanisms("OAUTHBEARER")(ctx, out); err != nil {
					return note, err
				}
				return w.refreshes(before, 1, 0)
			}}
		}),
		oauthCase("token expired, refresh token revoked", 3, "login.token_refused", 0, func(t *testing.T, w *oauthWorld) commandTarget {
			before := len(w.as.TokenRequests())
			w.as.ExpireNextSignIn(true)
			return commandTarget{args: w.check(oauthEmail, ""), browse: w.allow(oauthEmail), verify: func(_ context.Context, out commandOutput) (string, error) {
				if err := noPasswordAdvice(out); err != nil {
					return "", err
				}
				return w.refreshes(before, 0, 1)
			}}
		}),
	}
}

// mechanisms checks that both roles logged in with mech.
func mechanisms(mech string) func(context.Context, commandOutput) (string, error) {
	return func(_ context.Context, out commandOutput) (string, error) {
		for _, role := range []string{"incoming", "outgoing"} {
			if got := jsonString(out.doc, "login", role, "mechanism"); got != mech || jsonString(out.doc, "login", role, "method") != "oauth2" {
				return "", fmt.Errorf("%s logged in with %q (%s), want %s", role, got, jsonString(out.doc, "login", role, "method"), mech)
			}
		}
		return "", nil
	}
}

// noPasswordAdvice fails when a refused token got the hints of a refused password.
func noPasswordAdvice(out commandOutput) error {
	for _, role := range []string{"incoming", "outgoing"} {
		if hints, _ := jsonField(out.doc, "login", role, "hints").([]any); len(hints) > 0 {
			return fmt.Errorf("%s: a refused token got hints %v", role, hints)
		}
	}
	return nil
}

// refreshes checks the refresh grants since before: ok granted, refused refused.
func (w *oauthWorld) refreshes(before, ok, refused int) (string, error) {
	var gotOK, gotRefused int
	for _, r := range w.as.TokenRequests()[before:] {
		if r.Grant != "refresh_token" {
			continue
		}
		if r.Status == http.StatusOK {
			gotOK++
		} else {
			gotRefused++
		}
	}
	if gotOK != ok || gotRefused != refused {
		return "", fmt.Errorf("%d refreshes granted and %d refused, want %d and %d", gotOK, gotRefused, ok, refused)
	}
	switch {
	case ok == 1 && refused == 0:
		return "at the issuer: one refresh, granted", nil
	case refused > 0:
		return "at the issuer: one refresh, refused", nil
	}
	return "", nil
}

// deviceAnswer plays the person on the other device: it reads the code
// mailsetup prints and answers it.
func (w *oauthWorld) deviceAnswer(act testbed.BrowserAction) func(string) {
	return func(line string) {
		m := deviceCode.FindStringSubmatch(line)
		if m == nil {
			return
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := w.as.ApproveDevice(ctx, m[1], oauthEmail, password, act); err != nil {
				fmt.Fprintf(os.Stderr, "device page: %v\n", err) // the case then fails on its exit code
			}
		}()
	}
}

// hugeJSON answers size bytes of valid-looking metadata, written as it goes.
func hugeJSON(size int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		head := `{"issuer":"https://` + r.Host + `","padding":"`
		if _, err := w.Write([]byte(head)); err != nil {
			return
		}
		chunk := []byte(strings.Repeat("x", 32<<10))
		for sent := len(head); sent < size-2; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		w.Write([]byte(`"}`))
	})
}
