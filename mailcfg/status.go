package mailcfg

// Status is the outcome of probing one candidate; the strings are part of
// the JSON contract in docs/design.md.
type Status string

const (
	StatusOK            Status = "ok"             // usable with TLS
	StatusInsecure      Status = "insecure"       // answers, but no TLS offered
	StatusCertInvalid   Status = "cert_invalid"   // TLS up, certificate fails verification
	StatusTLSError      Status = "tls_error"      // the TLS handshake itself failed
	StatusRefused       Status = "refused"        // connection refused
	StatusTimeout       Status = "timeout"        // no answer within the deadline
	StatusUnresolved    Status = "unresolved"     // the host name does not resolve
	StatusProtocolError Status = "protocol_error" // something answered, but not the expected protocol
	StatusError         Status = "error"          // any other failure
	StatusAbandoned     Status = "abandoned"      // still pending when the answer was returned
	StatusPending       Status = "pending"        // not settled yet (progress only, never in a final report)
)

// Usable reports whether a candidate with this status can carry a login
// (insecure ones only with the user's consent).
func (s Status) Usable() bool { return s == StatusOK || s == StatusInsecure }

// Settled reports whether probing has finished for good.
func (s Status) Settled() bool { return s != StatusPending && s != "" }

// AllStatuses lists every final status, for documentation and tests.
var AllStatuses = []Status{StatusOK, StatusInsecure, StatusCertInvalid, StatusTLSError, StatusRefused,
	StatusTimeout, StatusUnresolved, StatusProtocolError, StatusError, StatusAbandoned}
