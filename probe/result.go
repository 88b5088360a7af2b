package probe

import (
	"time"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// Result is what a probe learned about one server.
type Result struct {
	Server mailcfg.Server `json:"server"`
	Status mailcfg.Status `json:"status"`
	// Reason says why the status is what it is, in any language; empty
	// when Status is ok. Error is the same in English.
	Reason l10n.Message `json:"reason,omitzero"`
	Error  string       `json:"error"`
	// Err is the underlying error, for programs.
	Err error `json:"-"`

	Addr  string   `json:"addr,omitempty"`  // ip:port connected to
	Addrs []string `json:"addrs,omitempty"` // every address the host resolved to

	Greeting string `json:"greeting,omitempty"`
	// Capabilities are the ones that govern the login: after TLS when TLS
	// is up, else those of the plain connection.
	Capabilities []string `json:"capabilities,omitempty"`
	// CapabilitiesBeforeTLS are those seen on the plain connection
	// (STARTTLS and unencrypted candidates).
	CapabilitiesBeforeTLS []string `json:"capabilities_before_tls,omitempty"`
	AuthMechanisms        []string `json:"auth_mechanisms,omitempty"`
	SizeLimit             int64    `json:"size_limit,omitempty"` // SMTP SIZE

	StartTLSOffered bool `json:"starttls_offered,omitempty"`
	LoginDisabled   bool `json:"login_disabled,omitempty"` // IMAP LOGINDISABLED after TLS
	APOP            bool `json:"apop,omitempty"`           // POP3 greeting carries an APOP timestamp
	IMAPID          bool `json:"imap_id,omitempty"`        // IMAP ID (RFC 2971) advertised

	TLS     *TLSInfo `json:"tls,omitempty"`
	Timings Timings  `json:"timings"`
}

// Timings are the durations of each phase; zero when not reached.
type Timings struct {
	Resolve      time.Duration `json:"resolve"`
	Connect      time.Duration `json:"connect"`
	TLS          time.Duration `json:"tls"` // handshake, with the STARTTLS command when there is one
	Greeting     time.Duration `json:"greeting"`
	Capabilities time.Duration `json:"capabilities"`
	Login        time.Duration `json:"login,omitempty"` // authentication and what follows (LoginResult only)
	Total        time.Duration `json:"total"`
}

// TLSInfo describes the TLS session and the server's certificate.
type TLSInfo struct {
	Version string `json:"version"` // "TLS1.3"
	Cipher  string `json:"cipher"`
	// Verified is true when the chain and the name check out against the
	// roots, or when the user pinned the certificate.
	Verified bool `json:"verified"`
	// Pinned is true when the leaf's fingerprint is in Options.Trusted.
	Pinned bool `json:"pinned,omitempty"`
	// Problem, Reason and Error say what is wrong with the certificate,
	// even when it is pinned: Reason in any language, Error in English.
	Problem   CertProblem  `json:"problem,omitempty"`
	Reason    l10n.Message `json:"reason,omitzero"`
	Error     string       `json:"error"`
	Subject   string       `json:"subject"`
	Issuer    string       `json:"issuer"`
	DNSNames  []string     `json:"dns_names,omitempty"`
	NotBefore time.Time    `json:"not_before"`
	NotAfter  time.Time    `json:"not_after"`
	SHA256    string       `json:"sha256"`          // of the leaf's DER, hex lower case, no colons
	Chain     []string     `json:"chain,omitempty"` // subjects, leaf first
}

// CertProblem classifies why a certificate failed verification.
type CertProblem string

const (
	CertOK               CertProblem = ""
	CertExpired          CertProblem = "expired"
	CertNotYetValid      CertProblem = "not_yet_valid"
	CertNameMismatch     CertProblem = "name_mismatch"
	CertUnknownAuthority CertProblem = "unknown_authority"
	CertSelfSigned       CertProblem = "self_signed"
	// CertInvalid covers the rest: a bad key usage, a CA constraint, …
	CertInvalid CertProblem = "invalid"
)
