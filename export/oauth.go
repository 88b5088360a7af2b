package export

import (
	"net/url"
	"slices"
	"strings"

	"mailsetup/mailcfg"
)

// An account that signs in with OAuth2 (Account.Auth) is exported without
// any secret: no password, since its servers want a token, and no token,
// since tokens expire within hours and are the user's alone. Each format
// says so in its header and then either tells its client to sign in by
// itself (Thunderbird), leaves a commented line for the command that
// prints a fresh token (msmtp, mpop, mutt, aerc, getmail), or, when the
// format cannot say "OAuth2" at all (Outlook, Apple, Foxmail, fetchmail),
// says what to do instead.

// tokenCommand is the example in the commented token-command lines: oama
// ("OAuth credential MAnager") prints a fresh access token for an address.
// Any helper that prints one will do; the header names another.
func tokenCommand(a mailcfg.Account) []string { return []string{"oama", "access", a.Email} }

// tokenMechanism picks the SASL mechanism a client sends the token with on
// the server of role: the server's most preferred one among those the
// client knows. When nothing tells what the server takes, XOAUTH2, the
// one every provider's servers take (Microsoft's take nothing else). ok
// is false when the server takes none the client knows.
func tokenMechanism(a mailcfg.Account, role mailcfg.Role, client ...string) (string, bool) {
	offered := a.OAuthMechanisms(role)
	if len(offered) == 0 {
		offered = []string{mailcfg.MechXOAuth2, mailcfg.MechOAuthBearer}
	}
	for _, m := range offered {
		if slices.Contains(client, m) {
			return m, true
		}
	}
	return "", false
}

// Clients that take a token by both mechanisms.
var bothMechanisms = []string{mailcfg.MechXOAuth2, mailcfg.MechOAuthBearer}

// issuerID is the table's ID of the account's issuer, "" when unknown.
func issuerID(a mailcfg.Account) string {
	if a.OAuth2 == nil {
		return ""
	}
	return a.OAuth2.Issuer
}

// oauthIntro is the header's first OAuth2 sentence: the account signs in
// with OAuth2 and the file holds no secret.
func oauthIntro(a mailcfg.Account, l lang) string {
	if a.OAuth2 != nil && a.OAuth2.IssuerName != "" {
		return l.t("export.oauth.account", "issuer", a.OAuth2.IssuerName)
	}
	return l.t("export.oauth.account_generic")
}

// issuerOrProvider names who signs the user in, for sentences that need a
// name: the issuer, else the provider, else the address's domain.
func issuerOrProvider(a mailcfg.Account) string {
	switch {
	case a.OAuth2 != nil && a.OAuth2.IssuerName != "":
		return a.OAuth2.IssuerName
	case a.ProviderName != "":
		return a.ProviderName
	}
	return a.Domain()
}

// helperLine says where access tokens come from, for the formats that run
// a command for one.
func helperLine(a mailcfg.Account, l lang) string {
	return l.t("export.oauth.helper", "command", shellJoin(tokenCommand(a)))
}

// checkOAuth rejects OAuth2 details no config file can hold: they end up
// in URLs (aerc), SASL mechanism lists (mutt, msmtp) and comments.
func checkOAuth(a mailcfg.Account) error {
	switch a.Auth {
	case "", mailcfg.AuthPassword, mailcfg.AuthOAuth2:
	default:
		return &AccountError{Field: "auth", Reason: quoteForError(a.Auth) + " is not password or oauth2"}
	}
	o := a.OAuth2
	if !a.SignsInWithOAuth2() || o == nil {
		return nil
	}
	if hasControl(o.Issuer) || hasControl(o.IssuerName) {
		return &AccountError{Field: "OAuth2 issuer", Reason: "contains control characters"}
	}
	if o.TokenEndpoint != "" {
		u, err := url.Parse(o.TokenEndpoint)
		if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(o.TokenEndpoint, " \"'`\\#") || hasControl(o.TokenEndpoint) {
			return &AccountError{Field: "OAuth2 token endpoint", Reason: quoteForError(o.TokenEndpoint) + " is not a plain https URL"}
		}
	}
	for _, m := range append(slices.Clone(o.IncomingMechanisms), o.OutgoingMechanisms...) {
		if !slices.Contains(bothMechanisms, m) {
			return &AccountError{Field: "OAuth2 mechanisms", Reason: quoteForError(m) + " is not XOAUTH2 or OAUTHBEARER"}
		}
	}
	return nil
}

// outlookOAuthLine says whether classic Outlook signs in by itself with
// the account's issuer: it does with Microsoft's and Google's.
func outlookOAuthLine(a mailcfg.Account, l lang) string {
	switch issuerID(a) {
	case "microsoft", "google":
		return l.t("export.oauth.outlook_known", "issuer", issuerOrProvider(a))
	}
	return l.t("export.oauth.outlook_unknown")
}

// appleOAuthLine says whether Apple Mail signs in by itself with the
// account's issuer: it does for the providers of its Add Account list.
func appleOAuthLine(a mailcfg.Account, l lang) string {
	switch issuerID(a) {
	case "microsoft", "google", "yahoo", "aol":
		return l.t("export.oauth.apple_known", "issuer", issuerOrProvider(a))
	}
	return l.t("export.oauth.apple_unknown")
}
