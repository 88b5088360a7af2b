package hints

import "mailsetup/mailcfg"

// Severities of a Hint.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Stages of a probe or login at which a failure can happen (Facts.Stage).
const (
	StageDNS          = "dns"
	StageConnect      = "connect"
	StageTLS          = "tls"
	StageGreeting     = "greeting"
	StageCapabilities = "capabilities"
	StageSTARTTLS     = "starttls"
	StageLogin        = "login"
	StageSend         = "send"
	StageDiscover     = "discover"
)

// Certificate problems (Facts.CertProblem).
const (
	CertExpired          = "expired"
	CertNotYetValid      = "not_yet_valid"
	CertNameMismatch     = "name_mismatch"
	CertUnknownAuthority = "unknown_authority"
	CertSelfSigned       = "self_signed"
)

// DNS failures (Facts.DNSError).
const (
	DNSNXDomain = "nxdomain"
	DNSServFail = "servfail"
	DNSRefused  = "refused"
	DNSTimeout  = "timeout"
)

// Facts is everything known about one failure. Every field is optional;
// the more are filled, the more specific the hints.
type Facts struct {
	Stage    string         // one of the Stage* constants
	Status   mailcfg.Status // probe status, if any
	Protocol mailcfg.Protocol
	Host     string
	Port     int
	Security mailcfg.Security
	// ProviderID is the built-in provider's id when known ("qq", "gmail", ...).
	ProviderID string
	// Reply is the server's reply text, e.g. "535 Login Fail. ..." or
	// "NO [AUTHENTICATIONFAILED] Invalid credentials".
	Reply string
	// Code is the SMTP enhanced status ("5.7.139"), IMAP response code
	// ("AUTHENTICATIONFAILED") or POP3 RESP-CODE ("IN-USE"), if parsed.
	Code string
	// CertProblem is one of the Cert* constants.
	CertProblem string
	// Certificate facts to put into the text.
	CertSubject, CertIssuer, CertNotAfter, CertNames, CertSHA256 string
	// DNSError is one of the DNS* constants.
	DNSError string
	// AuthFailed is set when the server rejected the credentials.
	AuthFailed bool
	// Delayed is set when the server took seconds to refuse the login: it
	// slows down repeated failures.
	Delayed bool
	// Mechanisms are the SASL mechanisms the server offered (a password
	// refused where only OAuth2 mechanisms are offered names OAuth2).
	Mechanisms []string
	// Error is the raw error text, matched when nothing better is known.
	Error string
	// StaleHost is a host the user typed that the provider table marks
	// stale, and StaleReason why.
	StaleHost   string
	StaleReason string
}

// Hint is one piece of advice, ready to show.
type Hint struct {
	ID       string `json:"id"`
	Severity string `json:"severity"` // error, warning or info
	Text     string `json:"text"`     // cause and next step, facts filled in
	URL      string `json:"url,omitempty"`
}

// Entry is one catalogue entry: a hint class with its text in every language.
type Entry struct {
	ID       string            `json:"id"`
	Severity string            `json:"severity"`
	URL      string            `json:"url,omitempty"`
	Text     map[string]string `json:"text"` // language → text with placeholders
}
