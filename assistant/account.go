package assistant

import (
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
