package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

const testHost = "mail.example.test"

// testPKI holds certificates for every verdict a probe can reach.
type testPKI struct {
	roots                                            *x509.CertPool
	valid, expired, wrongName, selfSigned, unknownCA tls.Certificate
}

var (
	pkiOnce sync.Once
	pki     *testPKI
)

func certs(t *testing.T) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki = newTestPKI() })
	return pki
}

func newTestPKI() *testPKI {
	now := time.Now()
	ca, caKey := mustCert(&x509.Certificate{Subject: pkix.Name{CommonName: "Test Root CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour)}, nil, nil)
	other, otherKey := mustCert(&x509.Certificate{Subject: pkix.Name{CommonName: "Other CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour)}, nil, nil)
	leaf := func(name string, from, to time.Time, parent *x509.Certificate, key *ecdsa.PrivateKey) tls.Certificate {
		c, k := mustCert(&x509.Certificate{Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
			NotBefore: from, NotAfter: to, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, parent, key)
		return tls.Certificate{Certificate: [][]byte{c.Raw}, PrivateKey: k, Leaf: c}
	}
	p := &testPKI{roots: x509.NewCertPool()}
	p.roots.AddCert(ca)
	p.valid = leaf(testHost, now.Add(-time.Hour), now.Add(time.Hour), ca, caKey)
	p.expired = leaf(testHost, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC), ca, caKey)
	p.wrongName = leaf("mail.other.test", now.Add(-time.Hour), now.Add(time.Hour), ca, caKey)
	p.selfSigned = leaf(testHost, now.Add(-time.Hour), now.Add(time.Hour), nil, nil)
	p.unknownCA = leaf(testHost, now.Add(-time.Hour), now.Add(time.Hour), other, otherKey)
	return p
}

var serial int64

// mustCert signs tmpl with parent's key, or self-signs when parent is nil.
func mustCert(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c, key
}

func serverTLS(c tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c}}
}

func fingerprint(c tls.Certificate) string {
	sum := certSHA256(c.Certificate[0])
	// The colon form users copy from browsers, in upper case.
	var parts []string
	for i := 0; i < len(sum); i += 2 {
		parts = append(parts, strings.ToUpper(sum[i:i+2]))
	}
	return strings.Join(parts, ":")
}

// fakeResolver answers from a map; other names do not exist.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupHost(_ context.Context, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, fmt.Errorf("%s: no such domain (NXDOMAIN)", host)
}

var loopback = fakeResolver{testHost: {netip.MustParseAddr("127.0.0.1")}}

// testOptions are the options every test starts from.
func testOptions(t *testing.T) Options {
	return Options{Resolver: loopback, RootCAs: certs(t).roots, Timeout: 10 * time.Second}
}

func server(proto mailcfg.Protocol, port int, sec mailcfg.Security) mailcfg.Server {
	return mailcfg.Server{Protocol: proto, Host: testHost, Port: port, Security: sec, Username: "alice@example.test"}
}

// listen starts a loopback listener closed at the end of the test and
// runs handle for every connection.
func listen(t *testing.T, handle func(net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// scriptConn is the server side of a scripted conversation; it records
// every line the client sent, exactly as sent.
type scriptConn struct {
	c    net.Conn
	r    *bufio.Reader
	seen *recorder
}

func newScriptConn(c net.Conn, seen *recorder) *scriptConn {
	return &scriptConn{c: c, r: bufio.NewReader(c), seen: seen}
}

func (s *scriptConn) send(lines ...string) {
	for _, l := range lines {
		io.WriteString(s.c, l+"\r\n")
	}
}

func (s *scriptConn) read() (string, error) {
	line, err := s.r.ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if err == nil && s.seen != nil {
		s.seen.add(line)
	}
	return line, err
}

// startTLS switches the conversation to TLS as a server.
func (s *scriptConn) startTLS(cfg *tls.Config) error {
	tc := tls.Server(s.c, cfg)
	if err := tc.Handshake(); err != nil {
		return err
	}
	s.c, s.r = tc, bufio.NewReader(tc)
	return nil
}

// recorder collects what a server received, for assertions.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) add(line string) {
	r.mu.Lock()
	r.lines = append(r.lines, line)
	r.mu.Unlock()
}

func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// syncBuffer is a transcript sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func certSHA256(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}
