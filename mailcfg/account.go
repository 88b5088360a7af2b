package mailcfg

// Account is a complete set of client settings: what the exporters turn
// into files and what a login test uses.
type Account struct {
	Email       string `json:"email"`
	DisplayName string `json:"display_name,omitempty"`
	Incoming    Server `json:"incoming"`
	Outgoing    Server `json:"outgoing"`
	// LeaveOnServer keeps a copy of each message on a POP3 server; POP3
	// otherwise deletes what it downloads, which surprises phone users.
	LeaveOnServer bool `json:"leave_on_server"`
	// Password is filled only when the user asked for it to be exported.
	Password string `json:"password,omitempty"`
	// ProviderID and ProviderName are empty when the provider is unknown.
	ProviderID   string `json:"provider_id,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	// PasswordNote tells what to type as the password, e.g. QQ's 授权码.
	PasswordNote string `json:"password_note,omitempty"`
	HelpURL      string `json:"help_url,omitempty"`
	// NeedsIMAPID: the provider opens mailboxes only to IMAP clients that
	// identify themselves first (RFC 2971 ID), as NetEase does; exports
	// say whether their client does.
	NeedsIMAPID bool `json:"needs_imap_id,omitempty"`
	// Auth is how the account signs in: AuthPassword (also when empty) or
	// AuthOAuth2, an access token from the provider's sign-in page in
	// place of a password. An OAuth2 account's exports hold neither a
	// password nor a token: each client gets its token from a command the
	// user sets up, or signs in by itself.
	Auth string `json:"auth,omitempty"`
	// OAuth2 tells how an OAuth2 account gets and presents its token; nil
	// for a password account, and it may be nil for an OAuth2 one whose
	// issuer and mechanisms nobody knows.
	OAuth2 *OAuth2 `json:"oauth2,omitempty"`
}

// Ways an account signs in (Account.Auth), as the report's "auth" names them.
const (
	AuthPassword = "password"
	AuthOAuth2   = "oauth2"
)

// SASL mechanisms that carry an OAuth2 access token.
const (
	MechXOAuth2     = "XOAUTH2"
	MechOAuthBearer = "OAUTHBEARER" // RFC 7628
)

// OAuth2 describes an account's OAuth2 sign-in for the clients that are
// told about it.
type OAuth2 struct {
	// Issuer is the built-in table's issuer ID ("microsoft", "google"), or
	// empty for an issuer outside the table.
	Issuer string `json:"issuer,omitempty"`
	// IssuerName names who signs the user in ("Microsoft"), in the
	// language of the account's notes.
	IssuerName string `json:"issuer_name,omitempty"`
	// TokenEndpoint is where a refresh token is exchanged for an access
	// token, for clients that renew tokens themselves (aerc).
	TokenEndpoint string `json:"token_endpoint,omitempty"`
	// IncomingMechanisms and OutgoingMechanisms are the SASL mechanisms
	// each server takes a token with (MechXOAuth2, MechOAuthBearer),
	// preferred first; empty when unknown.
	IncomingMechanisms []string `json:"incoming_mechanisms,omitempty"`
	OutgoingMechanisms []string `json:"outgoing_mechanisms,omitempty"`
}

// SignsInWithOAuth2 reports whether the account signs in with an OAuth2
// token instead of a password.
func (a Account) SignsInWithOAuth2() bool { return a.Auth == AuthOAuth2 }

// OAuthMechanisms are the SASL mechanisms the server of role takes a
// token with, preferred first; nil when unknown or for a password account.
func (a Account) OAuthMechanisms(role Role) []string {
	if !a.SignsInWithOAuth2() || a.OAuth2 == nil {
		return nil
	}
	if role == Outgoing {
		return a.OAuth2.OutgoingMechanisms
	}
	return a.OAuth2.IncomingMechanisms
}

// Domain is the part of Email after the last @.
func (a Account) Domain() string {
	for i := len(a.Email) - 1; i >= 0; i-- {
		if a.Email[i] == '@' {
			return a.Email[i+1:]
		}
	}
	return ""
}

// LocalPart is the part of Email before the last @.
func (a Account) LocalPart() string {
	for i := len(a.Email) - 1; i >= 0; i-- {
		if a.Email[i] == '@' {
			return a.Email[:i]
		}
	}
	return a.Email
}
