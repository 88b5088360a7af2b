package assistant

import (
	"slices"
	"strings"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// AccountChoices are what the user chose on top of the engine's answer,
// for an export.
type AccountChoices struct {
	// Incoming and Outgoing replace the recommendation for their role (the
	// window's edited cards, the command line's --incoming/--outgoing);
	// nil means the recommended server.
	Incoming, Outgoing *mailcfg.Server
	DisplayName        string
	// LeaveOnServer keeps POP3 mail on the server (IMAP always does).
	LeaveOnServer bool
	// Pins are the certificates the user accepted: a server whose probed
	// certificate is among them is exported with its fingerprint, for
	// clients that can pin it.
	Pins mailcfg.Pins
	Lang string // of the provider's notes
	// OAuth2 makes the account sign in with OAuth2 (export --oauth).
	// Without it the engine decides: OAuth2 when the check signed in so,
	// or when a server of the account takes no password.
	OAuth2 bool
}

// ExportAccount is an account ready for the exporters, with the pinned
// certificates of its servers.
type ExportAccount struct {
	mailcfg.Account
	// IncomingPin and OutgoingPin are SHA-256 fingerprints of certificates
	// the user pinned for these servers; empty for verified ones.
	IncomingPin, OutgoingPin string
}

// MissingServerError says which roles have no server to export.
type MissingServerError struct{ Roles []mailcfg.Role }

func (e *MissingServerError) Error() string { return e.Message().String() }

// Message says it in any language.
func (e *MissingServerError) Message() l10n.Message {
	m := l10n.M("export.missing_server")
	if len(e.Roles) == 1 {
		return m.With("roles", roleMessage(e.Roles[0]))
	}
	return m.With("roles", l10n.M("roles.both"))
}

// Account turns the report and the user's choices into client settings.
// Both faces export through it, so an address exports the same from
// either: the address with its domain in ASCII (punycode), as mail
// protocols and client configuration files want it. It works on a report
// read back from JSON too.
func (r *Report) Account(ch AccountChoices) (ExportAccount, error) {
	addr := r.address()
	a := mailcfg.Account{Email: addr.ASCIIString(), DisplayName: ch.DisplayName}
	if addr.Local == "" {
		a.Email = r.Email
	}
	var missing []mailcfg.Role
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		srv := LoginRequest{Incoming: ch.Incoming, Outgoing: ch.Outgoing}.server(r, role)
		switch {
		case srv == nil:
			missing = append(missing, role)
		case role == mailcfg.Incoming:
			a.Incoming = *srv
		default:
			a.Outgoing = *srv
		}
	}
	if len(missing) > 0 {
		return ExportAccount{Account: a}, &MissingServerError{Roles: missing}
	}
	for _, s := range []*mailcfg.Server{&a.Incoming, &a.Outgoing} {
		if s.Username == "" {
			s.Username = a.Email
		}
	}
	a.LeaveOnServer = ch.LeaveOnServer || a.Incoming.Protocol != mailcfg.POP3
	if r.Provider != nil {
		a.ProviderID, a.ProviderName = r.Provider.ID, r.Provider.Name
		if p := providers.ByID(r.Provider.ID); p != nil {
			a.ProviderName = p.DisplayName(l10n.Normalize(ch.Lang))
			a.PasswordNote = p.Note(l10n.Normalize(ch.Lang))
			a.HelpURL = p.HelpURL
			a.NeedsIMAPID = p.HasAuth(providers.AuthIMAPID)
		}
	}
	if r.signsInWithOAuth2(a, ch) {
		a.Auth = mailcfg.AuthOAuth2
		a.OAuth2 = r.oauth2For(a, ch.Lang)
	}
	return ExportAccount{Account: a, IncomingPin: r.pinFor(a.Incoming, ch.Pins), OutgoingPin: r.pinFor(a.Outgoing, ch.Pins)}, nil
}

// pinFor is the fingerprint of srv's certificate when the user pinned it
// and no authority vouches for it.
func (r *Report) pinFor(srv mailcfg.Server, pins mailcfg.Pins) string {
	c := r.CandidateFor(srv)
	if c == nil || c.TLS.SHA256 == "" || !pins.Has(c.TLS.SHA256) {
		return ""
	}
	if c.TLS.Verified && !c.TLS.Pinned {
		return ""
	}
	return c.TLS.SHA256
}

// signsInWithOAuth2 decides how the exported account signs in: with OAuth2
// when the user asked for it, when the check signed in with it (or tried
// to), or when a server of the account takes no password at all, as
// Outlook.com's do.
func (r *Report) signsInWithOAuth2(a mailcfg.Account, ch AccountChoices) bool {
	if ch.OAuth2 {
		return true
	}
	if l := r.Login; l != nil {
		for _, o := range []*LoginOutcome{l.Incoming, l.Outgoing} {
			if o != nil && o.Method == MethodOAuth2 {
				return true
			}
		}
	}
	for _, s := range []struct {
		role mailcfg.Role
		srv  mailcfg.Server
	}{{mailcfg.Incoming, a.Incoming}, {mailcfg.Outgoing, a.Outgoing}} {
		if auth := r.authFor(s.role, s.srv); len(auth) > 0 && !slices.Contains(auth, MethodPassword) {
			return true
		}
	}
	return false
}

// authFor is how one signs in on srv, the server exported for role,
// preferred first: what the table or the probe knows of it, else the
// report's word on the recommendation, else the provider's; nil when
// nothing tells.
func (r *Report) authFor(role mailcfg.Role, srv mailcfg.Server) []string {
	p := providers.ByID(r.providerID())
	if c := r.CandidateFor(srv); c != nil {
		return authMethods(p, c)
	}
	if rec := r.Recommendation(role); rec != nil && *rec == srv && len(r.Auth(role)) > 0 {
		return r.Auth(role)
	}
	if p != nil {
		return p.SignInMethods()
	}
	return nil
}

// tokenMechanismOrder is the engine's preference among the mechanisms
// that carry a token (OAUTHBEARER is the standard one, RFC 7628).
var tokenMechanismOrder = []string{mailcfg.MechOAuthBearer, mailcfg.MechXOAuth2}

// oauth2For describes the account's OAuth2 sign-in: the provider's issuer
// from the table, and per server the SASL mechanisms that take the token.
func (r *Report) oauth2For(a mailcfg.Account, lang string) *mailcfg.OAuth2 {
	o := &mailcfg.OAuth2{}
	var table []string
	if p := providers.ByID(r.providerID()); p != nil && p.OAuth() != nil {
		iss := p.OAuth()
		o.Issuer, o.IssuerName, o.TokenEndpoint = iss.ID, iss.DisplayName(l10n.Normalize(lang)), iss.TokenEndpoint
		table = iss.Mechanisms
	}
	o.IncomingMechanisms = r.tokenMechanisms(mailcfg.Incoming, a.Incoming, table)
	o.OutgoingMechanisms = r.tokenMechanisms(mailcfg.Outgoing, a.Outgoing, table)
	return o
}

// tokenMechanisms are the SASL mechanisms srv takes a token with,
// preferred first: the one the check signed in with, then the table's for
// the provider's servers, else those the server offered when probed.
func (r *Report) tokenMechanisms(role mailcfg.Role, srv mailcfg.Server, table []string) []string {
	var out []string
	add := func(m string) {
		m = strings.ToUpper(m)
		if slices.Contains(tokenMechanismOrder, m) && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	if l := r.Login; l != nil {
		o := l.Incoming
		if role == mailcfg.Outgoing {
			o = l.Outgoing
		}
		if o != nil && o.OK && o.Method == MethodOAuth2 && o.Server == srv {
			add(o.Mechanism)
		}
	}
	if len(table) > 0 {
		for _, m := range table {
			add(m)
		}
		return out
	}
	if c := r.CandidateFor(srv); c != nil {
		for _, m := range tokenMechanismOrder {
			if slices.ContainsFunc(c.AuthMechanisms, func(x string) bool { return strings.EqualFold(x, m) }) {
				add(m)
			}
		}
	}
	return out
}
