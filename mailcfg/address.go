package mailcfg

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Address is a parsed, normalised email address.
type Address struct {
	Local  string // the part before @, as typed
	Domain string // the domain in Unicode, lower case (for display)
	ASCII  string // the domain in punycode, lower case (for DNS and HTTP)
}

// String is the address as the user should see it (Unicode domain).
func (a Address) String() string { return a.Local + "@" + a.Domain }

// ASCIIString is the address with a punycode domain, for protocols.
func (a Address) ASCIIString() string { return a.Local + "@" + a.ASCII }

// ErrAddress is wrapped by every address parsing error.
var ErrAddress = errors.New("not an email address")

// ParseAddress checks and normalises an email address: it trims spaces and a
// mailto: prefix, lower-cases the domain and converts IDN domains to punycode.
func ParseAddress(s string) (Address, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "mailto:")
	if s == "" {
		return Address{}, fmt.Errorf("%w: empty", ErrAddress)
	}
	if !utf8.ValidString(s) {
		return Address{}, fmt.Errorf("%w: not valid UTF-8 text", ErrAddress)
	}
	if len(s) > 254 {
		return Address{}, fmt.Errorf("%w: longer than 254 characters", ErrAddress)
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return Address{}, fmt.Errorf("%w: %q has no @", ErrAddress, s)
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	if local == "" {
		return Address{}, fmt.Errorf("%w: %q has nothing before the @", ErrAddress, s)
	}
	if len(local) > 64 {
		return Address{}, fmt.Errorf("%w: the part before the @ is longer than 64 characters", ErrAddress)
	}
	for _, r := range local {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`"(),:;<>@[\]`, r) {
			return Address{}, fmt.Errorf("%w: %q contains %q before the @", ErrAddress, s, r)
		}
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return Address{}, fmt.Errorf("%w: misplaced dot in %q", ErrAddress, local)
	}
	if domain == "" {
		return Address{}, fmt.Errorf("%w: %q has nothing after the @", ErrAddress, s)
	}
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return Address{}, fmt.Errorf("%w: bad domain %q: %v", ErrAddress, domain, err)
	}
	ascii = strings.ToLower(ascii)
	if _, err := idna.Lookup.ToUnicode(ascii); err != nil {
		return Address{}, fmt.Errorf("%w: bad domain %q: %v", ErrAddress, domain, err)
	}
	if !strings.Contains(ascii, ".") {
		return Address{}, fmt.Errorf("%w: domain %q has no dot", ErrAddress, domain)
	}
	if net.ParseIP(ascii) != nil {
		return Address{}, fmt.Errorf("%w: %q is an IP address, not a domain", ErrAddress, domain)
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 {
			return Address{}, fmt.Errorf("%w: bad domain %q", ErrAddress, domain)
		}
	}
	unicode, err := idna.Display.ToUnicode(ascii)
	if err != nil {
		unicode = ascii
	}
	return Address{Local: local, Domain: unicode, ASCII: ascii}, nil
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func joinHostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }
