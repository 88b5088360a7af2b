package assistant

import (
	"encoding/json"
	"strings"
	"time"

	"mailsetup/discover"
	"mailsetup/hints"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// Report is the answer to a discover or check: everything the faces show,
// decided here. Its JSON form is the contract of docs/design.md.
type Report struct {
	Email       string       `json:"email"`
	Provider    *ProviderRef `json:"provider"`
	Recommended Recommended  `json:"recommended"`
	// Candidates are ranked: incoming before outgoing, each role best
	// first (see SortCandidates).
	Candidates []Candidate  `json:"candidates"`
	Hints      []string     `json:"hints"`
	Login      *LoginReport `json:"login,omitempty"`
	// Extensions beyond the contract.
	Insecure bool `json:"insecure"` // a recommendation carries no encryption
	// Notes are the hints with ids, severities and links, merged and each
	// once: provider notes first, then why a role failed, then warnings.
	Notes []hints.Hint `json:"notes"`
	// Protocol is the incoming protocol the ranking preferred;
	// ProtocolChosen says the user chose it (Preference).
	Protocol       mailcfg.Protocol `json:"protocol"`
	ProtocolChosen bool             `json:"-"`
	ElapsedMS      int64            `json:"elapsed_ms"`     // wall time of the discovery
	Sources        []Source         `json:"sources"`        // how each source fared
	Send           *SendTest        `json:"send,omitempty"` // --send-test outcome
}

// Preference is how the report's candidates were ranked.
func (r *Report) Preference() Preference {
	return Preference{Protocol: r.Protocol, Chosen: r.ProtocolChosen}
}

// ProviderRef names the provider of the address.
type ProviderRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Recommended holds the best server per role; nil when none is usable.
type Recommended struct {
	Incoming *mailcfg.Server
	Outgoing *mailcfg.Server
	// IncomingAuth and OutgoingAuth are the ways to sign in on each,
	// preferred first ("password", "oauth2"); in the JSON, each role's "auth".
	IncomingAuth, OutgoingAuth []string
}

// recommendedRole is one role of Recommended as the JSON has it.
type recommendedRole struct {
	mailcfg.Server
	Auth []string `json:"auth"`
}

func (r Recommended) MarshalJSON() ([]byte, error) {
	role := func(s *mailcfg.Server, auth []string) *recommendedRole {
		if s == nil {
			return nil
		}
		if auth == nil {
			auth = []string{MethodPassword}
		}
		return &recommendedRole{Server: *s, Auth: auth}
	}
	return json.Marshal(struct {
		Incoming *recommendedRole `json:"incoming"`
		Outgoing *recommendedRole `json:"outgoing"`
	}{role(r.Incoming, r.IncomingAuth), role(r.Outgoing, r.OutgoingAuth)})
}

func (r *Recommended) UnmarshalJSON(data []byte) error {
	var doc struct {
		Incoming *recommendedRole `json:"incoming"`
		Outgoing *recommendedRole `json:"outgoing"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	*r = Recommended{}
	if doc.Incoming != nil {
		r.Incoming, r.IncomingAuth = &doc.Incoming.Server, doc.Incoming.Auth
	}
	if doc.Outgoing != nil {
		r.Outgoing, r.OutgoingAuth = &doc.Outgoing.Server, doc.Outgoing.Auth
	}
	return nil
}

// Auth is how one signs in on the recommendation for role, preferred first.
func (r *Report) Auth(role mailcfg.Role) []string {
	if role == mailcfg.Outgoing {
		return r.Recommended.OutgoingAuth
	}
	return r.Recommended.IncomingAuth
}

// Candidate is one probed server with everything learnt about it.
type Candidate struct {
	Role     mailcfg.Role          `json:"role"`
	Protocol mailcfg.Protocol      `json:"protocol"`
	Host     string                `json:"host"`
	Port     int                   `json:"port"`
	Security mailcfg.Security      `json:"security"`
	Sources  []discover.SourceName `json:"sources"`
	Status   mailcfg.Status        `json:"status"`
	Error    string                `json:"error"` // Reason in English
	// Reason says why the status is what it is, to render in any language.
	Reason         l10n.Message `json:"reason,omitzero"`
	TLS            TLSFacts     `json:"tls"`
	Capabilities   []string     `json:"capabilities"`
	AuthMechanisms []string     `json:"auth_mechanisms"`
	ElapsedMS      int64        `json:"elapsed_ms"`
	// Extensions beyond the contract (docs/design.md).
	Username string `json:"username"`
	Trusted  bool   `json:"trusted"`       // false: found over plain HTTP or an out-of-domain SRV
	Why      string `json:"why,omitempty"` // why it is untrusted, in English
	// WhyReason is Why to render in any language.
	WhyReason l10n.Message `json:"why_reason,omitzero"`
	Address   string       `json:"address,omitempty"`

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

// Source tells how one discovery source fared.
type Source struct {
	Name       discover.SourceName `json:"name"`
	Candidates int                 `json:"candidates"`
	Error      string              `json:"error,omitempty"`
	ElapsedMS  int64               `json:"elapsed_ms"`
	Done       bool                `json:"done"`
}

// address is the parsed address the report is about; a report read back
// from JSON has only its Email.
func (r *Report) address() mailcfg.Address {
	a, _ := mailcfg.ParseAddress(r.Email)
	return a
}

// providerID is the built-in provider's id, "" when unknown.
func (r *Report) providerID() string {
	if r.Provider == nil {
		return ""
	}
	return r.Provider.ID
}

// Recommendation is the recommended server for role, nil when none.
func (r *Report) Recommendation(role mailcfg.Role) *mailcfg.Server {
	if role == mailcfg.Outgoing {
		return r.Recommended.Outgoing
	}
	return r.Recommended.Incoming
}

// Best returns the candidate behind the recommendation for role, nil when
// there is none.
func (r *Report) Best(role mailcfg.Role) *Candidate {
	if s := r.Recommendation(role); s != nil {
		return r.CandidateFor(*s)
	}
	return nil
}

// CandidateFor finds the probed candidate that srv is, nil when nobody
// probed it (a server the user typed). An insecure recommendation says
// security none for a candidate probed as STARTTLS: the same server all
// the same.
func (r *Report) CandidateFor(srv mailcfg.Server) *Candidate {
	var near *Candidate
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.Protocol != srv.Protocol || c.Port != srv.Port || !strings.EqualFold(c.Host, srv.Host) {
			continue
		}
		if c.Security == srv.Security {
			return c
		}
		if near == nil && srv.Security == mailcfg.None && c.Status == mailcfg.StatusInsecure {
			near = c
		}
	}
	return near
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
	c.Reason = r.Reason
	c.Error = r.Reason.String()
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

// ReasonText is why the candidate's status is what it is, in lang; a
// report read back from JSON without reason codes gives its English error.
func (c *Candidate) ReasonText(lang string) string {
	if c.Reason.IsZero() {
		return c.Error
	}
	return c.Reason.In(lang)
}
