package hints

import (
	"regexp"
	"strings"

	"mailsetup/l10n"
)

// A family groups providers that share login rules and therefore hints
// (qq.com, foxmail.com and vip.qq.com are all "qq"). The provider table's
// ids are matched loosely, so "netease163", "netease_126" and "163" all
// land in the NetEase family; without an id, the server's host name decides.
const (
	famYahooCN     = "yahoo_cn"
	famExmail      = "exmail"
	famQQ          = "qq"
	famNeteaseQiye = "netease_qiye"
	famNetease     = "netease"
	fam139         = "139"
	famSina        = "sina"
	famSohu        = "sohu"
	famGmail       = "gmail"
	famOutlook     = "outlook"
	famYahoo       = "yahoo"
	famICloud      = "icloud"
	famAOL         = "aol"
	famYandex      = "yandex"
	famProton      = "proton"
)

// A family's display name is the l10n catalogue's "family.<id>".
type family struct {
	id    string
	idRE  *regexp.Regexp // matched against the lower-case provider id
	hosts []string       // domain suffixes of the family's servers
}

// families is ordered: the first match wins, so narrower families
// (Tencent Exmail inside qq.com, NetEase Qiye inside 163.com) come first.
var families = []family{
	{famYahooCN, regexp.MustCompile(`yahoo.*(cn|china)|(cn|china).*yahoo`),
		[]string{"yahoo.com.cn", "yahoo.cn"}},
	{famExmail, regexp.MustCompile(`exmail|tencent.*(ent|biz|work|qiye)|wework`),
		[]string{"exmail.qq.com"}},
	{famQQ, regexp.MustCompile(`(^|[^a-z])qq([^a-z]|$)|^qq|foxmail`),
		[]string{"qq.com", "foxmail.com"}},
	{famNeteaseQiye, regexp.MustCompile(`qiye.*(163|netease)|(163|netease).*(qiye|ym)|^ym$`),
		[]string{"qiye.163.com", "ym.163.com", "qiye.netease.com"}},
	{famNetease, regexp.MustCompile(`163|126|yeah|netease|188`),
		[]string{"163.com", "126.com", "yeah.net", "188.com", "netease.com"}},
	{fam139, regexp.MustCompile(`139|china_?mobile|cmcc`),
		[]string{"139.com"}},
	{famSina, regexp.MustCompile(`sina`),
		[]string{"sina.com", "sina.cn", "sina.com.cn"}},
	{famSohu, regexp.MustCompile(`sohu`),
		[]string{"sohu.com"}},
	{famGmail, regexp.MustCompile(`gmail|google`),
		[]string{"gmail.com", "googlemail.com", "google.com"}},
	{famOutlook, regexp.MustCompile(`outlook|hotmail|msn|microsoft|office_?365|(^|[^a-z])(live|m365|o365)([^a-z]|$)|exchange_?online`),
		[]string{"outlook.com", "office365.com", "hotmail.com", "live.com", "office.com"}},
	{famYahoo, regexp.MustCompile(`yahoo|ymail|rocketmail`),
		[]string{"yahoo.com"}},
	{famICloud, regexp.MustCompile(`icloud|apple|(^|[^a-z])(me|mac)([^a-z]|$)`),
		[]string{"me.com", "icloud.com", "mac.com"}},
	{famAOL, regexp.MustCompile(`(^|[^a-z])aol([^a-z]|$)`),
		[]string{"aol.com"}},
	{famYandex, regexp.MustCompile(`yandex|(^|[^a-z])ya([^a-z]|$)`),
		[]string{"yandex.com", "yandex.ru", "yandex.net", "ya.ru"}},
	{famProton, regexp.MustCompile(`proton|(^|[^a-z])pm_?me([^a-z]|$)`),
		[]string{"proton.me", "protonmail.com", "protonmail.ch", "pm.me"}},
}

// notAFamilyRE names providers that look like a family but are not one:
// Yahoo Japan is a different company with different rules.
var notAFamilyRE = regexp.MustCompile(`yahoo.*(jp|japan)`)

// familyByID finds the family of a provider-table id, or "".
func familyByID(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" || len(id) > 100 || notAFamilyRE.MatchString(id) {
		return ""
	}
	for _, f := range families {
		if f.idRE.MatchString(id) {
			return f.id
		}
	}
	return ""
}

// familyByHost finds the family whose domains contain host, or "".
func familyByHost(host string) string {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == "" {
		return ""
	}
	for _, f := range families {
		for _, d := range f.hosts {
			if host == d || strings.HasSuffix(host, "."+d) {
				return f.id
			}
		}
	}
	return ""
}

// familyOf prefers the provider id, which knows hosted domains, over the host.
func familyOf(providerID, host string) string {
	if fam := familyByID(providerID); fam != "" {
		return fam
	}
	return familyByHost(host)
}

// familyName is the family's display name in lang, or "".
func familyName(fam, lang string) string {
	if fam == "" {
		return ""
	}
	return l10n.Text(lang, "family."+fam)
}

// providerNameFor names the provider of f for the {provider} placeholder:
// the table's name when the id is known, else the family's.
func providerNameFor(f Facts, lang string) string {
	if p := lookupProvider(f.ProviderID); p != nil {
		if n := p.DisplayName(lang); n != "" {
			return n
		}
	}
	return familyName(familyOf(f.ProviderID, f.Host), lang)
}
