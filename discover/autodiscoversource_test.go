package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"mailsetup/dnsx"
)

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

const (
	adPath   = "/autodiscover/autodiscover.xml"
	adGET    = "http://autodiscover.example.com/Autodiscover/Autodiscover.xml"
	adFirst  = "https://autodiscover.example.com" + adPath
	adSecond = "https://example.com" + adPath
)

// adSettings is a POX answer naming one IMAP server on host.
func adSettings(host string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
 <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
  <Account><AccountType>email</AccountType><Action>settings</Action>
   <Protocol><Type>IMAP</Type><Server>` + host + `</Server><Port>993</Port><SSL>on</SSL></Protocol>
  </Account>
 </Response>
</Autodiscover>`
}

func adRedirectAddr(addr string) string {
	return `<Autodiscover><Response><Account><Action>redirectAddr</Action><RedirectAddr>` + addr +
		`</RedirectAddr></Account></Response></Autodiscover>`
}

func adRedirectURL(u string) string {
	return `<Autodiscover><Response><Account><Action>redirectUrl</Action><RedirectUrl>` + u +
		`</RedirectUrl></Account></Response></Autodiscover>`
}

// redirectTo answers every request with an HTTP redirect.
func redirectTo(status int, location string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Location", location)
		rw.WriteHeader(status)
	}
}

// adWeb serves POX answers keyed by the EMailAddress asked about.
func adByAddress(t *testing.T, docs map[string]string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(rw, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		for addr, doc := range docs {
			if strings.Contains(string(body), "<EMailAddress>"+addr+"</EMailAddress>") {
				rw.Header().Set("Content-Type", "text/xml; charset=utf-8")
				rw.Write([]byte(doc))
				return
			}
		}
		http.NotFound(rw, r)
	}
}

func routeOf(t *testing.T, cands []Candidate) Route {
	t.Helper()
	if len(cands) == 0 {
		t.Fatal("no candidates")
	}
	r := cands[0].Route
	if r == nil {
		t.Fatalf("candidate %v carries no route", cands[0].Server)
	}
	for _, c := range cands[1:] {
		if c.Route == nil || !c.Route.Equal(*r) {
			t.Errorf("candidates of one answer carry different routes: %+v, %+v", r, c.Route)
		}
	}
	return *r
}

func TestAutodiscoverSourcePOST(t *testing.T) {
	w := newTestWeb(t)
	w.handle(adFirst, func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(rw, "POST only", http.StatusMethodNotAllowed)
			return
		}
		rw.Header().Set("Content-Type", "text/xml; charset=utf-8")
		rw.Write([]byte(readTestdata(t, "ad_settings.xml")))
	})
	cands, lines, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, []string{
		"autodiscover imap imap.example.com:993 (tls) user=alice trusted",
		"autodiscover pop3 pop.example.com:995 (tls) user=alice@example.com trusted",
		"autodiscover smtp smtp.example.com:587 (starttls) user=alice@example.com trusted",
		"autodiscover smtp smtp.example.com:465 (tls) user=alice@example.com trusted",
		"autodiscover smtp smtp.example.com:25 (none) user=alice@example.com trusted",
	})
	if r := routeOf(t, cands); r.Route != RouteAutodiscoverHost || r.URL != adFirst || len(r.Via) != 0 || r.Source != SourceAutodiscover {
		t.Errorf("route %+v", r)
	}
	var posts []request
	for _, r := range w.allRequests() {
		if r.Method == http.MethodPost {
			posts = append(posts, r)
		}
		if r.Authorization != "" {
			t.Errorf("credentials sent to %s://%s%s", r.Scheme, r.Host, r.Path)
		}
	}
	if len(posts) != 2 { // https://autodiscover.example.com and https://example.com
		t.Fatalf("POSTs %+v", posts)
	}
	for _, r := range posts {
		if !strings.Contains(r.Body, "<EMailAddress>alice@example.com</EMailAddress>") ||
			!strings.Contains(r.Body, "outlook/responseschema/2006a</AcceptableResponseSchema>") {
			t.Errorf("request body:\n%s", r.Body)
		}
		if r.ContentType != "text/xml; charset=utf-8" {
			t.Errorf("content type %q, want exactly text/xml; charset=utf-8", r.ContentType)
		}
	}
	if w.hits(adGET) != 1 {
		t.Errorf("the plain-HTTP route was not asked: %+v", w.allRequests())
	}
	// The full Protocol element: SPA, AuthRequired and UsePOPAuth reach
	// the candidate.
	for _, c := range cands {
		if c.Port == 587 && (!strings.Contains(c.Detail, "UsePOPAuth=on") || !slices.Equal(c.Auth, []string{"password-cleartext"})) {
			t.Errorf("587: detail %q auth %v", c.Detail, c.Auth)
		}
	}
}

// Each of Outlook's routes alone finds the settings, and names itself.
func TestAutodiscoverRoutes(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *testWeb, r *fakeResolver)
		route string
		url   string
		via   []string // substrings of the hops, in order
		why   string   // substring of Why; "" = trusted
	}{
		{name: "domain", route: RouteDomain, url: adSecond, setup: func(w *testWeb, _ *fakeResolver) {
			w.serveFile(adSecond, adSettings("imap.example.com"))
		}},
		{name: "autodiscover host", route: RouteAutodiscoverHost, url: adFirst, setup: func(w *testWeb, _ *fakeResolver) {
			w.serveFile(adFirst, adSettings("imap.example.com"))
		}},
		{name: "plain-HTTP redirect", route: RouteHTTPRedirect, url: "https://mail.example.com" + adPath,
			via: []string{"GET " + adGET + " → HTTP 302 https://mail.example.com" + adPath},
			setup: func(w *testWeb, _ *fakeResolver) {
				w.handle(adGET, redirectTo(http.StatusFound, "https://mail.example.com"+adPath))
				w.serveFile("https://mail.example.com"+adPath, adSettings("imap.example.com"))
			}},
		{name: "plain-HTTP redirect elsewhere", route: RouteHTTPRedirect, url: "https://ad.example.net" + adPath,
			via: []string{"HTTP 301"}, why: "plain-HTTP redirect leads to ad.example.net, outside example.com",
			setup: func(w *testWeb, _ *fakeResolver) {
				w.handle(adGET, redirectTo(http.StatusMovedPermanently, "https://ad.example.net"+adPath))
				w.serveFile("https://ad.example.net"+adPath, adSettings("imap.example.net"))
			}},
		{name: "plain-HTTP redirect to Microsoft", route: RouteHTTPRedirect, url: "https://autodiscover-s.outlook.com" + adPath,
			via: []string{"HTTP 302 https://autodiscover-s.outlook.com"},
			setup: func(w *testWeb, _ *fakeResolver) {
				w.handle(adGET, redirectTo(http.StatusFound, "https://autodiscover-s.outlook.com"+adPath))
				w.serveFile("https://autodiscover-s.outlook.com"+adPath, adSettings("imap.example.com"))
			}},
		{name: "SRV", route: RouteSRV, url: "https://ad.example.com" + adPath,
			via: []string{"SRV _autodiscover._tcp.example.com → ad.example.com:443"},
			setup: func(w *testWeb, r *fakeResolver) {
				r.srv["_autodiscover._tcp.example.com"] = []dnsx.SRV{{Target: "ad.example.com.", Port: 443, Priority: 0, Weight: 1}}
				w.serveFile("https://ad.example.com"+adPath, adSettings("imap.example.com"))
			}},
		{name: "SRV elsewhere", route: RouteSRV, url: "https://ad.other.test" + adPath, why: "SRV record leads to ad.other.test, outside example.com",
			via: []string{"SRV _autodiscover._tcp.example.com → ad.other.test:443"},
			setup: func(w *testWeb, r *fakeResolver) {
				r.srv["_autodiscover._tcp.example.com"] = []dnsx.SRV{
					{Target: "ad.other.test.", Port: 443, Priority: 0, Weight: 5},
					{Target: "ad.example.com.", Port: 443, Priority: 10, Weight: 1}, // lower priority: not asked
				}
				w.serveFile("https://ad.other.test"+adPath, adSettings("imap.other.test"))
			}},
		{name: "HTTP redirect of a POST", route: RouteAutodiscoverHost, url: "https://mail.example.com" + adPath,
			via: []string{"POST " + adFirst + " → HTTP 307 https://mail.example.com" + adPath},
			setup: func(w *testWeb, _ *fakeResolver) {
				w.handle(adFirst, redirectTo(http.StatusTemporaryRedirect, "https://mail.example.com"+adPath))
				w.serveFile("https://mail.example.com"+adPath, adSettings("imap.example.com"))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWeb(t)
			r := &fakeResolver{srv: map[string][]dnsx.SRV{}}
			tt.setup(w, r)
			env := NewEnv(r, w.client)
			cands, _, err := runSource(t, &AutodiscoverSource{Env: env}, "alice@example.com")
			if err != nil || len(cands) != 1 {
				t.Fatalf("candidates %v, err %v", cands, err)
			}
			c := cands[0]
			got := routeOf(t, cands)
			if got.Route != tt.route || got.URL != tt.url || c.URL != tt.url {
				t.Errorf("route %+v, want %s at %s", got, tt.route, tt.url)
			}
			if len(got.Via) != len(tt.via) {
				t.Errorf("via %q, want %d hops", got.Via, len(tt.via))
			}
			for i := range min(len(got.Via), len(tt.via)) {
				if !strings.Contains(got.Via[i], tt.via[i]) {
					t.Errorf("via[%d] = %q, want it to contain %q", i, got.Via[i], tt.via[i])
				}
			}
			if c.Trusted != (tt.why == "") || !strings.Contains(c.Why.String(), tt.why) {
				t.Errorf("trusted %v why %q, want why containing %q", c.Trusted, c.Why, tt.why)
			}
			for _, req := range w.allRequests() {
				if req.Authorization != "" {
					t.Errorf("credentials sent to %s", req.Host)
				}
			}
		})
	}
}

// Nothing but a redirect to HTTPS is taken from the plain-HTTP route.
func TestAutodiscoverPlainHTTP(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"document without redirect", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/xml")
			rw.Write([]byte(adSettings("evil.example.com")))
		}, "nothing but a redirect is taken from plain HTTP"},
		{"redirect to plain HTTP", redirectTo(http.StatusFound, "http://mail.example.com"+adPath), "not HTTPS"},
		{"redirect without Location", redirectTo(http.StatusFound, ""), "without a Location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWeb(t)
			w.handle(adGET, tt.handler)
			w.serveFile("http://mail.example.com"+adPath, adSettings("evil.example.com"))
			cands, _, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
			if len(cands) != 0 || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("candidates %v, err %v; want an error saying %q", cands, err, tt.want)
			}
			if !strings.Contains(err.Error(), "autodiscover "+RouteHTTPRedirect+":") {
				t.Errorf("the error does not name the route: %v", err)
			}
		})
	}
}

func TestAutodiscoverRedirects(t *testing.T) {
	const (
		a = "alice@example.com"
		b = "alice@a.example.com"
		c = "alice@b.example.com"
		d = "alice@c.example.com"
	)
	hostFor := func(addr string) string { return "https://autodiscover." + strings.Split(addr, "@")[1] + adPath }
	tests := []struct {
		name    string
		docs    map[string]string // address → answer at autodiscover.<its domain>
		extra   map[string]string // URL → answer
		want    []string          // candidate lines
		via     int               // hops of the answer's route
		wantErr string
	}{
		{name: "redirectAddr twice", docs: map[string]string{a: adRedirectAddr(b), b: adRedirectAddr(c), c: adSettings("imap.example.com")},
			want: []string{"autodiscover imap imap.example.com:993 (tls) user=" + c + " trusted"}, via: 2},
		{name: "third redirect", docs: map[string]string{a: adRedirectAddr(b), b: adRedirectAddr(c), c: adRedirectAddr(d), d: adSettings("imap.example.com")},
			wantErr: "a third redirect (redirectAddr " + d},
		{name: "loop", docs: map[string]string{a: adRedirectAddr(b), b: adRedirectAddr(a)},
			wantErr: "redirect loop: " + hostFor(b) + " sends back to " + a},
		{name: "redirectUrl", docs: map[string]string{a: adRedirectURL("https://ad.example.net" + adPath)},
			extra: map[string]string{"https://ad.example.net" + adPath: adSettings("imap.example.net")},
			want:  []string{"autodiscover imap imap.example.net:993 (tls) user=" + a + " untrusted why=Autodiscover redirect leads to ad.example.net, outside example.com"}, via: 1},
		{name: "redirectUrl to itself", docs: map[string]string{a: adRedirectURL(hostFor(a))},
			wantErr: "redirect loop: " + hostFor(a) + " was already asked"},
		{name: "redirectUrl over plain HTTP", docs: map[string]string{a: adRedirectURL("http://ad.example.net" + adPath)},
			extra:   map[string]string{"http://ad.example.net" + adPath: adSettings("imap.example.net")},
			wantErr: "is not HTTPS"},
		{name: "redirectAddr to another domain", docs: map[string]string{a: adRedirectAddr("alice@mail.example.net")},
			extra: map[string]string{"https://autodiscover.mail.example.net" + adPath: adSettings("imap.example.net")},
			want:  []string{"autodiscover imap imap.example.net:993 (tls) user=alice@mail.example.net untrusted why=Autodiscover redirectAddr leads to mail.example.net, outside example.com"}, via: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWeb(t)
			docs := adByAddress(t, tt.docs)
			for addr := range tt.docs {
				w.handle(hostFor(addr), docs)
			}
			for u, doc := range tt.extra {
				w.serveFile(u, doc)
			}
			cands, lines, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, a)
			if tt.wantErr != "" {
				if len(cands) != 0 || !errors.Is(err, ErrAutodiscoverRedirect) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("candidates %v, err %v; want %q", lines, err, tt.wantErr)
				}
				if first := strings.SplitN(err.Error(), "\n", 2)[0]; !strings.Contains(first, "redirect") {
					t.Errorf("the refused redirect is not the first line of the error:\n%v", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				equalLines(t, lines, tt.want)
				if r := routeOf(t, cands); len(r.Via) != tt.via {
					t.Errorf("via %q, want %d hops", r.Via, tt.via)
				}
			}
			if n := len(w.allRequests()); n > maxAutodiscoverRequests {
				t.Errorf("%d requests", n)
			}
		})
	}
}

// Hostile or unhelpful servers end the search with an error that says
// what happened, never with a hang or a half-read document.
func TestAutodiscoverHostile(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		is      error
		want    string
	}{
		{"oversized", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/xml")
			chunk := strings.Repeat(" ", 64<<10)
			rw.Write([]byte("<Autodiscover>"))
			for range 32 { // 2 MiB without a Content-Length
				if _, err := rw.Write([]byte(chunk)); err != nil {
					return
				}
			}
		}, ErrTooLarge, ""},
		{"declared oversized", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/xml")
			rw.Header().Set("Content-Length", fmt.Sprint(MaxDocumentSize+1))
		}, ErrTooLarge, ""},
		{"wrong content type", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			rw.Write([]byte(adSettings("imap.example.com")))
		}, ErrContentType, "text/html"},
		{"login wanted", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("WWW-Authenticate", `Basic realm="autodiscover"`)
			http.Error(rw, "401", http.StatusUnauthorized)
		}, nil, "HTTP 401, the server wants a login; mailsetup sends no credentials"},
		{"error element", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/xml")
			rw.Write([]byte(readTestdata(t, "ad_error.xml")))
		}, nil, "autodiscover error 600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWeb(t)
			w.handle(adFirst, tt.handler)
			cands, _, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
			if len(cands) != 0 || err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("candidates %v, err %v", cands, err)
			}
			if !strings.Contains(err.Error(), "autodiscover "+RouteAutodiscoverHost+": ") {
				t.Errorf("the error does not name the route:\n%v", err)
			}
			for _, r := range w.allRequests() {
				if r.Authorization != "" {
					t.Errorf("credentials sent to %s", r.Host)
				}
			}
		})
	}

	t.Run("slow", func(t *testing.T) {
		w := newTestWeb(t)
		w.handle(adFirst, func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/xml")
			rw.WriteHeader(http.StatusOK)
			for { // one byte at a time, until the client gives up
				if _, err := rw.Write([]byte(" ")); err != nil {
					return
				}
				rw.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		})
		// The search's deadline, then the HTTP client's own timeout.
		for _, bound := range []string{"context", "client"} {
			ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
			client := w.client
			if bound == "client" {
				ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
				c := *w.client
				c.Timeout = 700 * time.Millisecond
				client = &c
			}
			start := time.Now()
			var col collector
			err := (&AutodiscoverSource{Env: NewEnv(nil, client)}).Find(ctx, mustAddress(t, "alice@example.com"), col.emit)
			cancel()
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("%s: took %v past a 700 ms bound", bound, took)
			}
			if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no complete answer in the time allowed") {
				t.Errorf("%s: err %v", bound, err)
			}
		}
	})
}

// A route that ends at Microsoft's Autodiscover, which answers only
// signed-in clients, yields Exchange Online's servers.
func TestAutodiscoverExchangeOnline(t *testing.T) {
	w := newTestWeb(t)
	w.handle(adGET, redirectTo(http.StatusFound, "https://autodiscover-s.outlook.com/Autodiscover/Autodiscover.xml"))
	w.handle("https://autodiscover-s.outlook.com/Autodiscover/Autodiscover.xml", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("WWW-Authenticate", `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`)
		http.Error(rw, "", http.StatusUnauthorized)
	})
	cands, lines, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, []string{
		"autodiscover imap outlook.office365.com:993 (tls) user=alice@example.com trusted",
		"autodiscover pop3 outlook.office365.com:995 (tls) user=alice@example.com trusted",
		"autodiscover smtp smtp.office365.com:587 (starttls) user=alice@example.com trusted",
	})
	for _, c := range cands {
		if c.ProviderID != "microsoft365" {
			t.Errorf("%v: provider %q", c.Server, c.ProviderID)
		}
	}
	r := routeOf(t, cands)
	if r.Route != RouteHTTPRedirect || len(r.Via) != 2 || !strings.Contains(r.Via[1], "autodiscover-s.outlook.com") {
		t.Errorf("route %+v", r)
	}
	for _, req := range w.allRequests() {
		if req.Authorization != "" {
			t.Errorf("credentials sent to %s", req.Host)
		}
	}

	// Settings naming Microsoft's hosts say the same.
	w = newTestWeb(t)
	w.serveFile(adFirst, adSettings("outlook.office365.com"))
	cands, _, err = runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil || len(cands) != 1 || cands[0].ProviderID != "microsoft365" {
		t.Fatalf("candidates %+v, err %v", cands, err)
	}
}

func TestAutodiscoverSourceNothing(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile(adSecond, "<html><body>Welcome to example.com</body></html>")
	r := &fakeResolver{}
	cands, _, err := runSource(t, &AutodiscoverSource{Env: NewEnv(r, w.client)}, "alice@example.com")
	if len(cands) != 0 || !errors.Is(err, ErrMalformed) {
		t.Fatalf("candidates %v err %v", cands, err)
	}
	var st *HTTPStatusError
	if !errors.As(err, &st) {
		t.Errorf("err %v lacks the first URL's 404", err)
	}
	for _, route := range []string{RouteDomain, RouteAutodiscoverHost, RouteHTTPRedirect, RouteSRV} {
		if !strings.Contains(err.Error(), "autodiscover "+route+": ") {
			t.Errorf("no word from route %s:\n%v", route, err)
		}
	}
	if !slices.Contains(r.asked(), "SRV _autodiscover._tcp.example.com") {
		t.Errorf("SRV not asked: %v", r.asked())
	}
}

func TestHTTPSTarget(t *testing.T) {
	tests := []struct{ from, loc, want, err string }{
		{"http://a.example.com/x", "https://b.example.com/y", "https://b.example.com/y", ""},
		{"https://a.example.com/x/y", "/z", "https://a.example.com/z", ""},
		{"http://a.example.com/x", "/z", "", "not HTTPS"},
		{"http://a.example.com/x", "ftp://b.example.com/", "", "not HTTPS"},
		{"http://a.example.com/x", "https:///nohost", "", "not HTTPS"},
	}
	for _, tt := range tests {
		got, err := httpsTarget(tt.from, tt.loc)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("httpsTarget(%q, %q) = %q, %v", tt.from, tt.loc, got, err)
		}
	}
}

func TestOutsideBase(t *testing.T) {
	tests := []struct {
		host, domain string
		outside      bool
	}{
		{"autodiscover.example.com", "example.com", false},
		{"mail.example.com", "sub.example.com", false},
		{"example.co.uk", "mail.example.co.uk", false},
		{"other.co.uk", "example.co.uk", true},
		{"ad.example.net", "example.com", true},
		{"autodiscover-s.outlook.com", "example.com", false},
		{"outlook.office365.com", "example.com", false},
		{"outlook.com.evil.test", "example.com", true},
	}
	for _, tt := range tests {
		if got := outsideBase(tt.host, tt.domain); got != tt.outside {
			t.Errorf("outsideBase(%q, %q) = %v", tt.host, tt.domain, got)
		}
	}
}

// A request ends a little before the search's deadline, so that its note
// reaches the report; the HTTP client's own timeout still applies.
func TestAutodiscoverRequestTimeout(t *testing.T) {
	now := time.Now()
	tests := []struct {
		client   time.Duration
		deadline time.Duration // from now; 0 = none
		want     time.Duration
		ok       bool
	}{
		{0, 0, 0, false},
		{8 * time.Second, 0, 8 * time.Second, true},
		{8 * time.Second, 20 * time.Second, 8 * time.Second, true},
		{8 * time.Second, 5 * time.Second, 5*time.Second - finishEarly, true},
		{0, 5 * time.Second, 5*time.Second - finishEarly, true},
		{8 * time.Second, 100 * time.Millisecond, time.Millisecond, true},
	}
	for _, tt := range tests {
		ctx := context.Background()
		if tt.deadline > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, now.Add(tt.deadline))
			defer cancel()
		}
		a := &adSearch{timeout: tt.client}
		if got, ok := a.requestTimeout(ctx, now); got != tt.want || ok != tt.ok {
			t.Errorf("client %v, deadline %v: %v %v, want %v %v", tt.client, tt.deadline, got, ok, tt.want, tt.ok)
		}
	}
}

// Routes the caller cut off do not hide what the others found out.
func TestAutodiscoverCancelledRoutes(t *testing.T) {
	origin := mustAddress(t, "alice@example.com")
	c := adChain{addr: origin, route: RouteSRV}
	a := &adSearch{origin: origin}
	a.fail(c, fmt.Errorf("POST x: %w", context.Canceled))
	if err := a.err(); !errors.Is(err, context.Canceled) {
		t.Errorf("only cancelled routes: %v", err)
	}
	a.fail(c, fmt.Errorf("%w: redirect loop", ErrAutodiscoverRedirect))
	if err := a.err(); errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "autodiscover srv: autodiscover redirect refused: redirect loop") {
		t.Errorf("a cancelled route hides the others: %v", err)
	}
}

// Offline, nothing outside the address's registered domain is asked; a
// redirect to Microsoft's Autodiscover still tells Exchange Online.
func TestAutodiscoverOffline(t *testing.T) {
	w := newTestWeb(t)
	w.handle(adGET, redirectTo(http.StatusFound, "https://autodiscover-s.outlook.com/Autodiscover/Autodiscover.xml"))
	w.serveFile(adFirst, adRedirectURL("https://ad.example.net"+adPath))
	w.serveFile("https://ad.example.net"+adPath, adSettings("imap.example.net"))
	env := NewEnv(nil, w.client)
	env.Offline = true
	cands, lines, err := runSource(t, &AutodiscoverSource{Env: env}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, []string{
		"autodiscover imap outlook.office365.com:993 (tls) user=alice@example.com trusted",
		"autodiscover pop3 outlook.office365.com:995 (tls) user=alice@example.com trusted",
		"autodiscover smtp smtp.office365.com:587 (starttls) user=alice@example.com trusted",
	})
	if r := routeOf(t, cands); !strings.Contains(strings.Join(r.Via, " "), "not asked offline") {
		t.Errorf("route %+v", r)
	}
	for _, r := range w.allRequests() {
		if r.Host == "autodiscover-s.outlook.com" || r.Host == "ad.example.net" {
			t.Errorf("asked %s offline", r.Host)
		}
	}

	// Without Microsoft in the picture, the refused redirect is the note.
	w = newTestWeb(t)
	w.serveFile(adFirst, adRedirectURL("https://ad.example.net"+adPath))
	w.serveFile("https://ad.example.net"+adPath, adSettings("imap.example.net"))
	env = NewEnv(nil, w.client)
	env.Offline = true
	cands, _, err = runSource(t, &AutodiscoverSource{Env: env}, "alice@example.com")
	if len(cands) != 0 || err == nil || !strings.Contains(err.Error(), "not asked offline") || w.hits("https://ad.example.net"+adPath) != 0 {
		t.Errorf("candidates %v, err %v", cands, err)
	}
}
