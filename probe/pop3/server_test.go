package pop3

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// A fake server plays a script, one step per entry:
//
//	"S: text"  send text + CRLF
//	"C: text"  expect the client to send exactly text
//	"RAW:text" send text as is
//	"TLS"      run the server side of a TLS handshake
//	"TLS?"     the same, where the client is meant to reject it
//	"CLOSE"    hang up
//	func()     call it (e.g. to cancel the client's context)
//
// After the script it reads until the client hangs up. A mismatch fails
// the test. The server lives until the test ends.
func serve(t *testing.T, script ...any) (addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var tlsConfig *tls.Config
	for _, step := range script {
		if step == "TLS" || step == "TLS?" {
			tlsConfig = serverTLSConfig(t)
		}
	}
	var (
		mu   sync.Mutex
		conn net.Conn
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		mu.Lock()
		conn = c
		mu.Unlock()
		defer c.Close()
		// A safety net only: tests end the conversation themselves.
		c.SetDeadline(time.Now().Add(30 * time.Second))
		var cur net.Conn = c
		r := bufio.NewReader(cur)
		for i, step := range script {
			switch s := step.(type) {
			case func():
				s()
			case string:
				switch {
				case strings.HasPrefix(s, "S: "):
					if _, err := io.WriteString(cur, s[3:]+"\r\n"); err != nil {
						return // the client may hang up early; its test asserts why
					}
				case strings.HasPrefix(s, "RAW:"):
					if _, err := io.WriteString(cur, s[4:]); err != nil {
						return
					}
				case strings.HasPrefix(s, "C: "):
					got, err := r.ReadString('\n')
					if err != nil {
						t.Errorf("server step %d: want client line %q, got error %v", i, s[3:], err)
						return
					}
					if got = strings.TrimSuffix(got, "\r\n"); got != s[3:] {
						t.Errorf("server step %d: client sent %q, want %q", i, got, s[3:])
						return
					}
				case s == "CLOSE":
					return
				case s == "TLS" || s == "TLS?":
					tc := tls.Server(cur, tlsConfig)
					if err := tc.Handshake(); err != nil {
						if s == "TLS" {
							t.Errorf("server TLS handshake: %v", err)
						}
						return
					}
					cur, r = tc, bufio.NewReader(tc)
				default:
					panic("bad script step " + s)
				}
			}
		}
		io.Copy(io.Discard, r)
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		if conn != nil {
			conn.Close()
		}
		mu.Unlock()
		<-done
	})
	return ln.Addr().String()
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testCtx bounds every test conversation; tests assert on errors, never
// on time.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// connect runs the greeting of a scripted server and returns the client.
func connect(t *testing.T, opts *Options, script ...any) *Client {
	t.Helper()
	c, err := NewClient(testCtx(t), dial(t, serve(t, script...)), opts)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

const testServerName = "pop.example.test"

var (
	certOnce sync.Once
	certPair tls.Certificate
	certPool *x509.CertPool
	certErr  error
)

// testCert makes a self-signed certificate for testServerName once.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			certErr = err
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{CommonName: testServerName},
			DNSNames:              []string{testServerName},
			IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(24 * time.Hour),
			KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			certErr = err
			return
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			certErr = err
			return
		}
		certPair = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}
		certPool = x509.NewCertPool()
		certPool.AddCert(cert)
	})
	if certErr != nil {
		t.Fatal(certErr)
	}
	return certPair, certPool
}

func serverTLSConfig(t *testing.T) *tls.Config {
	pair, _ := testCert(t)
	return &tls.Config{Certificates: []tls.Certificate{pair}}
}

func clientTLSConfig(t *testing.T) *tls.Config {
	_, pool := testCert(t)
	return &tls.Config{ServerName: testServerName, RootCAs: pool}
}
