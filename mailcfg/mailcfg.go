// Package mailcfg holds the vocabulary every other package shares: roles,
// protocols, security modes, statuses, servers and parsed addresses. It is a
// leaf: it imports nothing of the project, so the engine, the exporters and
// the window can all speak of a "server" the same way.
package mailcfg

import (
	"fmt"
	"strconv"
)

// Role is which way mail flows through a server.
type Role string

const (
	Incoming Role = "incoming"
	Outgoing Role = "outgoing"
)

// Protocol is the mail protocol a server speaks.
type Protocol string

const (
	POP3 Protocol = "pop3"
	IMAP Protocol = "imap"
	SMTP Protocol = "smtp"
)

// Role tells whether the protocol fetches or sends mail.
func (p Protocol) Role() Role {
	if p == SMTP {
		return Outgoing
	}
	return Incoming
}

// Valid reports whether p is one of the three known protocols.
func (p Protocol) Valid() bool { return p == POP3 || p == IMAP || p == SMTP }

// ParseProtocol accepts pop3, pop, imap and smtp (any case).
func ParseProtocol(s string) (Protocol, error) {
	switch lower(s) {
	case "pop3", "pop":
		return POP3, nil
	case "imap", "imap4":
		return IMAP, nil
	case "smtp", "submission":
		return SMTP, nil
	}
	return "", fmt.Errorf("unknown protocol %q (want pop3, imap or smtp)", s)
}

// Security is how a connection is protected.
type Security string

const (
	TLS      Security = "tls"      // implicit TLS from the first byte
	STARTTLS Security = "starttls" // plain connect, then upgrade (STLS for POP3)
	None     Security = "none"     // no encryption at all
)

// Valid reports whether s is one of the three known modes.
func (s Security) Valid() bool { return s == TLS || s == STARTTLS || s == None }

// ParseSecurity accepts tls/ssl, starttls/stls and none/plain (any case).
func ParseSecurity(s string) (Security, error) {
	switch lower(s) {
	case "tls", "ssl", "implicit":
		return TLS, nil
	case "starttls", "stls":
		return STARTTLS, nil
	case "none", "plain", "plaintext":
		return None, nil
	}
	return "", fmt.Errorf("unknown security %q (want tls, starttls or none)", s)
}

// Rank orders security modes: higher is better.
func (s Security) Rank() int {
	switch s {
	case TLS:
		return 2
	case STARTTLS:
		return 1
	}
	return 0
}

// Endpoint is one port of a protocol with the security it is normally used with.
type Endpoint struct {
	Port     int
	Security Security
}

// StandardEndpoints lists the ports each protocol is offered on, best first.
// Outgoing: 465 (RFC 8314 implicit TLS) > 587 (submission) > 25.
func StandardEndpoints(p Protocol) []Endpoint {
	switch p {
	case POP3:
		return []Endpoint{{995, TLS}, {110, STARTTLS}}
	case IMAP:
		return []Endpoint{{993, TLS}, {143, STARTTLS}}
	case SMTP:
		return []Endpoint{{465, TLS}, {587, STARTTLS}, {25, STARTTLS}}
	}
	return nil
}

// InferFromPort guesses protocol and security from a well-known port number.
func InferFromPort(port int) (Protocol, Security, bool) {
	switch port {
	case 995:
		return POP3, TLS, true
	case 110:
		return POP3, STARTTLS, true
	case 993:
		return IMAP, TLS, true
	case 143:
		return IMAP, STARTTLS, true
	case 465, 994:
		return SMTP, TLS, true
	case 587, 25, 2525:
		return SMTP, STARTTLS, true
	}
	return "", "", false
}

// PortRank orders outgoing ports for ranking: 465 > 587 > 25 > anything else.
func PortRank(p Protocol, port int) int {
	if p != SMTP {
		return 0
	}
	switch port {
	case 465:
		return 3
	case 587:
		return 2
	case 25:
		return 1
	}
	return 0
}

// Server is one mail server as a client would be configured for it.
type Server struct {
	Protocol Protocol `json:"protocol"`
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	Username string   `json:"username"`
}

// Role is derived from the protocol.
func (s Server) Role() Role { return s.Protocol.Role() }

// HostPort is "host:port", bracketing IPv6 literals.
func (s Server) HostPort() string { return joinHostPort(s.Host, s.Port) }

// Key identifies a server independently of the username, for deduplication.
func (s Server) Key() string {
	return string(s.Protocol) + "://" + lower(s.Host) + ":" + strconv.Itoa(s.Port) + "/" + string(s.Security)
}

func (s Server) String() string {
	return fmt.Sprintf("%s %s (%s)", s.Protocol, s.HostPort(), s.Security)
}

// Validate checks that a server is complete and self-consistent.
func (s Server) Validate() error {
	if !s.Protocol.Valid() {
		return fmt.Errorf("unknown protocol %q", s.Protocol)
	}
	if s.Host == "" {
		return fmt.Errorf("%s server has no host", s.Protocol)
	}
	if s.Port < 1 || s.Port > 65535 {
		return fmt.Errorf("%s server %s: port %d out of range", s.Protocol, s.Host, s.Port)
	}
	if !s.Security.Valid() {
		return fmt.Errorf("%s server %s: unknown security %q", s.Protocol, s.Host, s.Security)
	}
	return nil
}
