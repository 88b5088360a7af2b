package discover

import (
	"net"
	"strings"

	"golang.org/x/net/idna"
)

// cleanHost normalises a host name from a document or a DNS record to
// lower-case punycode without a trailing dot, and refuses anything that is
// not a plausible host: leftover placeholders, spaces, ports, URLs.
func cleanHost(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" || len(s) > 253 {
		return "", false
	}
	if ip := net.ParseIP(s); ip != nil {
		return ip.String(), true
	}
	ascii, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return "", false
	}
	ascii = strings.ToLower(ascii)
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 {
			return "", false
		}
	}
	return ascii, true
}

// inDomain reports whether host is domain or one of its subdomains.
func inDomain(host, domain string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	return host == domain || strings.HasSuffix(host, "."+domain)
}
