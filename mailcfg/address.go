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

// ErrAddress is matched (errors.Is) by every address parsing error.
var ErrAddress = errors.New("not an email address")

// AddressProblem says what is wrong with an address, so that callers can
// explain it in the user's language without parsing the English message.
type AddressProblem string

const (
	AddressEmpty     AddressProblem = "empty"
	AddressEncoding  AddressProblem = "encoding"   // not valid UTF-8
	AddressTooLong   AddressProblem = "too_long"   // over 254 characters, or 64 before the @
	AddressNoAt      AddressProblem = "no_at"      // no @ at all
	AddressNoLocal   AddressProblem = "no_local"   // nothing before the @
	AddressNoDomain  AddressProblem = "no_domain"  // nothing after the @
	AddressCharacter AddressProblem = "character"  // a space, comma, bracket, quote… before the @
	AddressDot       AddressProblem = "dot"        // a dot at the start or end, or two in a row, before the @
	AddressNoDot     AddressProblem = "no_dot"     // a domain without a dot
	AddressIP        AddressProblem = "ip"         // an IP address instead of a domain
	AddressBadDomain AddressProblem = "bad_domain" // a domain that is not a valid (IDN) name
)

// AddressError is the error ParseAddress returns.
type AddressError struct {
	Problem AddressProblem
	Detail  string // in English, for logs and the command line
}

func (e *AddressError) Error() string        { return ErrAddress.Error() + ": " + e.Detail }
func (e *AddressError) Is(target error) bool { return target == ErrAddress }

func addressError(p AddressProblem, format string, args ...any) error {
	return &AddressError{Problem: p, Detail: fmt.Sprintf(format, args...)}
}

// ParseAddress checks and normalises an email address: it trims spaces and a
// mailto: prefix, lower-cases the domain and converts IDN domains to punycode.
func ParseAddress(s string) (Address, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "mailto:")
	if s == "" {
		return Address{}, addressError(AddressEmpty, "empty")
	}
	if !utf8.ValidString(s) {
		return Address{}, addressError(AddressEncoding, "not valid UTF-8 text")
	}
	if len(s) > 254 {
		return Address{}, addressError(AddressTooLong, "longer than 254 characters")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return Address{}, addressError(AddressNoAt, "%q has no @", s)
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	if local == "" {
		return Address{}, addressError(AddressNoLocal, "%q has nothing before the @", s)
	}
	if len(local) > 64 {
		return Address{}, addressError(AddressTooLong, "the part before the @ is longer than 64 characters")
	}
	for _, r := range local {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`"(),:;<>@[\]`, r) {
			return Address{}, addressError(AddressCharacter, "%q contains %q before the @", s, r)
		}
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return Address{}, addressError(AddressDot, "misplaced dot in %q", local)
	}
	if domain == "" {
		return Address{}, addressError(AddressNoDomain, "%q has nothing after the @", s)
	}
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return Address{}, addressError(AddressBadDomain, "bad domain %q: %v", domain, err)
	}
	ascii = strings.ToLower(ascii)
	if _, err := idna.Lookup.ToUnicode(ascii); err != nil {
		return Address{}, addressError(AddressBadDomain, "bad domain %q: %v", domain, err)
	}
	if !strings.Contains(ascii, ".") {
		return Address{}, addressError(AddressNoDot, "domain %q has no dot", domain)
	}
	if net.ParseIP(ascii) != nil {
		return Address{}, addressError(AddressIP, "%q is an IP address, not a domain", domain)
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 {
			return Address{}, addressError(AddressBadDomain, "bad domain %q", domain)
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
