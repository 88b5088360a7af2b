package assistant

import (
	"slices"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/oauth"
	"mailsetup/providers"
)

// How a face offers the login, decided here beside Secret (present.go) so
// that neither face works out from the methods what to show.

// SecretNone: the provider takes no password of any kind; its users sign
// in with OAuth2 (Outlook.com since 2024-09-16).
const SecretNone = "none"

// UpFront is what the first screen may ask for before any discovery,
// known from the address's domain in the built-in table alone.
type UpFront struct {
	// Secret is what a password field up front asks for: SecretPassword,
	// SecretAuthCode or SecretAppPassword; SecretNone when the provider
	// takes no password (a face then asks for none).
	Secret string
	// Provider is the provider's name in the language asked for; "" when
	// the table does not know the domain.
	Provider string
	// Issuer names where the provider's users sign in with OAuth2 ("Microsoft"),
	// in that language; "" when the table names no issuer.
	Issuer string
}

// UpFrontFor tells a face what to ask for email before the discovery. A
// domain the table does not know (its MX may still point to Exchange
// Online) asks for a password; the engine then sends it nowhere that takes
// none (login.oauth_only).
func UpFrontFor(email, lang string) UpFront {
	out := UpFront{Secret: SecretPassword}
	addr, err := mailcfg.ParseAddress(email)
	if err != nil {
		return out
	}
	p := providers.ByDomain(addr.ASCII)
	if p == nil {
		return out
	}
	lang = l10n.Normalize(lang)
	out.Provider = p.DisplayName(lang)
	if o := p.OAuth(); o != nil {
		out.Issuer = o.DisplayName(lang)
	}
	if !p.TakesPassword() {
		out.Secret = SecretNone
		return out
	}
	out.Secret = (&Report{Provider: &ProviderRef{ID: p.ID}}).Secret()
	return out
}

// SignInWays says how a face offers the login on the servers the user is
// about to test (the recommendation, or the cards as edited).
type SignInWays struct {
	// Password: every server takes a password (Report.Secret says which
	// kind); false when one of them takes only OAuth2.
	Password bool
	// OAuth2: a server takes an OAuth2 token; offer "Sign in with Issuer".
	OAuth2 bool
	// OAuth2First: OAuth2 is the preferred way (the provider's first
	// method, or the only one); a face offers it first.
	OAuth2First bool
	// IssuerID is the table's issuer ("microsoft"); "" when the user must
	// name one (AskIssuer).
	IssuerID string
	// Issuer is the table issuer's name in the language asked for; "" for
	// an issuer the user names.
	Issuer string
	// AskIssuer: nothing tells where to sign in (a provider not in the
	// table whose servers take tokens); the face asks for the issuer's URL
	// (SignInRequest.IssuerURL).
	AskIssuer bool
	// RegisterURL is where a client ID for the issuer is registered; ""
	// when not known.
	RegisterURL string
	// ClientIDKey is the key of oauth.ClientIDs that holds the client ID
	// for this sign-in: the issuer's ID, else oauth.DefaultClientIDKey.
	ClientIDKey string
}

// SignInWays tells how to offer the login on in and out, in lang.
func (r *Report) SignInWays(in, out mailcfg.Server, lang string) SignInWays {
	var w SignInWays
	w.Password = true
	for role, srv := range map[mailcfg.Role]mailcfg.Server{mailcfg.Incoming: in, mailcfg.Outgoing: out} {
		auth := r.authFor(role, srv)
		if len(auth) == 0 {
			auth = []string{MethodPassword} // nothing tells: a password, as ever
		}
		if slices.Contains(auth, MethodOAuth2) {
			w.OAuth2 = true
			w.OAuth2First = w.OAuth2First || auth[0] == MethodOAuth2
		}
		w.Password = w.Password && slices.Contains(auth, MethodPassword)
	}
	if !w.OAuth2 {
		return w
	}
	w.OAuth2First = w.OAuth2First || !w.Password
	w.ClientIDKey = oauth.DefaultClientIDKey
	p := providers.ByID(r.providerID())
	if p == nil || p.OAuth() == nil {
		w.AskIssuer = true
		return w
	}
	o := p.OAuth()
	w.IssuerID, w.Issuer, w.RegisterURL, w.ClientIDKey = o.ID, o.DisplayName(l10n.Normalize(lang)), o.RegisterURL, o.ID
	return w
}

// IssuerFacts describe a built-in OAuth2 issuer for a face's settings.
type IssuerFacts struct {
	ID          string // the key of its client ID in oauth.ClientIDs
	Name        string // in the language asked for
	RegisterURL string // where a client ID is registered
}

// OAuthIssuers lists the built-in issuers in table order, in lang.
func OAuthIssuers(lang string) []IssuerFacts {
	lang = l10n.Normalize(lang)
	var out []IssuerFacts
	for _, o := range providers.Issuers() {
		out = append(out, IssuerFacts{ID: o.ID, Name: o.DisplayName(lang), RegisterURL: o.RegisterURL})
	}
	return out
}
