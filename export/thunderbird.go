package export

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// renderThunderbird writes a clientConfig 1.1 document (the ISPDB and
// autoconfig format). It describes the provider for every address of the
// domain, so user names that are the address or its local part become
// %EMAILADDRESS% and %EMAILLOCALPART%.
func renderThunderbird(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needBoth, o); err != nil {
		return nil, err
	}
	l := langOf(o.Lang)
	domain := a.Domain()
	h := header{imapID: "export.id.thunderbird", servers: needBoth, pwMode: pwElsewhere, pwNotes: []string{l.t("export.tb_password")},
		usage: []string{l.t("export.tb_use", "domain", domain)}}
	if a.SignsInWithOAuth2() {
		h.oauth = []string{thunderbirdOAuthLine(a, l)}
		h.usage = []string{l.t("export.oauth.tb_use", "domain", domain)}
	}

	display := a.ProviderName
	if display == "" {
		display = domain
	}
	short := a.ProviderName
	if short == "" {
		short, _, _ = strings.Cut(domain, ".")
	}

	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(xmlComment(h.lines(a, l), ""))
	b.WriteString(`<clientConfig version="1.1">` + "\n")
	b.WriteString(`  <emailProvider id="` + xmlEsc(domain) + `">` + "\n")
	b.WriteString("    " + xmlElem("domain", domain) + "\n")
	b.WriteString("    " + xmlElem("displayName", display) + "\n")
	b.WriteString("    " + xmlElem("displayShortName", short) + "\n")
	tbServer(&b, "incomingServer", a, a.Incoming)
	tbServer(&b, "outgoingServer", a, a.Outgoing)
	if a.HelpURL != "" {
		b.WriteString(`    <documentation url="` + xmlEsc(a.HelpURL) + `">` + "\n")
		descr := a.PasswordNote
		if descr == "" {
			descr = a.ProviderName
		}
		if descr != "" {
			b.WriteString(`      <descr lang="` + l.tag() + `">` + xmlEsc(descr) + "</descr>\n")
		}
		b.WriteString("    </documentation>\n")
	}
	b.WriteString("  </emailProvider>\n</clientConfig>\n")
	return []byte(b.String()), nil
}

func tbServer(b *strings.Builder, elem string, a mailcfg.Account, s mailcfg.Server) {
	b.WriteString(`    <` + elem + ` type="` + string(s.Protocol) + `">` + "\n")
	b.WriteString("      " + xmlElem("hostname", s.Host) + "\n")
	b.WriteString("      " + xmlElem("port", strconv.Itoa(s.Port)) + "\n")
	b.WriteString("      " + xmlElem("socketType", tbSocketType(s.Security)) + "\n")
	b.WriteString("      " + xmlElem("username", tbUsername(a, login(a, s))) + "\n")
	auth := "password-cleartext"
	if a.SignsInWithOAuth2() {
		// Thunderbird finds the issuer from the host name (below).
		auth = "OAuth2"
	}
	b.WriteString("      " + xmlElem("authentication", auth) + "\n")
	if s.Protocol == mailcfg.POP3 {
		b.WriteString("      <pop3>\n")
		b.WriteString("        " + xmlElem("leaveMessagesOnServer", strconv.FormatBool(a.LeaveOnServer)) + "\n")
		b.WriteString("      </pop3>\n")
	}
	b.WriteString("    </" + elem + ">\n")
}

// thunderbirdOAuthLine says whether Thunderbird can sign in with OAuth2
// on the account's servers: it does so only on hosts its own list of
// providers names.
func thunderbirdOAuthLine(a mailcfg.Account, l lang) string {
	var unknown []string
	for _, s := range []mailcfg.Server{a.Incoming, a.Outgoing} {
		if !thunderbirdKnowsOAuth(s.Host) && !slices.Contains(unknown, s.Host) {
			unknown = append(unknown, s.Host)
		}
	}
	if len(unknown) == 0 {
		return l.t("export.oauth.tb_known")
	}
	return l.t("export.oauth.tb_unknown", "hosts", strings.Join(unknown, ", "))
}

// thunderbirdOAuthHosts are the host names, and the parent domains, for
// which Thunderbird knows an OAuth2 issuer (its OAuth2Providers.sys.mjs,
// comm-central as of 2025: Google, Microsoft, Yahoo, AOL, Yandex,
// Mail.ru, Fastmail, Comcast). It looks a host up, then each parent domain.
var thunderbirdOAuthHosts = map[string]bool{
	"imap.googlemail.com": true, "smtp.googlemail.com": true, "pop.googlemail.com": true,
	"imap.gmail.com": true, "smtp.gmail.com": true, "pop.gmail.com": true,
	"imap.mail.ru": true, "smtp.mail.ru": true,
	"imap.yandex.com": true, "smtp.yandex.com": true,
	"imap.mail.yahoo.com": true, "pop.mail.yahoo.com": true, "smtp.mail.yahoo.com": true,
	"imap.aol.com": true, "pop.aol.com": true, "smtp.aol.com": true,
	"office365.com": true, "outlook.com": true, "hotmail.com": true,
	"imap.fastmail.com": true, "pop.fastmail.com": true, "smtp.fastmail.com": true,
	"imap.comcast.net": true, "pop.comcast.net": true, "smtp.comcast.net": true,
}

func thunderbirdKnowsOAuth(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	for strings.Contains(h, ".") {
		if thunderbirdOAuthHosts[h] {
			return true
		}
		_, h, _ = strings.Cut(h, ".")
	}
	return false
}

func tbSocketType(s mailcfg.Security) string {
	switch s {
	case mailcfg.TLS:
		return "SSL"
	case mailcfg.STARTTLS:
		return "STARTTLS"
	}
	return "plain"
}

func tbUsername(a mailcfg.Account, user string) string {
	switch user {
	case a.Email:
		return "%EMAILADDRESS%"
	case a.LocalPart():
		return "%EMAILLOCALPART%"
	}
	return user
}

func xmlElem(name, text string) string { return "<" + name + ">" + xmlEsc(text) + "</" + name + ">" }

func xmlEsc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
