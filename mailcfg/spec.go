package mailcfg

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// SpecProblem says what is wrong with a HOST:PORT or server spec, so that
// each face can explain it in the user's language.
type SpecProblem string

const (
	SpecFormat   SpecProblem = "format"   // not HOST:PORT at all
	SpecHost     SpecProblem = "host"     // no host, or one with spaces, slashes or an @
	SpecPort     SpecProblem = "port"     // not a number from 1 to 65535
	SpecSecurity SpecProblem = "security" // not tls, starttls or none
	SpecProtocol SpecProblem = "protocol" // unknown, or not one the role can use
	// SpecNeedSecurity: a port with no well-known meaning and no security given.
	SpecNeedSecurity SpecProblem = "need_security"
	// SpecNeedProtocol: nothing tells the protocol (no well-known port, none given).
	SpecNeedProtocol SpecProblem = "need_protocol"
)

// SpecError is the error of ParseHostPort and ParseServer.
type SpecError struct {
	Spec    string
	Problem SpecProblem
}

func (e *SpecError) Error() string {
	what := map[SpecProblem]string{
		SpecFormat: "want HOST:PORT", SpecHost: "bad host", SpecPort: "bad port (1–65535)",
		SpecSecurity: "security must be tls, starttls or none", SpecProtocol: "protocol must be pop3, imap or smtp",
		SpecNeedSecurity: "give the security (tls, starttls or none)",
		SpecNeedProtocol: "cannot tell the protocol: give a well-known port or the protocol",
	}[e.Problem]
	return fmt.Sprintf("%q: %s", e.Spec, what)
}

// ParseHostPort accepts "host:port" and "[v6]:port" with a port in 1–65535.
func ParseHostPort(s string) (string, int, error) {
	host, portText, err := net.SplitHostPort(strings.TrimSpace(s))
	if err != nil {
		return "", 0, &SpecError{s, SpecFormat}
	}
	if !plausibleHost(host) {
		return "", 0, &SpecError{s, SpecHost}
	}
	port, ok := parsePort(portText)
	if !ok {
		return "", 0, &SpecError{s, SpecPort}
	}
	return host, port, nil
}

// ServerHint is what is known of a server besides its spec: the role it
// plays, and a protocol and security chosen apart (flags, a form). Zero
// fields are unknown.
type ServerHint struct {
	Role     Role
	Protocol Protocol
	Security Security
	// RequireSecurity refuses a port of no well-known meaning without a
	// security: an export must not guess it. Otherwise implicit TLS is assumed.
	RequireSecurity bool
	Username        string
}

// ParseServer reads "HOST", "HOST:PORT" or "HOST:PORT:SECURITY" (IPv6 in
// brackets). What the spec leaves out comes from the hint, then from the
// port's well-known meaning (993 is IMAP over TLS), then from the
// protocol's standard ports.
func ParseServer(spec string, h ServerHint) (Server, error) {
	hostPart, portText, secText, err := splitSpec(strings.TrimSpace(spec))
	if err != nil {
		return Server{}, &SpecError{spec, SpecFormat}
	}
	host := strings.TrimSuffix(hostPart, ".")
	if !plausibleHost(host) {
		return Server{}, &SpecError{spec, SpecHost}
	}
	srv := Server{Host: host, Protocol: h.Protocol, Security: h.Security, Username: h.Username}
	if secText != "" {
		if srv.Security, err = ParseSecurity(secText); err != nil {
			return srv, &SpecError{spec, SpecSecurity}
		}
	}
	if h.Role == Outgoing {
		srv.Protocol = SMTP
	}
	if srv.Protocol != "" && !srv.Protocol.Valid() || h.Role != "" && srv.Protocol != "" && srv.Protocol.Role() != h.Role {
		return srv, &SpecError{spec, SpecProtocol}
	}
	if portText != "" {
		port, ok := parsePort(portText)
		if !ok {
			return srv, &SpecError{spec, SpecPort}
		}
		srv.Port = port
		if p, sec, known := InferFromPort(port); known && (h.Role == "" || p.Role() == h.Role) {
			if h.Role == Incoming || srv.Protocol == "" {
				srv.Protocol = p // the port says which: 993 is IMAP even if POP3 was the preference
			}
			if srv.Security == "" && srv.Protocol == p {
				srv.Security = sec
			}
		}
	}
	if srv.Protocol == "" {
		if h.Role != Incoming {
			return srv, &SpecError{spec, SpecNeedProtocol}
		}
		srv.Protocol = POP3
	}
	if srv.Port == 0 {
		eps := StandardEndpoints(srv.Protocol)
		srv.Port = eps[0].Port
		for _, ep := range eps {
			if srv.Security == "" || ep.Security == srv.Security {
				srv.Port, srv.Security = ep.Port, ep.Security
				break
			}
		}
	}
	if srv.Security == "" {
		if h.RequireSecurity {
			return srv, &SpecError{spec, SpecNeedSecurity}
		}
		srv.Security = TLS
	}
	return srv, srv.Validate()
}

// splitSpec cuts HOST[:PORT[:SECURITY]], with an IPv6 host in brackets.
func splitSpec(s string) (host, port, security string, err error) {
	rest := s
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", "", fmt.Errorf("unclosed bracket")
		}
		host, rest = s[1:end], s[end+1:]
		if rest != "" && rest[0] != ':' {
			return "", "", "", fmt.Errorf("junk after the bracket")
		}
		rest = strings.TrimPrefix(rest, ":")
	} else {
		var found bool
		host, rest, found = strings.Cut(s, ":")
		if !found {
			return host, "", "", nil
		}
	}
	port, security, _ = strings.Cut(rest, ":")
	if strings.Contains(security, ":") {
		return "", "", "", fmt.Errorf("too many colons")
	}
	return host, port, security, nil
}

func parsePort(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n >= 1 && n <= 65535
}

// plausibleHost rejects what cannot be a host name or address: nothing,
// spaces, slashes, an @ (an email address typed in the wrong field).
func plausibleHost(h string) bool {
	return h != "" && len(h) <= 253 && !strings.ContainsAny(h, " \t/\\@")
}

// NormalizeFingerprint turns "AB:CD:…", "ab cd …", "sha256:abcd…" or
// "sha256/abcd…" into the lower-case hex without separators that
// certificates are compared in.
func NormalizeFingerprint(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, prefix := range []string{"sha256:", "sha256/", "sha-256:"} {
		s = strings.TrimPrefix(s, prefix)
	}
	return strings.NewReplacer(":", "", " ", "", "-", "").Replace(s)
}

// ValidFingerprint reports whether s is a SHA-256 fingerprint (64 hex
// digits, in any of the spellings NormalizeFingerprint accepts).
func ValidFingerprint(s string) bool {
	n := NormalizeFingerprint(s)
	if len(n) != 64 {
		return false
	}
	for _, r := range n {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// Pins are the certificate fingerprints the user accepted.
type Pins []string

// Has reports whether the fingerprint is pinned.
func (p Pins) Has(fingerprint string) bool {
	want := NormalizeFingerprint(fingerprint)
	if want == "" {
		return false
	}
	for _, f := range p {
		if NormalizeFingerprint(f) == want {
			return true
		}
	}
	return false
}
