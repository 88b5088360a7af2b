package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"mailsetup/mailcfg"
	"mailsetup/providers"
)

func TestSecretNeverPrints(t *testing.T) {
	const raw = "ya29.very-secret-token"
	tok := &Token{AccessToken: raw, RefreshToken: raw + "-refresh", TokenType: "Bearer", Expiry: time.Now()}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("token", "t", tok.AccessToken, "r", tok.RefreshToken)
	js, _ := json.Marshal(tok)
	outs := []string{
		fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s %q %x %X %d", tok, *tok, *tok, tok.AccessToken, tok.AccessToken, tok.AccessToken, tok.RefreshToken, tok.AccessToken),
		fmt.Sprintf("%#v", tok.AccessToken), string(js), logged.String(), tok.String(),
	}
	for _, out := range outs {
		if strings.Contains(out, "ya29") || strings.Contains(out, fmt.Sprintf("%x", raw)[:16]) {
			t.Errorf("the token shows: %s", out)
		}
	}
	if tok.AccessToken.Reveal() != raw {
		t.Fatal("Reveal must return the value")
	}
}

func TestBrowserCommands(t *testing.T) {
	const u = "https://x.test/auth?a=b"
	tests := []struct {
		env, goos string
		want      [][]string
	}{
		{"", "linux", [][]string{{"xdg-open", u}}},
		{"", "darwin", [][]string{{"open", u}}},
		{"", "windows", [][]string{{"rundll32", "url.dll,FileProtocolHandler", u}}},
		{"firefox", "linux", [][]string{{"firefox", u}}},
		{"w3m -dump %s:lynx", "linux", [][]string{{"w3m", "-dump", u}, {"lynx", u}}},
		{" : ", "linux", [][]string{{"xdg-open", u}}},
	}
	for _, tt := range tests {
		if got := browserCommands(tt.env, tt.goos, u); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("BROWSER=%q on %s: %v, want %v", tt.env, tt.goos, got, tt.want)
		}
	}
}

func TestMatchesIssuer(t *testing.T) {
	const ms = "https://login.microsoftonline.com/{tenantid}/v2.0"
	tests := []struct {
		want, got string
		ok        bool
	}{
		{"https://a.test", "https://a.test", true},
		{"https://a.test", "https://a.test/", false},
		{"https://a.test", "https://evil.test", false},
		{ms, "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", true},
		{ms, "https://login.microsoftonline.com//v2.0", false},
		{ms, "https://login.microsoftonline.com/a/b/v2.0", false},
		{ms, "https://evil.test/x/v2.0", false},
	}
	for _, tt := range tests {
		if got := matchesIssuer(tt.want, tt.got); got != tt.ok {
			t.Errorf("matchesIssuer(%q, %q) = %v", tt.want, tt.got, got)
		}
	}
}

func TestFromTable(t *testing.T) {
	iss := FromTable(providers.IssuerByID("microsoft"))
	if iss == nil || !strings.Contains(iss.TokenURL, "/common/") || iss.DeviceURL == "" {
		t.Fatalf("microsoft: %+v", iss)
	}
	got := iss.ScopesFor(mailcfg.IMAP, mailcfg.SMTP)
	want := []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access", "https://outlook.office.com/SMTP.Send"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scopes %v, want %v", got, want)
	}
	if _, err := New(Config{Issuer: iss}); err == nil || !strings.Contains(err.Error(), "https://entra.microsoft.com/") || !strings.Contains(err.Error(), "Microsoft") {
		t.Errorf("no client ID: %v", err)
	}
}

func TestResponsesAreBounded(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"issuer":"`)
		chunk := strings.Repeat("a", 64<<10)
		for i := 0; i < 64; i++ { // 4 MiB
			io.WriteString(w, chunk)
		}
	}))
	defer srv.Close()
	_, err := Discover(t.Context(), srv.Client(), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("a 4 MiB metadata document: %v", err)
	}
}

func TestDiscoverPaths(t *testing.T) {
	var asked []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		http.NotFound(w, r)
	}))
	defer srv.Close()
	_, err := Discover(t.Context(), srv.Client(), srv.URL+"/tenant/x/")
	want := []string{"/.well-known/oauth-authorization-server/tenant/x", "/tenant/x/.well-known/openid-configuration"}
	if err == nil || !reflect.DeepEqual(asked, want) {
		t.Fatalf("asked %v (want %v), error %v", asked, want, err)
	}
	if _, err := Discover(t.Context(), nil, "http://plain.test"); err == nil {
		t.Fatal("an http issuer was accepted")
	}
}

// An issuer that does not answer at all is asked once, not once per
// metadata path: the user would wait twice as long for the same verdict.
func TestDiscoverGivesUpOnSilence(t *testing.T) {
	var asked atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	client := srv.Client()
	client.Timeout = 200 * time.Millisecond
	_, err := Discover(t.Context(), client, srv.URL)
	if !errors.Is(err, ErrIssuer) || asked.Load() != 1 {
		t.Fatalf("asked %d times, error %v", asked.Load(), err)
	}
}
