package testbed

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// CertKind is what a server certificate is good or bad for.
type CertKind int

const (
	CertValid       CertKind = iota // issued by the test CA for the names, valid now
	CertExpired                     // issued by the test CA, expired a month ago
	CertNotYetValid                 // issued by the test CA, valid from next month
	CertWrongName                   // issued by the test CA for WrongCertName only
	CertSelfSigned                  // self-signed, for the names
	CertUnknownCA                   // for the names, issued by a CA that no pool holds
)

// WrongCertName is the only name a CertWrongName certificate carries.
const WrongCertName = "wrong-name.invalid"

var certKindNames = map[CertKind]string{
	CertValid: "valid", CertExpired: "expired", CertNotYetValid: "not-yet-valid",
	CertWrongName: "wrong-name", CertSelfSigned: "self-signed", CertUnknownCA: "unknown-ca",
}

func (k CertKind) String() string {
	if s, ok := certKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("CertKind(%d)", int(k))
}

// authority is the test CA, plus a second CA that nothing trusts, and a
// cache of the certificates issued so far.
type authority struct {
	dir     string
	caFile  string
	pool    *x509.CertPool
	ca      *issuer
	unknown *issuer

	mu    sync.Mutex
	cache map[string]*issued
}

type issuer struct {
	cert *x509.Certificate
	key  crypto.Signer
}

type issued struct {
	certFile, keyFile string
	tls               tls.Certificate
}

func newKey() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

func serial() (*big.Int, error) { return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127)) }

func newIssuer(name string) (*issuer, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{CommonName: name, Organization: []string{"mailsetup test bed"}},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &issuer{cert: cert, key: key}, nil
}

func newAuthority(dir string) (*authority, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	a := &authority{dir: dir, cache: map[string]*issued{}, pool: x509.NewCertPool()}
	var err error
	if a.ca, err = newIssuer("mailsetup test CA"); err != nil {
		return nil, err
	}
	if a.unknown, err = newIssuer("unknown test CA"); err != nil {
		return nil, err
	}
	a.pool.AddCert(a.ca.cert)
	a.caFile = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(a.caFile, pemBlock("CERTIFICATE", a.ca.cert.Raw), 0o644); err != nil {
		return nil, err
	}
	return a, nil
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// issue returns a certificate of kind for names, making it on first use.
func (a *authority) issue(kind CertKind, names []string) (*issued, error) {
	if len(names) == 0 {
		names = []string{"testbed.invalid"}
	}
	clean := make([]string, len(names))
	for i, n := range names {
		clean[i] = strings.TrimSuffix(strings.ToLower(n), ".")
	}
	key := kind.String() + " " + strings.Join(clean, " ")
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.cache[key]; ok {
		return c, nil
	}
	c, err := a.make(kind, clean)
	if err != nil {
		return nil, err
	}
	a.cache[key] = c
	return c, nil
}

func (a *authority) make(kind CertKind, names []string) (*issued, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: sn,
		Subject:      pkix.Name{CommonName: names[0], Organization: []string{"mailsetup test bed"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if kind == CertWrongName {
		names = []string{WrongCertName}
		tmpl.Subject.CommonName = WrongCertName
	}
	sort.Strings(names[1:]) // stable files for the same set
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	parent, signer := a.ca.cert, a.ca.key
	switch kind {
	case CertValid, CertWrongName:
	case CertExpired:
		tmpl.NotBefore, tmpl.NotAfter = now.Add(-60*24*time.Hour), now.Add(-30*24*time.Hour)
	case CertNotYetValid:
		tmpl.NotBefore, tmpl.NotAfter = now.Add(30*24*time.Hour), now.Add(60*24*time.Hour)
	case CertSelfSigned:
		parent, signer = tmpl, key
	case CertUnknownCA:
		parent, signer = a.unknown.cert, a.unknown.key
	default:
		return nil, fmt.Errorf("unknown certificate kind %d", int(kind))
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	// The chain file carries the intermediate-less chain a server sends:
	// the leaf, plus the issuing CA for the unknown-CA kind so that clients
	// see a complete but untrusted chain.
	chain := pemBlock("CERTIFICATE", der)
	tlsCert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	if kind == CertUnknownCA {
		chain = append(chain, pemBlock("CERTIFICATE", a.unknown.cert.Raw)...)
		tlsCert.Certificate = append(tlsCert.Certificate, a.unknown.cert.Raw)
	}
	sum := sha256.Sum256([]byte(kind.String() + " " + strings.Join(names, " ")))
	base := filepath.Join(a.dir, kind.String()+"-"+hex.EncodeToString(sum[:6]))
	c := &issued{certFile: base + ".crt", keyFile: base + ".key", tls: tlsCert}
	if err := os.WriteFile(c.certFile, chain, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(c.keyFile, pemBlock("PRIVATE KEY", keyDER), 0o600); err != nil {
		return nil, err
	}
	return c, nil
}

// Cert returns PEM files (certificate chain, PKCS#8 key) of kind for names
// (DNS names or IP addresses); the same kind and names give the same files.
// It panics if the certificate cannot be made.
func (b *Bed) Cert(kind CertKind, names ...string) (certFile, keyFile string) {
	c, err := b.ca.issue(kind, names)
	if err != nil {
		panic("testbed: certificate: " + err.Error())
	}
	return c.certFile, c.keyFile
}

// TLSCert is Cert as a tls.Certificate, for in-process servers.
func (b *Bed) TLSCert(kind CertKind, names ...string) tls.Certificate {
	c, err := b.ca.issue(kind, names)
	if err != nil {
		panic("testbed: certificate: " + err.Error())
	}
	return c.tls
}

// serverTLS is a server configuration presenting a certificate of kind.
// With names it always presents those; without, it issues one for the
// name the client asks for (SNI), or the local IP when it asks for none,
// so a fault or scripted server fits whatever name points at it.
func (b *Bed) serverTLS(kind CertKind, names []string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	cfg.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		want := names
		if len(want) == 0 {
			if hello.ServerName != "" {
				want = []string{hello.ServerName}
			} else if host, _, err := net.SplitHostPort(hello.Conn.LocalAddr().String()); err == nil {
				want = []string{host}
			}
		}
		c, err := b.ca.issue(kind, want)
		if err != nil {
			return nil, err
		}
		return &c.tls, nil
	}
	return cfg
}
