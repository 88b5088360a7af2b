package main

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
)

// The program signs in on a real authorization server of the bed, reached
// only through the environment, and delivers the answer to the loopback
// address in the sign-in URL.
func TestSignsInThroughTheEnvironment(t *testing.T) {
	b := testbed.Start(t)
	s := b.OAuth(t, testbed.OAuthOptions{})
	for _, tt := range []struct {
		act  testbed.BrowserAction
		want string // query key of the answer
	}{{testbed.Allow, "code"}, {testbed.Deny, "error"}} {
		t.Run(tt.want, func(t *testing.T) {
			for _, kv := range append(s.BrowserEnv("alice@oauth.test", testbed.DefaultPassword, tt.act, ""), portmap.Env+"="+b.DialMapEnv()) {
				k, v, _ := strings.Cut(kv, "=")
				t.Setenv(k, v)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			answers := make(chan url.Values, 1)
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				answers <- r.URL.Query()
			})}
			go srv.Serve(ln)
			defer srv.Close()
			q := url.Values{"client_id": {testbed.OAuthClientID}, "response_type": {"code"}, "scope": {strings.Join(testbed.OAuthScopes, " ")},
				"redirect_uri": {fmt.Sprintf("http://127.0.0.1:%d/", ln.Addr().(*net.TCPAddr).Port)}, "state": {"s1"},
				"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
			if err := run(s.Issuer + "/authorize?" + q.Encode()); err != nil {
				t.Fatal(err)
			}
			a := <-answers
			if a.Get(tt.want) == "" || a.Get("state") != "s1" {
				t.Errorf("answer %v, want %s and the state", a, tt.want)
			}
		})
	}
	t.Run("no DNS server", func(t *testing.T) {
		t.Setenv(testbed.BrowserDNSEnv, "")
		t.Setenv("MAILSETUP_DNS", "")
		if err := run(s.Issuer + "/authorize"); err == nil || !strings.Contains(err.Error(), testbed.BrowserDNSEnv) {
			t.Errorf("error %v, want one naming %s", err, testbed.BrowserDNSEnv)
		}
	})
}
