package testbed

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
)

// zitadel's endpoints that hand out secrets (op.DefaultEndpoints).
const (
	oauthTokenPath      = "/oauth/token"
	oauthDeviceAuthPath = "/device_authorization"
)

// Kinds of IssuedSecret.
const (
	SecretAccessToken  = "access token"
	SecretRefreshToken = "refresh token"
	SecretIDToken      = "ID token"
	SecretCode         = "authorization code"
	SecretVerifier     = "PKCE verifier"
	SecretDeviceCode   = "device code"
)

// IssuedSecret is one secret that went between the authorization server
// and a client: what a leak hunt must look for.
type IssuedSecret struct {
	Kind  string // SecretAccessToken, SecretRefreshToken, …
	Value string
}

// TokenRequest is one call of the token endpoint, as answered.
type TokenRequest struct {
	Grant  string // grant_type: authorization_code, refresh_token, urn:…:device_code
	Status int    // HTTP status of the answer
	Error  string // the answer's error code, when it is one
}

// oauthRecorder keeps what the token and device endpoints exchanged, and
// a spoiler armed for the next sign-in.
type oauthRecorder struct {
	mu       sync.Mutex
	secrets  []IssuedSecret
	seen     map[string]bool
	requests []TokenRequest
	spoil    *spoiler
}

// spoiler is what ExpireNextSignIn arms.
type spoiler struct{ revokeRefresh bool }

func (r *oauthRecorder) add(kind, value string) {
	if value == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if !r.seen[kind+"\x00"+value] {
		r.seen[kind+"\x00"+value] = true
		r.secrets = append(r.secrets, IssuedSecret{Kind: kind, Value: value})
	}
}

// bufferedAnswer holds a response until the recorder has read it, so that
// a spoiled token is already spoiled when the client gets it.
type bufferedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedAnswer) Header() http.Header { return b.header }
func (b *bufferedAnswer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedAnswer) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// record wraps the provider: requests to the token and device endpoints
// and their answers are read for the secrets they carry, and the next
// sign-in's tokens are spoiled when asked.
func (s *OAuthServer) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != oauthTokenPath && r.URL.Path != oauthDeviceAuthPath {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			http.Error(w, "unreadable request", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		ans := &bufferedAnswer{header: http.Header{}}
		next.ServeHTTP(ans, r)
		if ans.status == 0 {
			ans.status = http.StatusOK
		}
		s.note(r.URL.Path, form, ans)
		for k, v := range ans.header {
			w.Header()[k] = v
		}
		w.WriteHeader(ans.status)
		w.Write(ans.body.Bytes())
	})
}

// note records one exchange with the token or device endpoint.
func (s *OAuthServer) note(path string, form url.Values, ans *bufferedAnswer) {
	rec := &s.rec
	rec.add(SecretCode, form.Get("code"))
	rec.add(SecretVerifier, form.Get("code_verifier"))
	rec.add(SecretRefreshToken, form.Get("refresh_token"))
	rec.add(SecretDeviceCode, form.Get("device_code"))
	var doc struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		IDToken      string `json:"id_token"`
		DeviceCode   string `json:"device_code"`
		Error        string `json:"error"`
	}
	json.Unmarshal(ans.body.Bytes(), &doc)
	rec.add(SecretAccessToken, doc.AccessToken)
	rec.add(SecretRefreshToken, doc.RefreshToken)
	rec.add(SecretIDToken, doc.IDToken)
	rec.add(SecretDeviceCode, doc.DeviceCode)
	if path != oauthTokenPath {
		return
	}
	grant := form.Get("grant_type")
	rec.mu.Lock()
	rec.requests = append(rec.requests, TokenRequest{Grant: grant, Status: ans.status, Error: doc.Error})
	sp := rec.spoil
	signIn := grant != "refresh_token" && ans.status == http.StatusOK && doc.AccessToken != ""
	if sp != nil && signIn {
		rec.spoil = nil
	}
	rec.mu.Unlock()
	if sp != nil && signIn {
		s.store.spoil(doc.RefreshToken, sp.revokeRefresh)
	}
}

// IssuedTokens are the access, refresh and ID tokens the server has
// handed out so far, in order.
func (s *OAuthServer) IssuedTokens() []string {
	var out []string
	for _, sec := range s.IssuedSecrets() {
		switch sec.Kind {
		case SecretAccessToken, SecretRefreshToken, SecretIDToken:
			out = append(out, sec.Value)
		}
	}
	return out
}

// IssuedSecrets are every secret seen at the token and device endpoints:
// the tokens, and the authorization codes, PKCE verifiers and device
// codes the clients sent.
func (s *OAuthServer) IssuedSecrets() []IssuedSecret {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return slices.Clone(s.rec.secrets)
}

// TokenRequests lists the calls of the token endpoint so far, in order.
func (s *OAuthServer) TokenRequests() []TokenRequest {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return slices.Clone(s.rec.requests)
}

// ExpireNextSignIn spoils the tokens of the next sign-in (code or device
// grant): its access token is already expired at the server when the
// client gets it, though the answer's expires_in promises minutes (as
// after a clock jump or a revocation); with revokeRefresh its refresh
// token is revoked too. Tokens from later refreshes are sound.
func (s *OAuthServer) ExpireNextSignIn(revokeRefresh bool) {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.rec.spoil = &spoiler{revokeRefresh: revokeRefresh}
}
