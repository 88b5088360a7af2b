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
