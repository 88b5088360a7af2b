// Package providers is the built-in table of mail providers: their servers,
// the domains they serve, the MX hosts that reveal them on hosted domains,
// and the quirks a user must know before logging in.
package providers

import (
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// Languages every name and note is given in: l10n's.
var Languages = l10n.Languages

// Provider is one entry of the table.
type Provider struct {
	ID string `json:"id"`
	// Name maps a language (en, zh-Hans, zh-Hant) to the provider's name in it.
	Name    map[string]string `json:"name"`
	Domains []string          `json:"domains"`
	// MX holds host patterns: an exact host ("mx.ym.163.com") or a wildcard
	// suffix ("*.mail.protection.outlook.com"). The most specific match wins.
	MX       []string `json:"mx,omitempty"`
	Incoming []Server `json:"incoming"`
	Outgoing []Server `json:"outgoing"`
	// Username is the login form: "address" (full address) or "localpart".
	Username string `json:"username"`
	// Auth lists login requirements, see the Auth* constants.
	Auth []string `json:"auth,omitempty"`
	// SignIn lists the sign-in methods the servers take, preferred first
	// (SignInPassword, SignInOAuth2); empty means a password.
	SignIn []string `json:"sign_in,omitempty"`
	// OAuthIssuer is the ID of the OAuth2 issuer (the file's oauth_issuers)
	// to sign in with; set exactly when SignIn lists SignInOAuth2.
	OAuthIssuer string `json:"oauth_issuer,omitempty"`
	// Notes maps a language to a plain-words note shown before the first login.
	Notes   map[string]string `json:"notes,omitempty"`
	HelpURL string            `json:"help_url,omitempty"`
	// Stale lists hosts that old guides still name but that no longer work.
	Stale []StaleHost `json:"stale,omitempty"`
	// ISPDBDiffers explains, where set, why this entry disagrees with
	// Thunderbird's ISP database on purpose.
	ISPDBDiffers string `json:"ispdb_differs,omitempty"`
	// Hosted marks a provider of mail for the customer's own domains
	// (found through MX), as opposed to a consumer domain.
	Hosted bool `json:"hosted,omitempty"`
	// Service is empty when mail clients can use the provider; otherwise it
	// says why they cannot (see the Service* constants) and the entry lists
	// no servers, only notes.
	Service string `json:"service,omitempty"`
	Source  string `json:"source"`
	Checked string `json:"checked"` // YYYY-MM date the facts were checked

	issuer *OAuthIssuer // OAuthIssuer resolved when the table is loaded
}

// Server is one server of a provider. The username form comes from the
// Provider unless the server names its own.
type Server struct {
	Protocol mailcfg.Protocol `json:"protocol"`
	Host     string           `json:"host"`
	Port     int              `json:"port"`
	Security mailcfg.Security `json:"security"`
	// Username overrides the provider's login form on this server
	// ("address" or "localpart"); empty inherits it. iCloud's IMAP takes
	// the local part, its SMTP the full address.
	Username string `json:"username,omitempty"`
}

// StaleHost is a host name from an out-of-date guide.
type StaleHost struct {
	Host   string `json:"host"`
	Reason string `json:"reason"`
}

// Login requirements (Provider.Auth).
const (
	AuthCode        = "authorization_code" // a generated code, not the account password (QQ 授权码, NetEase 客户端授权密码)
	AuthAppPassword = "app_password"       // an app-specific password with 2-step verification
	AuthOAuth2Only  = "oauth2_only"        // basic authentication is disabled: OAuth2 only
	AuthEnable      = "enable_in_web"      // POP/IMAP/SMTP must first be enabled in web settings
	AuthIMAPID      = "imap_id"            // IMAP must send ID (RFC 2971) before SELECT
	AuthBridgeOnly  = "bridge_only"        // only through a local bridge program (Proton)
)

// Provider.Service values.
const (
	ServiceClosed         = "closed"           // the service shut down (Yahoo China)
	ServiceNoClientAccess = "no_client_access" // no POP3/IMAP/SMTP at all, only the provider's own apps (Tuta)
)

// Usable reports whether mail clients can reach the provider at all.
func (p *Provider) Usable() bool { return p.Service == "" }

// DisplayName returns the name in lang (any tag l10n.Normalize knows), falling back to English.
func (p *Provider) DisplayName(lang string) string {
	if n := p.Name[l10n.Normalize(lang)]; n != "" {
		return n
	}
	return p.Name["en"]
}

// Note returns the note in lang (any tag l10n.Normalize knows), falling back to English.
func (p *Provider) Note(lang string) string {
	if n := p.Notes[l10n.Normalize(lang)]; n != "" {
		return n
	}
	return p.Notes["en"]
}

// HasAuth reports whether the provider has the given login requirement.
func (p *Provider) HasAuth(req string) bool {
	for _, a := range p.Auth {
		if a == req {
			return true
		}
	}
	return false
}

// UsernameFor returns the login name for an address of this provider.
func (p *Provider) UsernameFor(addr mailcfg.Address) string {
	return loginName(p.Username, addr)
}

// UsernameForServer returns the login name for an address on server s of
// this provider.
func (p *Provider) UsernameForServer(s Server, addr mailcfg.Address) string {
	if s.Username != "" {
		return loginName(s.Username, addr)
	}
	return p.UsernameFor(addr)
}

// UsernameForProtocol returns the login name for an address on the
// provider's first server of protocol proto (the provider's form when it
// has none).
func (p *Provider) UsernameForProtocol(proto mailcfg.Protocol, addr mailcfg.Address) string {
	for _, list := range [][]Server{p.Incoming, p.Outgoing} {
		for _, s := range list {
			if s.Protocol == proto {
				return p.UsernameForServer(s, addr)
			}
		}
	}
	return p.UsernameFor(addr)
}

func loginName(form string, addr mailcfg.Address) string {
	if form == "localpart" {
		return addr.Local
	}
	return addr.ASCIIString()
}
