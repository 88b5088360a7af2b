package probe

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// tlsConfig asks for any certificate: the judgement is made afterwards by
// judgeCertificate, so that a probe can report the facts of a bad
// certificate and a login can accept a pinned one.
func tlsConfig(serverName string) *tls.Config {
	return &tls.Config{
		ServerName:         serverName,
		InsecureSkipVerify: true, // verified by judgeCertificate, which never skips
	}
}

// judgeCertificate describes the session and checks the server's chain and
// name against roots (nil: the system's), and the pins.
func judgeCertificate(state tls.ConnectionState, name string, roots *x509.CertPool, pins []string, now time.Time) *TLSInfo {
	info := &TLSInfo{
		Version: tlsVersionName(state.Version),
		Cipher:  tls.CipherSuiteName(state.CipherSuite),
	}
	certs := state.PeerCertificates
	if len(certs) == 0 {
		info.Problem, info.Error = CertInvalid, "the server sent no certificate"
		return info
	}
	leaf := certs[0]
	sum := sha256.Sum256(leaf.Raw)
	info.SHA256 = hex.EncodeToString(sum[:])
	info.Subject = leaf.Subject.String()
	info.Issuer = leaf.Issuer.String()
	info.DNSNames = leaf.DNSNames
	info.NotBefore, info.NotAfter = leaf.NotBefore, leaf.NotAfter
	for _, c := range certs {
		info.Chain = append(info.Chain, c.Subject.String())
	}

	problems := certProblems(certs, name, roots, now)
	if len(problems) > 0 {
		info.Problem = problems[0].kind
		words := make([]string, len(problems))
		for i, p := range problems {
			words[i] = p.words
		}
		info.Error = strings.Join(words, "; ")
	}
	info.Pinned = pinned(info.SHA256, pins)
	info.Verified = len(problems) == 0 || info.Pinned
	return info
}

type certProblem struct {
	kind  CertProblem
	words string
}

// certProblems lists what is wrong, the most fundamental first. Time,
// trust and name are checked separately so each problem is named even
// when several combine.
func certProblems(certs []*x509.Certificate, name string, roots *x509.CertPool, now time.Time) []certProblem {
	leaf := certs[0]
	var out []certProblem
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }

	when := now
	switch {
	case now.After(leaf.NotAfter):
		out = append(out, certProblem{CertExpired, "certificate expired on " + day(leaf.NotAfter)})
		when = leaf.NotAfter.Add(-time.Second)
	case now.Before(leaf.NotBefore):
		out = append(out, certProblem{CertNotYetValid, "certificate is not valid before " + day(leaf.NotBefore)})
		when = leaf.NotBefore.Add(time.Second)
	}

	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: when})
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	switch {
	case err == nil:
	case errors.As(err, &unknown) && selfSigned(leaf):
		out = append(out, certProblem{CertSelfSigned, "self-signed certificate"})
	case errors.As(err, &unknown):
		out = append(out, certProblem{CertUnknownAuthority, "certificate signed by an unknown authority (issuer " + issuerName(leaf) + ")"})
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && !when.Equal(now):
		// Checked at a time inside the leaf's validity to learn about
		// trust, the chain is out of date there: nothing more to learn.
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		// The leaf is in date (checked above), so a chain certificate is not.
		out = append(out, certProblem{CertExpired, "a certificate of the chain is expired or not yet valid (" + invalid.Detail + ")"})
	default:
		out = append(out, certProblem{CertInvalid, "certificate is not valid: " + err.Error()})
	}

	if name != "" {
		if err := leaf.VerifyHostname(name); err != nil {
			out = append(out, certProblem{CertNameMismatch, fmt.Sprintf("certificate is for %s, not %s", certNames(leaf), name)})
		}
	}
	return out
}

// selfSigned reports a leaf that is its own issuer and signed by its own
// key; CheckSignature ignores CA flags, which many such certificates lack.
func selfSigned(c *x509.Certificate) bool {
	return string(c.RawIssuer) == string(c.RawSubject) &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

// certNames lists the names a certificate is for, briefly.
func certNames(c *x509.Certificate) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = []string{c.Subject.CommonName}
	}
	if len(names) == 0 {
		return "no name"
	}
	const show = 3
	if len(names) > show {
		return strings.Join(names[:show], ", ") + fmt.Sprintf(" and %d more", len(names)-show)
	}
	return strings.Join(names, ", ")
}

// NormalizeFingerprint turns "AB:CD:…" or "sha256:abcd…" into the lower
// case hex TLSInfo.SHA256 uses.
func NormalizeFingerprint(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "sha256:")
	s = strings.TrimPrefix(s, "sha256/")
	return strings.NewReplacer(":", "", " ", "", "-", "").Replace(s)
}

func pinned(sum string, pins []string) bool {
	for _, p := range pins {
		if NormalizeFingerprint(p) == sum {
			return true
		}
	}
	return false
}

func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLS1.0"
	case tls.VersionTLS11:
		return "TLS1.1"
	case tls.VersionTLS12:
		return "TLS1.2"
	case tls.VersionTLS13:
		return "TLS1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}
