package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// callbackWait bounds how long the loopback server lets the browser
// finish reading the last page once the answer is in.
const callbackWait = 2 * time.Second

// SignIn runs the RFC 8252 native-app flow: a listener on 127.0.0.1 (up
// before the browser starts), the sign-in page in the browser with PKCE
// S256 and a random state, then the answer on the loopback redirect:
// state checked, RFC 9207 iss checked when sent (required when the issuer
// says it sends it), error answers turned into typed errors, and the code
// exchanged for tokens. It waits at most Config.Timeout for the user; the
// listener is closed when it returns.
func (c *Client) SignIn(ctx context.Context) (*Token, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(c.cfg.RedirectPort))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &PortTakenError{Addr: addr, Err: err}
	}
	port := ln.Addr().(*net.TCPAddr).Port
	redirect := fmt.Sprintf("http://127.0.0.1:%d/", port)

	state, err := randomState()
	if err != nil {
		ln.Close()
		return nil, err
	}
	verifier := oauth2.GenerateVerifier()
	conf := c.oauth2Config(redirect)
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if c.cfg.LoginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", c.cfg.LoginHint))
	}
	authURL := conf.AuthCodeURL(state, opts...)

	answers := make(chan answer, 1)
	srv := &http.Server{
		Handler:           c.callback(state, answers),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ln)
	}()
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), callbackWait)
		defer scancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
		<-served
	}()

	c.showPage(ctx, authURL)

	var a answer
	select {
	case a = <-answers:
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: no answer from the browser within %s", ErrTimeout, c.cfg.Timeout)
		}
		return nil, ctx.Err()
	}
	if a.err != nil {
		return nil, a.err
	}
	tok, err := conf.Exchange(c.withHTTP(ctx), a.code.Reveal(), oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, c.tokenError("token", err)
	}
	return fromOAuth2(tok), nil
}

// showPage opens the sign-in page, or prints its address when asked not to
// open a browser or when none opens.
func (c *Client) showPage(ctx context.Context, authURL string) {
	if !c.cfg.NoBrowser {
		open := c.cfg.OpenBrowser
		if open == nil {
			open = SystemBrowser
		}
		err := open(ctx, authURL)
		if err == nil {
			fmt.Fprintf(c.cfg.Prompt, "Sign in with %s in your browser; waiting for the answer on 127.0.0.1.\n", c.cfg.Issuer.displayName())
			return
		}
		fmt.Fprintf(c.cfg.Prompt, "Could not open a browser (%v).\n", err)
	}
	fmt.Fprintf(c.cfg.Prompt, "Open this address in a browser on this computer to sign in with %s:\n\n  %s\n\n", c.cfg.Issuer.displayName(), authURL)
}

// answer is what arrived on the redirect: a code or an error.
type answer struct {
	code Secret
	err  error
}

// callback handles the redirect. The first answer that carries state,
// code or error decides; the browser gets a page saying how it went.
func (c *Client) callback(state string, answers chan<- answer) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		if !q.Has("state") && !q.Has("code") && !q.Has("error") {
			http.Error(w, "not a sign-in answer", http.StatusBadRequest)
			return
		}
		a := c.judge(state, q.Get("state"), q)
		decided := false
		once.Do(func() {
			decided = true
			answers <- a
		})
		switch {
		case !decided:
			writePage(w, http.StatusConflict, "This sign-in has already been answered; you can close this window.")
		case a.err != nil:
			writePage(w, http.StatusBadRequest, "The sign-in did not work: "+a.err.Error())
		default:
			writePage(w, http.StatusOK, "")
		}
	})
}

// judge checks an answer in RFC 9207's order: state (is it ours?), iss
// (is it from the issuer we sent the user to?), then error or code.
func (c *Client) judge(want, got string, q map[string][]string) answer {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return answer{err: ErrStateMismatch}
	}
	iss := c.cfg.Issuer
	if _, sent := q["iss"]; sent {
		if iss.Issuer != "" && !matchesIssuer(iss.Issuer, get("iss")) {
			return answer{err: &WrongIssuerError{Want: iss.Issuer, Got: get("iss"), Where: "authorization response"}}
		}
	} else if iss.IssParameterSupported {
		return answer{err: &WrongIssuerError{Want: iss.Issuer, Where: "authorization response"}}
	}
	if code := get("error"); code != "" {
		return answer{err: &AuthorizationError{Code: code, Description: get("error_description")}}
	}
	code := get("code")
	if code == "" {
		return answer{err: &IssuerError{Op: "authorization", URL: iss.AuthURL, Err: errors.New("the answer carries neither a code nor an error")}}
	}
	return answer{code: Secret(code)}
}

// writePage answers the browser; msg empty means success. The page says
// it in the three languages of the program.
func writePage(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the code stays out of any Referer
	h.Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(status)
	body := `<p>You are signed in. You can close this window and return to mailsetup.</p>
<p lang="zh-Hans">登录成功。可以关闭此窗口，回到 mailsetup。</p>
<p lang="zh-Hant">登入成功。可以關閉此視窗，回到 mailsetup。</p>`
	if msg != "" {
		body = "<p>" + html.EscapeString(msg) + `</p>
<p lang="zh-Hans">登录未成功，请回到 mailsetup 查看原因。</p>
<p lang="zh-Hant">登入未成功，請回到 mailsetup 查看原因。</p>`
	}
	fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>mailsetup</title></head><body>\n%s\n</body></html>\n", body)
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
