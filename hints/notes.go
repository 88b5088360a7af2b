package hints

import (
	"mailsetup/l10n"
	"mailsetup/providers"
)

// ProviderNotes returns what a user of provider p must know before the first
// login (an authorization code or app password, where to turn POP/IMAP on,
// IMAP ID, OAuth2 only, a bridge program; or that the service is closed),
// in lang, each with severity info.
// It works from p.Auth; the table's own free-text note (p.Note) is not
// repeated here, so a caller that shows both gets no duplicate.
func ProviderNotes(p *providers.Provider, lang string) []Hint {
	if p == nil {
		return nil
	}
	lang = l10n.Normalize(lang)
	fam := providerFamily(p)
	name := p.DisplayName(lang)
	if name == "" {
		name = familyName(fam, lang)
	}
	values := placeholderValues(Facts{}, lang, name)

	var ids []string
	switch p.Service {
	case providers.ServiceClosed:
		ids = append(ids, pick(fam == famYahooCN, "yahoo_cn_closed", "provider_closed"))
	case providers.ServiceNoClientAccess:
		ids = append(ids, "no_client_access")
	}
	if p.HasAuth(providers.AuthBridgeOnly) {
		ids = append(ids, pick(fam == famProton, "proton_bridge_only", "note_bridge_only"))
	}
	if p.HasAuth(providers.AuthOAuth2Only) {
		switch {
		case fam == famOutlook && p.Hosted:
			// Microsoft 365: OAuth2 for POP and IMAP, and SMTP AUTH at the
			// tenant's discretion.
			ids = append(ids, "note_m365")
		case fam == famOutlook:
			ids = append(ids, "outlook_oauth_only")
		default:
			ids = append(ids, "note_oauth2_only")
		}
	}
	if p.HasAuth(providers.AuthCode) {
		ids = append(ids, authCodeNote(fam))
	}
	if p.HasAuth(providers.AuthAppPassword) {
		ids = append(ids, appPasswordNote(fam))
	}
	if p.HasAuth(providers.AuthEnable) && !coversEnabling(ids) {
		ids = append(ids, "note_enable_in_web")
	}
	if p.HasAuth(providers.AuthIMAPID) {
		ids = append(ids, "note_imap_id")
	}

	var out []Hint
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		e := catalogue.byID[id]
		url := e.URL
		if url == "" {
			url = p.HelpURL
		}
		severity := SeverityInfo // advice before the first login, not a failure
		if p.Service != "" {
			severity = e.Severity // nothing will work: say so as loudly as Match would
		}
		out = append(out, Hint{ID: id, Severity: severity, Text: fill(e.Text[lang], lang, values), URL: url})
	}
	return out
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// providerFamily finds p's family from its id, else its domains, else its servers.
func providerFamily(p *providers.Provider) string {
	if fam := familyByID(p.ID); fam != "" {
		return fam
	}
	for _, d := range p.Domains {
		if fam := familyByHost(d); fam != "" {
			return fam
		}
	}
	for _, s := range append(append([]providers.Server(nil), p.Incoming...), p.Outgoing...) {
		if fam := familyByHost(s.Host); fam != "" {
			return fam
		}
	}
	return ""
}

func authCodeNote(fam string) string {
	switch fam {
	case famQQ:
		return "qq_auth_code"
	case famExmail:
		return "exmail_client_password"
	case famNetease:
		return "netease_auth_code"
	case famNeteaseQiye:
		return "netease_qiye_auth_code"
	case fam139:
		return "mail139_auth_code"
	case famSina:
		return "sina_auth_code"
	case famSohu:
		return "sohu_auth_code"
	}
	return "auth_code_required"
}

func appPasswordNote(fam string) string {
	switch fam {
	case famGmail:
		return "gmail_app_password"
	case famYahoo:
		return "yahoo_app_password"
	case famICloud:
		return "icloud_app_password"
	case famAOL:
		return "aol_app_password"
	case famYandex:
		return "yandex_app_password"
	}
	return "app_password_required"
}

// coversEnabling reports whether one of the notes already says where to
// turn POP/IMAP/SMTP on.
func coversEnabling(ids []string) bool {
	for _, id := range ids {
		switch id {
		case "qq_auth_code", "netease_auth_code", "mail139_auth_code", "sina_auth_code", "sohu_auth_code", "yandex_app_password":
			return true
		}
	}
	return false
}
