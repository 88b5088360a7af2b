package assistant

import (
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// ConsentKind names something the user must agree to before a password
// goes to a server. Each is asked and granted on its own: agreeing to plain
// text says nothing about trusting a source, and the reverse.
type ConsentKind string

const (
	// ConsentPlaintext: the password would cross an unencrypted connection.
	ConsentPlaintext ConsentKind = "plaintext"
	// ConsentUntrustedSource: only an untrusted source (plain HTTP, an SRV
	// or Autodiscover target outside the domain) named the server.
	ConsentUntrustedSource ConsentKind = "untrusted_source"
	// ConsentCertificate: the server's certificate failed verification;
	// pinning its fingerprint (Options.Trust, --trust) is the consent.
	ConsentCertificate ConsentKind = "certificate"
)

// Consent is one question a face must put to the user before a login.
type Consent struct {
	Kind   ConsentKind    `json:"kind"`
	Role   mailcfg.Role   `json:"role"`
	Server mailcfg.Server `json:"server"`
	// Why explains it: why the source is untrusted, what is wrong with
	// the certificate.
	Why l10n.Message `json:"why,omitzero"`
	// TLS holds the certificate's facts, to show and to pin (certificate only).
	TLS *TLSFacts `json:"tls,omitempty"`
}

// Grants are the user's answers. A grant covers every server (the command
// line's --allow-insecure, --allow-untrusted) or the servers named by key.
type Grants struct {
	Plaintext       Grant
	UntrustedSource Grant
}

// Grant is one kind of consent given.
type Grant struct {
	All     bool
	Servers map[string]bool // mailcfg.Server.Key() → granted
}

// Allow grants the consent for srv.
func (g *Grant) Allow(srv mailcfg.Server) {
	if g.Servers == nil {
		g.Servers = map[string]bool{}
	}
	g.Servers[srv.Key()] = true
}

// Covers reports whether the consent was given for srv.
func (g Grant) Covers(srv mailcfg.Server) bool { return g.All || g.Servers[srv.Key()] }

// Consents lists what a login to srv in role needs the user to agree to,
// given the certificates already pinned; nil when nothing is needed. srv
// may be the recommendation, another candidate, or a server the user typed.
func (r *Report) Consents(role mailcfg.Role, srv mailcfg.Server, pins mailcfg.Pins) []Consent {
	var out []Consent
	c := r.CandidateFor(srv)
	if c != nil && c.Status == mailcfg.StatusCertInvalid && !pins.Has(c.TLS.SHA256) {
		tls := c.TLS
		out = append(out, Consent{Kind: ConsentCertificate, Role: role, Server: srv, Why: c.Reason, TLS: &tls})
	}
	if c != nil && !c.Trusted {
		out = append(out, Consent{Kind: ConsentUntrustedSource, Role: role, Server: srv, Why: c.WhyReason})
	}
	if srv.Security == mailcfg.None {
		out = append(out, Consent{Kind: ConsentPlaintext, Role: role, Server: srv})
	}
	return out
}

// Missing is the part of needs that grants do not cover. A certificate is
// covered only by pinning it, which the engine's options carry.
func (g Grants) Missing(needs []Consent) []Consent {
	var out []Consent
	for _, n := range needs {
		switch {
		case n.Kind == ConsentPlaintext && g.Plaintext.Covers(n.Server):
		case n.Kind == ConsentUntrustedSource && g.UntrustedSource.Covers(n.Server):
		default:
			out = append(out, n)
		}
	}
	return out
}

// Message asks the question in any language.
func (c Consent) Message() l10n.Message {
	host := c.Server.HostPort()
	switch c.Kind {
	case ConsentPlaintext:
		return l10n.M("consent.plaintext", "server", host)
	case ConsentUntrustedSource:
		return l10n.M("consent.untrusted_source", "server", host).Because(c.Why)
	}
	sha := ""
	if c.TLS != nil {
		sha = c.TLS.SHA256
	}
	return l10n.M("consent.certificate", "server", host, "sha256", sha).Because(c.Why)
}

// Clone copies the grants, so that a login running in the background
// never reads a map the user is adding to.
func (g Grants) Clone() Grants {
	return Grants{Plaintext: g.Plaintext.clone(), UntrustedSource: g.UntrustedSource.clone()}
}

func (g Grant) clone() Grant {
	c := Grant{All: g.All}
	if g.Servers != nil {
		c.Servers = make(map[string]bool, len(g.Servers))
		for k, v := range g.Servers {
			c.Servers[k] = v
		}
	}
	return c
}
