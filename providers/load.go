package providers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"mailsetup/mailcfg"
)

// schemaVersion is the only data-file layout Load understands.
const schemaVersion = 1

// maxProblems caps how many problems one Load reports, so a badly broken
// file (or a fuzzer's input) cannot produce an unbounded error.
const maxProblems = 50

// file is the layout of providers.json.
type file struct {
	Schema       int            `json:"schema"`
	OAuthIssuers []*OAuthIssuer `json:"oauth_issuers,omitempty"`
	Providers    []*Provider    `json:"providers"`
}

// DataError is one problem found in a provider table.
type DataError struct {
	Entry   string // provider ID, "#N" (1-based) when the entry has no usable ID; empty for the whole file
	Field   string // JSON field, e.g. "incoming[0].port"; empty for the whole entry
	Problem string
}

func (e *DataError) Error() string {
	var b strings.Builder
	b.WriteString("providers")
	if e.Entry != "" {
		b.WriteString(": entry " + e.Entry)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Problem)
	return b.String()
}

// Load parses a provider table and checks it thoroughly: every problem it
// finds is a *DataError, all of them joined (errors.As finds the first).
func Load(data []byte) ([]*Provider, error) {
	t, err := newTable(data)
	if err != nil {
		return nil, err
	}
	return t.all, nil
}

// decode parses the JSON strictly: unknown fields and trailing data are errors.
func decode(data []byte) (*file, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, &DataError{Problem: "bad JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &DataError{Problem: "bad JSON: data after the top-level object"}
	}
	if f.Schema != schemaVersion {
		return nil, &DataError{Field: "schema", Problem: fmt.Sprintf("is %d, want %d", f.Schema, schemaVersion)}
	}
	if len(f.Providers) == 0 {
		return nil, &DataError{Field: "providers", Problem: "no providers"}
	}
	return &f, nil
}

// checker collects problems while the table is validated and indexed.
type checker struct {
	problems []error
	entry    string
}

func (c *checker) add(field, format string, args ...any) {
	if len(c.problems) >= maxProblems {
		return
	}
	c.problems = append(c.problems, &DataError{Entry: c.entry, Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (c *checker) err() error { return errors.Join(c.problems...) }

// checkProvider validates one entry on its own; cross-entry rules
// (duplicates) are checked while indexing, in table.go.
func (c *checker) checkProvider(p *Provider) {
	if !validID(p.ID) {
		c.add("id", "%q is not a lower-case ID of letters, digits and '-'", p.ID)
	}
	c.checkTexts("name", p.Name, true)
	c.checkTexts("notes", p.Notes, false)

	for i, d := range p.Domains {
		if !validHostname(d) {
			c.add(fmt.Sprintf("domains[%d]", i), "%q is not a lower-case ASCII domain with a dot", d)
		}
	}
	for i, m := range p.MX {
		if !validMXPattern(m) {
			c.add(fmt.Sprintf("mx[%d]", i), "%q is neither a host nor \"*.\" followed by a domain of two labels or more", m)
		}
	}
	if p.Hosted && len(p.MX) == 0 {
		c.add("mx", "a hosted provider needs MX patterns, the only way to find it")
	}
	if !p.Hosted && len(p.Domains) == 0 {
		c.add("domains", "a provider that is not hosted needs at least one domain")
	}

	switch p.Username {
	case "address", "localpart":
	default:
		c.add("username", "is %q, want \"address\" or \"localpart\"", p.Username)
	}
	for i, a := range p.Auth {
		if !knownAuth(a) {
			c.add(fmt.Sprintf("auth[%d]", i), "unknown requirement %q", a)
		}
	}
	if len(p.Auth) > 0 && len(p.Notes) == 0 {
		c.add("notes", "login requirements %v need a note that tells the user what to do", p.Auth)
	}

	c.checkServers("incoming", p.Incoming, p)
	c.checkServers("outgoing", p.Outgoing, p)
	switch p.Service {
	case "":
		if len(p.Incoming) == 0 {
			c.add("incoming", "no incoming server")
		}
		if len(p.Outgoing) == 0 {
			c.add("outgoing", "no outgoing server")
		}
	case ServiceClosed, ServiceNoClientAccess:
		if len(p.Incoming)+len(p.Outgoing) > 0 {
			c.add("service", "%q but servers are listed", p.Service)
		}
		if len(p.Notes) == 0 {
			c.add("notes", "service %q needs a note that explains it", p.Service)
		}
	default:
		c.add("service", "unknown value %q", p.Service)
	}

	for i, s := range p.Stale {
		f := fmt.Sprintf("stale[%d]", i)
		if !validHostname(s.Host) {
			c.add(f+".host", "%q is not a lower-case host name", s.Host)
		}
		if strings.TrimSpace(s.Reason) == "" {
			c.add(f+".reason", "empty: say why the host is stale")
		}
	}

	if p.HelpURL != "" {
		if u, err := url.Parse(p.HelpURL); err != nil || u.Scheme != "https" || u.Host == "" {
			c.add("help_url", "%q is not an https URL", p.HelpURL)
		}
	}
	if strings.TrimSpace(p.Source) == "" {
		c.add("source", "empty: say where the facts come from")
	}
	if !validMonth(p.Checked) {
		c.add("checked", "%q is not a YYYY-MM month", p.Checked)
	}
}

// checkTexts requires a non-empty text in every language and nothing else.
func (c *checker) checkTexts(field string, texts map[string]string, required bool) {
	if len(texts) == 0 && !required {
		return
	}
	for _, lang := range Languages {
		if strings.TrimSpace(texts[lang]) == "" {
			c.add(field+"."+lang, "empty")
		}
	}
	for lang := range texts {
		if !knownLanguage(lang) {
			c.add(field+"."+lang, "unknown language (want one of %v)", Languages)
		}
	}
}

func (c *checker) checkServers(field string, list []Server, p *Provider) {
	seen := make(map[Server]bool)
	for i, s := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		if seen[s] {
			c.add(f, "duplicate server %s:%d", s.Host, s.Port)
		}
		seen[s] = true
		switch {
		case !s.Protocol.Valid():
			c.add(f+".protocol", "unknown protocol %q", s.Protocol)
		case field == "incoming" && s.Protocol == mailcfg.SMTP:
			c.add(f+".protocol", "smtp is not an incoming protocol")
		case field == "outgoing" && s.Protocol != mailcfg.SMTP:
			c.add(f+".protocol", "%s is not an outgoing protocol", s.Protocol)
		}
		if !s.Security.Valid() {
			c.add(f+".security", "unknown security %q", s.Security)
		}
		switch s.Username {
		case "", "address", "localpart":
		default:
			c.add(f+".username", "is %q, want \"address\", \"localpart\" or nothing", s.Username)
		}
		if s.Port < 1 || s.Port > 65535 {
			c.add(f+".port", "%d is out of range", s.Port)
		} else if msg := portMismatch(s); msg != "" {
			c.add(f, "%s", msg)
		}
		loopback := isLoopback(s.Host)
		switch {
		case loopback && !p.HasAuth(AuthBridgeOnly):
			c.add(f+".host", "%q is a local address, allowed only for bridge_only providers", s.Host)
		case !loopback && p.HasAuth(AuthBridgeOnly):
			c.add(f+".host", "%q: a bridge_only provider is reached on the local machine only", s.Host)
		case !loopback && !validHostname(s.Host):
			c.add(f+".host", "%q is not a lower-case host name", s.Host)
		}
	}
}

// portMismatch rejects the pairings no real server uses: a well-known port
// with the other protocol, implicit TLS on a plain port, or plain on a TLS port.
func portMismatch(s Server) string {
	type rule struct {
		proto mailcfg.Protocol
		tls   bool // implicit TLS from the first byte
	}
	rules := map[int]rule{
		110: {mailcfg.POP3, false}, 995: {mailcfg.POP3, true},
		143: {mailcfg.IMAP, false}, 993: {mailcfg.IMAP, true},
		25: {mailcfg.SMTP, false}, 587: {mailcfg.SMTP, false}, 2525: {mailcfg.SMTP, false},
		465: {mailcfg.SMTP, true}, 994: {mailcfg.SMTP, true},
	}
	r, ok := rules[s.Port]
	if !ok || !s.Protocol.Valid() || !s.Security.Valid() {
		return ""
	}
	if s.Protocol != r.proto {
		return fmt.Sprintf("port %d belongs to %s, not %s", s.Port, r.proto, s.Protocol)
	}
	if r.tls && s.Security != mailcfg.TLS {
		return fmt.Sprintf("port %d speaks implicit TLS, not %s", s.Port, s.Security)
	}
	if !r.tls && s.Security == mailcfg.TLS {
		return fmt.Sprintf("port %d starts in plain text: use starttls (or none), not tls", s.Port)
	}
	return ""
}

func knownAuth(a string) bool {
	switch a {
	case AuthCode, AuthAppPassword, AuthOAuth2Only, AuthEnable, AuthIMAPID, AuthBridgeOnly:
		return true
	}
	return false
}

func knownLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

func validID(id string) bool {
	if id == "" || len(id) > 64 || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validHostname accepts a lower-case ASCII (punycode) name of two labels or
// more, without a trailing dot. Lookups normalise their input to this form.
func validHostname(h string) bool {
	if len(h) == 0 || len(h) > 253 || net.ParseIP(h) != nil {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validMXPattern accepts an exact host or "*." and a suffix of two labels or
// more, so no pattern can swallow a whole top-level domain.
func validMXPattern(m string) bool {
	if suffix, ok := strings.CutPrefix(m, "*."); ok {
		return validHostname(suffix)
	}
	return validHostname(m)
}

func isLoopback(h string) bool {
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func validMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	month := (s[5]-'0')*10 + s[6] - '0'
	return month >= 1 && month <= 12 && s[:4] >= "2000"
}
