package discover

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/dnsx"
)

// testNames are the host names the test certificate is valid for.
var testNames = []string{"example.com", "*.example.com", "example.net", "*.example.net",
	"*.mail.example.net", "ispdb.test", "other.test", "*.other.test",
	"*.a.example.com", "*.b.example.com", "*.c.example.com", "outlook.com", "*.outlook.com"}

// newTestPKI makes a CA and a server certificate for names, signed by it.
func newTestPKI(t testing.TB, names ...string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "discover test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}, pool
}

// request is what the test web sees of one request.
type request struct {
	Method, Scheme, Host, Path, Query, Body, ContentType string
	Authorization                                        string
}

// testWeb serves the same routes over HTTPS (port 443) and plain HTTP
// (port 80) for every host name: the dialer sends every host there.
// Routes are keyed "https://host/path" or "http://host/path".
type testWeb struct {
	t      testing.TB
	tls    *httptest.Server
	plain  *httptest.Server
	roots  *x509.CertPool
	client *http.Client

	mu       sync.Mutex
	routes   map[string]http.HandlerFunc
	requests []request
	dialed   []string
}

func newTestWeb(t testing.TB) *testWeb {
	w := &testWeb{t: t, routes: map[string]http.HandlerFunc{}}
	cert, roots := newTestPKI(t, testNames...)
	w.roots = roots
	w.tls = httptest.NewUnstartedServer(http.HandlerFunc(w.serve))
	w.tls.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	w.tls.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are expected in some tests
	w.tls.StartTLS()
	w.plain = httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(w.tls.Close)
	t.Cleanup(w.plain.Close)
	w.client = NewHTTPClient(w, roots, 10*time.Second)
	t.Cleanup(w.client.CloseIdleConnections)
	return w
}

// DialContext maps host:443 to the TLS server and host:80 to the plain one.
func (w *testWeb) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.dialed = append(w.dialed, address)
	w.mu.Unlock()
	if host == "refused.test" || strings.HasSuffix(host, ".refused.test") {
		return nil, errors.New("connection refused")
	}
	var d net.Dialer
	switch port {
	case "443":
		return d.DialContext(ctx, network, w.tls.Listener.Addr().String())
	case "80":
		return d.DialContext(ctx, network, w.plain.Listener.Addr().String())
	}
	return nil, fmt.Errorf("test dialer: no route to %s", address)
}

func (w *testWeb) handle(key string, h http.HandlerFunc) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.routes[key] = h
}

// serveFile answers key with body and a 200.
func (w *testWeb) serveFile(key, body string) {
	w.handle(key, func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/xml")
		io.WriteString(rw, body)
	})
}

func (w *testWeb) serve(rw http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	r.Body = io.NopCloser(bytes.NewReader(body)) // the handler may read it too
	w.mu.Lock()
	w.requests = append(w.requests, request{Method: r.Method, Scheme: scheme, Host: host, Path: r.URL.Path,
		Query: r.URL.RawQuery, Body: string(body), ContentType: r.Header.Get("Content-Type"),
		Authorization: r.Header.Get("Authorization")})
	h := w.routes[scheme+"://"+host+r.URL.Path]
	w.mu.Unlock()
	if h == nil {
		http.NotFound(rw, r)
		return
	}
	h(rw, r)
}

// hits counts requests to scheme://host/path.
func (w *testWeb) hits(key string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, r := range w.requests {
		if r.Scheme+"://"+r.Host+r.Path == key {
			n++
		}
	}
	return n
}

func (w *testWeb) allRequests() []request {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.requests)
}

// fakeResolver answers from maps; a name it does not know is NXDOMAIN.
type fakeResolver struct {
	mu      sync.Mutex
	srv     map[string][]dnsx.SRV // "_imaps._tcp.example.com"
	srvErr  map[string]error
	mx      map[string][]dnsx.MX
	mxErr   map[string]error
	queries []string
}

func (f *fakeResolver) LookupSRV(ctx context.Context, service, proto, name string) ([]dnsx.SRV, error) {
	q := "_" + service + "._" + proto + "." + name
	f.mu.Lock()
	f.queries = append(f.queries, "SRV "+q)
	f.mu.Unlock()
	if err := f.srvErr[q]; err != nil {
		return nil, err
	}
	if r, ok := f.srv[q]; ok {
		return r, nil
	}
	return nil, &dnsx.Error{Name: q, Qtype: "SRV", Kind: dnsx.NXDomain}
}

func (f *fakeResolver) LookupMX(ctx context.Context, name string) ([]dnsx.MX, error) {
	f.mu.Lock()
	f.queries = append(f.queries, "MX "+name)
	f.mu.Unlock()
	if err := f.mxErr[name]; err != nil {
		return nil, err
	}
	if r, ok := f.mx[name]; ok {
		return r, nil
	}
	return nil, &dnsx.Error{Name: name, Qtype: "MX", Kind: dnsx.NXDomain}
}

func (f *fakeResolver) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Clone(f.queries)
	slices.Sort(out)
	return out
}

// collector gathers emitted candidates from any goroutine.
type collector struct {
	mu   sync.Mutex
	list []Candidate
}

func (c *collector) emit(x Candidate) {
	c.mu.Lock()
	c.list = append(c.list, x)
	c.mu.Unlock()
}

// lines renders the candidates one per line, sorted, for comparison.
func (c *collector) lines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, x := range c.list {
		out = append(out, candidateLine(x))
	}
	slices.Sort(out)
	return out
}

func candidateLine(x Candidate) string {
	s := fmt.Sprintf("%s %s user=%s %s", x.Source, x.Server, x.Username, map[bool]string{true: "trusted", false: "untrusted"}[x.Trusted])
	if !x.Why.IsZero() {
		s += " why=" + x.Why.String()
	}
	return s
}

func runSource(t *testing.T, s Source, addr string) ([]Candidate, []string, error) {
	t.Helper()
	var c collector
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := s.Find(ctx, mustAddress(t, addr), c.emit)
	for _, x := range c.list {
		if x.Source != s.Name() {
			t.Errorf("candidate %v has source %q from source %q", x.Server, x.Source, s.Name())
		}
		if verr := x.Validate(); verr != nil {
			t.Errorf("invalid candidate: %v", verr)
		}
	}
	return c.list, c.lines(), err
}

func equalLines(t *testing.T, got, want []string) {
	t.Helper()
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("candidates:\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// The project's resolver and its dialer are what the lead plugs in.
var (
	_ Resolver           = (*dnsx.Resolver)(nil)
	_ dnsx.ContextDialer = (*dnsx.Dialer)(nil)
)
