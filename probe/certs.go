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

	"mailsetup/l10n"
	"mailsetup/mailcfg"
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
		info.Problem, info.Reason = CertInvalid, l10n.M("cert.none")
		info.Error = info.Reason.String()
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
		reasons := make([]l10n.Message, len(problems))
		for i, p := range problems {
			reasons[i] = p.reason
		}
		info.Reason = l10n.List(reasons...)
		info.Error = info.Reason.String()
	}
	info.Pinned = mailcfg.Pins(pins).Has(info.SHA256)
	info.Verified = len(problems) == 0 || info.Pinned
	return info
}

type certProblem struct {
	kind   CertProblem
	reason l10n.Message
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
		out = append(out, certProblem{CertExpired, l10n.M("cert.expired", "date", day(leaf.NotAfter))})
		when = leaf.NotAfter.Add(-time.Second)
	case now.Before(leaf.NotBefore):
		out = append(out, certProblem{CertNotYetValid, l10n.M("cert.not_yet_valid", "date", day(leaf.NotBefore))})
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
		out = append(out, certProblem{CertSelfSigned, l10n.M("cert.self_signed")})
	case errors.As(err, &unknown):
		out = append(out, certProblem{CertUnknownAuthority, l10n.M("cert.unknown_authority", "issuer", issuerName(leaf))})
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && !when.Equal(now):
		// Checked at a time inside the leaf's validity to learn about
		// trust, the chain is out of date there: nothing more to learn.
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		// The leaf is in date (checked above), so a chain certificate is not.
		out = append(out, certProblem{CertExpired, l10n.M("cert.chain_dates", "detail", invalid.Detail)})
	default:
		out = append(out, certProblem{CertInvalid, l10n.M("cert.invalid", "detail", err.Error())})
	}

	if name != "" {
		if err := leaf.VerifyHostname(name); err != nil {
			out = append(out, certProblem{CertNameMismatch, l10n.M("cert.name_mismatch", "names", certNames(leaf), "host", name)})
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
		return strings.Join(names[:show], ", ") + fmt.Sprintf(", … (+%d)", len(names)-show)
	}
	return strings.Join(names, ", ")
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
