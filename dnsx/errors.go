package dnsx

import (
	"errors"
	"fmt"

	"github.com/miekg/dns"

	"mailsetup/l10n"
)

// Kind says what went wrong with a lookup, in terms a caller can act on.
type Kind int

const (
	// NXDomain: the name does not exist.
	NXDomain Kind = iota + 1
	// NoData: the name exists but has no records of the asked type.
	NoData
	// ServFail: the server could not produce an answer (often DNSSEC or an
	// unreachable authority).
	ServFail
	// Refused: the server will not answer us (not our resolver, ACL).
	Refused
	// Timeout: no server answered in time.
	Timeout
	// Network: a server could not be reached (port closed, no route).
	Network
	// Malformed: an answer could not be parsed or did not match the question.
	Malformed
	// CNAMELoop: a CNAME chain loops or is longer than MaxCNAMEHops.
	CNAMELoop
	// ServiceNotOffered: the domain says explicitly that it offers no such
	// service: an SRV target "." (RFC 2782) or a null MX (RFC 7505).
	ServiceNotOffered
	// Canceled: the caller's context was canceled.
	Canceled
	// BadName: the name asked for is not a valid domain name.
	BadName
	// OtherRcode: the server answered with another error code (FORMERR,
	// NOTIMP, …); Error.Rcode holds it.
	OtherRcode
)

var kindNames = map[Kind]string{
	NXDomain:          "nxdomain",
	NoData:            "nodata",
	ServFail:          "servfail",
	Refused:           "refused",
	Timeout:           "timeout",
	Network:           "network",
	Malformed:         "malformed",
	CNAMELoop:         "cname_loop",
	ServiceNotOffered: "service_not_offered",
	Canceled:          "canceled",
	BadName:           "bad_name",
	OtherRcode:        "rcode",
}

// String returns a short stable identifier, suitable for logs and JSON.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error describes a failed lookup. Name is the name the caller asked for,
// Qtype its record type ("A", "SRV", …), Server the server that gave the
// final word ("" when none did).
type Error struct {
	Name   string
	Qtype  string
	Server string
	Kind   Kind
	Rcode  int // the DNS response code, for kinds that come from one
	Err    error
}

// Sentinels for errors.Is: errors.Is(err, dnsx.ErrNXDomain) holds for any
// *Error of that Kind.
var (
	ErrNXDomain          = &Error{Kind: NXDomain, Rcode: dns.RcodeNameError}
	ErrNoData            = &Error{Kind: NoData}
	ErrServFail          = &Error{Kind: ServFail, Rcode: dns.RcodeServerFailure}
	ErrRefused           = &Error{Kind: Refused, Rcode: dns.RcodeRefused}
	ErrTimeout           = &Error{Kind: Timeout}
	ErrNetwork           = &Error{Kind: Network}
	ErrMalformed         = &Error{Kind: Malformed}
	ErrCNAMELoop         = &Error{Kind: CNAMELoop}
	ErrServiceNotOffered = &Error{Kind: ServiceNotOffered}
	ErrCanceled          = &Error{Kind: Canceled}
	ErrBadName           = &Error{Kind: BadName}
)

func sentinel(k Kind) *Error {
	switch k {
	case NXDomain:
		return ErrNXDomain
	case NoData:
		return ErrNoData
	case ServFail:
		return ErrServFail
	case Refused:
		return ErrRefused
	case Timeout:
		return ErrTimeout
	case Network:
		return ErrNetwork
	case Malformed:
		return ErrMalformed
	case CNAMELoop:
		return ErrCNAMELoop
	case ServiceNotOffered:
		return ErrServiceNotOffered
	case Canceled:
		return ErrCanceled
	case BadName:
		return ErrBadName
	}
	return nil
}

// Is makes errors.Is match the sentinel of e's Kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t == sentinel(e.Kind)
}

// Unwrap returns the underlying cause, if any (a net error, a context error).
func (e *Error) Unwrap() error { return e.Err }

// Timeout reports whether the lookup timed out, as net.Error does.
func (e *Error) Timeout() bool { return e.Kind == Timeout }

// Error returns a plain-English sentence, e.g.
// "example.test: no such domain (NXDOMAIN) from 127.0.0.1:5353".
func (e *Error) Error() string { return e.Message().String() }

// Message is the sentence to show the user, in any language.
func (e *Error) Message() l10n.Message {
	var m l10n.Message
	if e.Server != "" {
		m = l10n.M("dns.failed").With("from", l10n.M("dns.from", "server", e.Server))
	} else {
		m = l10n.M("dns.failed")
	}
	switch e.Kind {
	case NXDomain:
		m.Code = "dns.nxdomain"
	case NoData:
		m.Code = "dns.nodata"
		if e.Qtype != "" {
			m.Code, m.Args = "dns.nodata_type", map[string]string{"qtype": e.Qtype}
		}
	case ServFail:
		m.Code = "dns.servfail"
	case Refused:
		m.Code = "dns.refused"
	case Timeout:
		m.Code = "dns.timeout"
		if errors.Is(e.Err, ErrNotAnswering) {
			m = l10n.M("dns.not_answering", "server", e.Server)
		}
	case Network:
		m = l10n.M("dns.network")
		if e.Server != "" {
			m = l10n.M("dns.network_server", "server", e.Server)
		}
	case Malformed:
		m.Code = "dns.malformed"
	case CNAMELoop:
		m = l10n.M("dns.cname_loop")
	case ServiceNotOffered:
		m = l10n.M("dns.service_not_offered")
	case Canceled:
		m = l10n.M("dns.canceled")
	case BadName:
		m = l10n.M("dns.bad_name", "name", e.Name)
	case OtherRcode:
		m.Code, m.Args = "dns.rcode", map[string]string{"rcode": rcodeName(e.Rcode)}
	}
	// The cause adds facts only for these kinds; for the others it would
	// repeat the sentence in Go's terms ("i/o timeout").
	if e.Err != nil && (e.Kind == Network || e.Kind == Malformed || e.Kind == CNAMELoop || e.Kind == BadName) {
		m = m.With("detail", l10n.M("dns.detail", "text", e.Err.Error()))
	}
	if e.Name != "" && e.Kind != BadName {
		m = l10n.M("dns.for_name", "name", e.Name).With("what", m)
	}
	return m
}

func rcodeName(rcode int) string {
	if s, ok := dns.RcodeToString[rcode]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rcode)
}

func qtypeName(qtype uint16) string {
	if s, ok := dns.TypeToString[qtype]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", qtype)
}

// IsNotFound reports whether err says the name or its records do not exist
// (NXDOMAIN or no data), as opposed to the lookup having failed.
func IsNotFound(err error) bool {
	return errors.Is(err, ErrNXDomain) || errors.Is(err, ErrNoData)
}
