package assistant

import (
	"strings"
	"time"

	"mailsetup/discover"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// Report is the answer to a discover or check; its JSON form is the
// contract of DESIGN.md.
type Report struct {
	Email       string       `json:"email"`
	Provider    *ProviderRef `json:"provider"`
	Recommended Recommended  `json:"recommended"`
	Candidates  []Candidate  `json:"candidates"`
	Hints       []string     `json:"hints"`
	Login       *LoginReport `json:"login,omitempty"`
	// Extensions beyond DESIGN.md.
	Insecure  bool      `json:"insecure"`       // a recommendation carries no encryption
	Notes     []Hint    `json:"notes"`          // provider notes and hints with ids and links
	ElapsedMS int64     `json:"elapsed_ms"`     // wall time of the discovery
	Sources   []Source  `json:"sources"`        // how each source fared
	Send      *SendTest `json:"send,omitempty"` // --send-test outcome

	address  mailcfg.Address
	provider string // provider id, "" when unknown
}

// ProviderRef names the provider of the address.
type ProviderRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Recommended holds the best server per role; nil when none is usable.
type Recommended struct {
	Incoming *mailcfg.Server `json:"incoming"`
	Outgoing *mailcfg.Server `json:"outgoing"`
}

// Candidate is one probed server with everything learnt about it.
type Candidate struct {
	Role           mailcfg.Role          `json:"role"`
	Protocol       mailcfg.Protocol      `json:"protocol"`
	Host           string                `json:"host"`
	Port           int                   `json:"port"`
	Security       mailcfg.Security      `json:"security"`
	Sources        []discover.SourceName `json:"sources"`
	Status         mailcfg.Status        `json:"status"`
	Error          string                `json:"error"`
	TLS            TLSFacts              `json:"tls"`
	Capabilities   []string              `json:"capabilities"`
	AuthMechanisms []string              `json:"auth_mechanisms"`
	ElapsedMS      int64                 `json:"elapsed_ms"`
	// Extensions beyond DESIGN.md.
	Username string `json:"username"`
	Trusted  bool   `json:"trusted"`       // false: found over plain HTTP or an out-of-domain SRV
	Why      string `json:"why,omitempty"` // why it is untrusted
	Address  string `json:"address,omitempty"`

	// Routes says how sources reached the candidate (Autodiscover: which
	// of its four routes, the document's URL and every redirect).
	Routes []discover.Route `json:"routes,omitempty"`

	result *probe.Result
}

// TLSFacts are the certificate and session facts of a candidate.
type TLSFacts struct {
	Version  string   `json:"version"`
	Cipher   string   `json:"cipher,omitempty"`
	Verified bool     `json:"verified"`
	Pinned   bool     `json:"pinned,omitempty"`
	Error    string   `json:"error"`
	Problem  string   `json:"problem,omitempty"`
	Subject  string   `json:"subject"`
	Issuer   string   `json:"issuer"`
	Names    []string `json:"names,omitempty"`
	NotAfter string   `json:"not_after"`
	SHA256   string   `json:"sha256"`
}

// Server returns the candidate as client settings.
func (c *Candidate) Server() mailcfg.Server {
	return mailcfg.Server{Protocol: c.Protocol, Host: c.Host, Port: c.Port, Security: c.Security, Username: c.Username}
}

// Result is the probe result behind the candidate, nil while pending.
func (c *Candidate) Result() *probe.Result { return c.result }

// Source tells how one discovery source fared.
type Source struct {
	Name       discover.SourceName `json:"name"`
	Candidates int                 `json:"candidates"`
	Error      string              `json:"error,omitempty"`
	ElapsedMS  int64               `json:"elapsed_ms"`
	Done       bool                `json:"done"`
}

// Hint is a plain-words explanation with its id and help link.
type Hint struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Text     string `json:"text"`
	URL      string `json:"url,omitempty"`
}

// Address is the parsed address the report is about.
func (r *Report) Address() mailcfg.Address { return r.address }

// ProviderID is the built-in provider's id, "" when unknown.
func (r *Report) ProviderID() string { return r.provider }

// Best returns the recommended candidate for a role, nil when none.
func (r *Report) Best(role mailcfg.Role) *Candidate {
	s := r.Recommended.Incoming
	if role == mailcfg.Outgoing {
		s = r.Recommended.Outgoing
	}
	if s == nil {
		return nil
	}
	// Match on everything but security: a STARTTLS port that offers no
	// STARTTLS is recommended as plain text.
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.Protocol == s.Protocol && strings.EqualFold(c.Host, s.Host) && c.Port == s.Port && c.Status.Usable() {
			return c
		}
	}
	return nil
}

// Complete reports whether both roles have a recommendation.
func (r *Report) Complete() bool {
	return r.Recommended.Incoming != nil && r.Recommended.Outgoing != nil
}

func tlsFacts(t *probe.TLSInfo) TLSFacts {
	if t == nil {
		return TLSFacts{}
	}
	f := TLSFacts{Version: t.Version, Cipher: t.Cipher, Verified: t.Verified, Pinned: t.Pinned, Error: t.Error,
		Problem: string(t.Problem), Subject: t.Subject, Issuer: t.Issuer, Names: t.DNSNames, SHA256: t.SHA256}
	if !t.NotAfter.IsZero() {
		f.NotAfter = t.NotAfter.UTC().Format(time.RFC3339)
	}
	return f
}

// applyResult copies a probe result into the candidate.
func (c *Candidate) applyResult(r *probe.Result) {
	c.result = r
	c.Status = r.Status
	c.Error = r.Error
	c.TLS = tlsFacts(r.TLS)
	c.Capabilities = nonNil(r.Capabilities)
	c.AuthMechanisms = nonNil(r.AuthMechanisms)
	c.ElapsedMS = r.Timings.Total.Milliseconds()
	c.Address = r.Addr
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
