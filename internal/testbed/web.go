package testbed

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// WebServer is a running HTTP or HTTPS server.
type WebServer struct {
	IP      string
	StdPort int    // 443 or 80
	Addr    string // actual "ip:port"
	Names   []string
	URL     string // "https://<first name>" (or the IP), no trailing slash

	bed  *Bed
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	requests []string
}

// HTTPS starts a web server on ip (empty: a new address) as ip:443, with a
// certificate of kind for names; each name gets an A record → ip. It stops
// when t's test ends.
func (b *Bed) HTTPS(t testing.TB, ip string, names []string, cert CertKind, handler http.Handler) *WebServer {
	if t != nil {
		t.Helper()
	}
	w, err := b.StartWeb(ip, 443, names, &cert, handler)
	if err != nil {
		fail(t, err)
	}
	if t != nil {
		t.Cleanup(w.Close)
	}
	return w
}

// HTTP is HTTPS without TLS, as ip:80.
func (b *Bed) HTTP(t testing.TB, ip string, names []string, handler http.Handler) *WebServer {
	if t != nil {
		t.Helper()
	}
	w, err := b.StartWeb(ip, 80, names, nil, handler)
	if err != nil {
		fail(t, err)
	}
	if t != nil {
		t.Cleanup(w.Close)
	}
	return w
}

// StartWeb starts a web server as ip:stdPort, over TLS when cert is not nil.
func (b *Bed) StartWeb(ip string, stdPort int, names []string, cert *CertKind, handler http.Handler) (*WebServer, error) {
	ip = b.ipOrNew(ip)
	ln, err := net.Listen("tcp", hostPort(ip, 0))
	if err != nil {
		return nil, err
	}
	w := &WebServer{IP: ip, StdPort: stdPort, Addr: ln.Addr().String(), Names: names, bed: b, done: make(chan struct{})}
	host := ip
	if len(names) > 0 {
		host = names[0]
	}
	scheme := "http://"
	if cert != nil {
		scheme = "https://"
		certNames := names
		if len(certNames) == 0 {
			certNames = []string{ip}
		}
		cfg := b.serverTLS(*cert, certNames)
		cfg.NextProtos = []string{"http/1.1"}
		ln = tls.NewListener(ln, cfg)
	}
	w.URL = scheme + host
	w.ln = ln
	w.srv = &http.Server{
		Handler:           http.HandlerFunc(w.serveHTTP(handler)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       idleTimeout,
		WriteTimeout:      idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(io.Discard, "", 0), // failed handshakes are the point of some tests
	}
	go func() {
		defer close(w.done)
		if err := w.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return
		}
	}()
	b.mapPort(ip, stdPort, w.Addr)
	for _, n := range names {
		if net.ParseIP(n) == nil {
			b.AddA(n, ip)
		}
	}
	b.own(nil, w.Close)
	return w, nil
}

func (w *WebServer) serveHTTP(h http.Handler) func(http.ResponseWriter, *http.Request) {
	return func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.requests = append(w.requests, r.Method+" "+r.URL.RequestURI())
		w.mu.Unlock()
		r.Body = http.MaxBytesReader(rw, r.Body, 1<<20)
		h.ServeHTTP(rw, r)
	}
}

// Requests lists "METHOD /path?query" of every request served, in order.
func (w *WebServer) Requests() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.requests...)
}

// Close stops the server, closing open connections, and removes its map entry.
func (w *WebServer) Close() {
	w.once.Do(func() {
		w.srv.Close()
		<-w.done
		w.bed.unmapPort(w.IP, w.StdPort, w.Addr)
	})
}
