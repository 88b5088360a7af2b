package assistant

import (
	"mailsetup/hints"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// What a face shows and fills in from a report, decided here so that the
// window and the command line never work it out on their own.

// Proposed is the server a face starts from for role: the recommendation,
// else an empty server on the first standard endpoint of the report's
// protocol, with the account's login name, for the user to complete.
func (r *Report) Proposed(role mailcfg.Role) mailcfg.Server {
	if s := r.Recommendation(role); s != nil {
		return *s
	}
	p := r.Protocol
	if p == "" {
		p = DefaultProtocol
	}
	if role == mailcfg.Outgoing {
		p = mailcfg.SMTP
	}
	ep := mailcfg.StandardEndpoints(p)[0]
	return mailcfg.Server{Protocol: p, Port: ep.Port, Security: ep.Security, Username: r.loginName(p)}
}

// Choose is the server a face fills in when the user picks candidate c:
// as probed, without encryption when it answered only in plain text (as a
// recommendation of it would say), and with the account's login name when
// its source named none.
func (r *Report) Choose(c *Candidate) mailcfg.Server {
	srv := c.Server()
	if c.Status == mailcfg.StatusInsecure {
		srv.Security = mailcfg.None
	}
	if srv.Username == "" {
		srv.Username = r.loginName(srv.Protocol)
	}
	return srv
}

// Selectable tells whether the user may pick c for their settings: it
// answers (ok; or insecure, which a login then asks consent for), or its
// only fault is a certificate the user may choose to pin.
func (c *Candidate) Selectable() bool {
	return c.Status.Usable() || c.Status == mailcfg.StatusCertInvalid
}

// loginName is the login name of the address for protocol p at its
// provider: the full address in ASCII unless the provider's table says
// otherwise (iCloud's IMAP takes the local part).
func (r *Report) loginName(p mailcfg.Protocol) string {
	addr := r.address()
	if addr.Local == "" {
		return r.Email
	}
	if prov := providers.ByID(r.providerID()); prov != nil {
		return prov.UsernameForProtocol(p, addr)
	}
	return addr.ASCIIString()
}

// What the login of an address takes instead of the account password
// (Report.Secret).
const (
	SecretPassword    = "password"
	SecretAuthCode    = "authorization_code" // QQ's 授权码, NetEase's 客户端授权密码
	SecretAppPassword = "app_password"
)

// Secret says what the user must type for the login: the password, or
// the code or app password the provider requires instead.
func (r *Report) Secret() string {
	p := providers.ByID(r.providerID())
	switch {
	case p == nil:
		return SecretPassword
	case p.HasAuth(providers.AuthCode):
		return SecretAuthCode
	case p.HasAuth(providers.AuthAppPassword):
		return SecretAppPassword
	}
	return SecretPassword
}

// ProviderFacts are what a face shows about the address's provider, in
// one language.
type ProviderFacts struct {
	ID, Name string
	// Note is the table's own note for the provider's users; "" when none.
	// Notes (Report.NotesIn) never repeat it.
	Note    string
	HelpURL string
}

// ProviderFacts describes the provider in lang; nil when it is unknown.
func (r *Report) ProviderFacts(lang string) *ProviderFacts {
	if r.Provider == nil {
		return nil
	}
	f := &ProviderFacts{ID: r.Provider.ID, Name: r.Provider.Name}
	if p := providers.ByID(r.Provider.ID); p != nil {
		lang = l10n.Normalize(lang)
		f.Name, f.Note, f.HelpURL = p.DisplayName(lang), p.Note(lang), p.HelpURL
	}
	return f
}

// NotesIn are the report's notes with the provider's notes in lang: a face
// whose language changed since the discovery shows them in the new one.
// The other notes stay in the language of the discovery.
func (r *Report) NotesIn(lang string) []hints.Hint {
	p := providers.ByID(r.providerID())
	if p == nil {
		return r.Notes
	}
	fresh := hints.ProviderNotes(p, l10n.Normalize(lang))
	out := make([]hints.Hint, 0, len(fresh)+len(r.Notes))
	ids := map[string]bool{}
	for _, h := range fresh {
		ids[h.ID] = true
		out = append(out, h)
	}
	for _, h := range r.Notes {
		if !ids[h.ID] {
			out = append(out, h)
		}
	}
	return out
}

// SameRank reports whether a and b rank alike but for latency and the
// order they were found in: two discoveries of one address may list them
// either way round.
func SameRank(a, b *Candidate, pref Preference) bool {
	if a.Role != b.Role {
		return false
	}
	ka, kb := keyOf(a, pref, false), keyOf(b, pref, false)
	return ka.usable == kb.usable && ka.sameClass(kb)
}
