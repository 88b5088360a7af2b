package probe

import (
	"context"
	"crypto/tls"
	"sync"
	"testing"

	"mailsetup/mailcfg"
)

// A shared session cache lets the second connection to a server resume the
// first one's TLS session; the certificate is judged exactly as before, so
// resuming never turns a bad certificate into a good one.
func TestSessionCacheResumes(t *testing.T) {
	pki := certs(t)
	for _, tt := range []struct {
		name   string
		cert   tls.Certificate
		status mailcfg.Status
	}{
		{"valid", pki.valid, mailcfg.StatusOK},
		{"wrong name", pki.wrongName, mailcfg.StatusCertInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var resumed []bool
			cfg := serverTLS(tt.cert)
			cfg.VerifyConnection = func(cs tls.ConnectionState) error {
				mu.Lock()
				resumed = append(resumed, cs.DidResume)
				mu.Unlock()
				return nil
			}
			port := (&pop3Script{capa: popCaps, implicitTLS: cfg}).start(t)
			srv := server(mailcfg.POP3, port, mailcfg.TLS)
			o := testOptions(t)
			o.SessionCache = tls.NewLRUClientSessionCache(4)
			first := Probe(context.Background(), srv, o)
			second := Probe(context.Background(), srv, o)
			mu.Lock()
			defer mu.Unlock()
			if len(resumed) != 2 || resumed[0] || !resumed[1] {
				t.Fatalf("server saw resumed = %v, want [false true]", resumed)
			}
			for i, r := range []Result{first, second} {
				if r.Status != tt.status || r.TLS == nil || r.TLS.SHA256 != certSHA256(tt.cert.Certificate[0]) {
					t.Errorf("probe %d: status %s (%s), TLS %+v", i+1, r.Status, r.Error, r.TLS)
				}
			}
			if first.TLS.Error != second.TLS.Error || first.TLS.Verified != second.TLS.Verified {
				t.Errorf("resumed verdict %q/%v differs from the first %q/%v",
					second.TLS.Error, second.TLS.Verified, first.TLS.Error, first.TLS.Verified)
			}
		})
	}
}

// Without a cache every connection is a full handshake.
func TestNoSessionCacheNoResumption(t *testing.T) {
	var mu sync.Mutex
	var resumed []bool
	cfg := serverTLS(certs(t).valid)
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		mu.Lock()
		resumed = append(resumed, cs.DidResume)
		mu.Unlock()
		return nil
	}
	port := (&pop3Script{capa: popCaps, implicitTLS: cfg}).start(t)
	srv := server(mailcfg.POP3, port, mailcfg.TLS)
	Probe(context.Background(), srv, testOptions(t))
	Probe(context.Background(), srv, testOptions(t))
	mu.Lock()
	defer mu.Unlock()
	if len(resumed) != 2 || resumed[0] || resumed[1] {
		t.Fatalf("server saw resumed = %v, want [false false]", resumed)
	}
}
