package testbed

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"testing"
)

func TestCertKinds(t *testing.T) {
	t.Parallel()
	b := Start(t)
	tests := []struct {
		kind  CertKind
		check func(error) bool // nil: must verify
	}{
		{CertValid, nil},
		{CertExpired, func(err error) bool {
			var e x509.CertificateInvalidError
			return errors.As(err, &e) && e.Reason == x509.Expired
		}},
		{CertNotYetValid, func(err error) bool {
			var e x509.CertificateInvalidError
			return errors.As(err, &e) && e.Reason == x509.Expired // Go reports both as Expired
		}},
		{CertWrongName, func(err error) bool {
			var e x509.HostnameError
			return errors.As(err, &e)
		}},
		{CertSelfSigned, func(err error) bool {
			var e x509.UnknownAuthorityError
			return errors.As(err, &e)
		}},
		{CertUnknownCA, func(err error) bool {
			var e x509.UnknownAuthorityError
			return errors.As(err, &e)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			certFile, keyFile := b.Cert(tt.kind, "mail.example.test", "127.0.0.50")
			pair, err := tls.LoadX509KeyPair(certFile, keyFile)
			if err != nil {
				t.Fatal(err)
			}
			leaf, err := x509.ParseCertificate(pair.Certificate[0])
			if err != nil {
				t.Fatal(err)
			}
			inter := x509.NewCertPool()
			for _, der := range pair.Certificate[1:] {
				c, _ := x509.ParseCertificate(der)
				inter.AddCert(c)
			}
			for _, name := range []string{"mail.example.test", "127.0.0.50"} {
				_, err = leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: b.CAPool, Intermediates: inter})
				switch {
				case tt.check == nil && err != nil:
					t.Errorf("%s: %v", name, err)
				case tt.check != nil && !tt.check(err):
					t.Errorf("%s: got %v (%T), not the failure named %s", name, err, err, tt.kind)
				}
			}
			again, _ := b.Cert(tt.kind, "mail.example.test", "127.0.0.50")
			if again != certFile {
				t.Errorf("same kind and names gave a new file %s, had %s", again, certFile)
			}
		})
	}
	if _, err := os.Stat(b.CAFile); err != nil {
		t.Errorf("CA file: %v", err)
	}
}
