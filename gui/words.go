package gui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// The engine's words (statuses, probe phases, roles, reasons) come from
// the l10n catalogue that the command line uses too, in the language the
// window speaks; the window's own labels come from its translations.

// statusText says a probe status in a few plain words.
func statusText(s mailcfg.Status) string {
	if s == "" {
		s = mailcfg.StatusPending
	}
	return l10n.Text(currentLanguage(), "status."+string(s)+".long")
}

// phaseText says what a running probe is doing.
func phaseText(p string) string {
	code := "phase." + p + ".running"
	if !l10n.Has(code) {
		return statusText(mailcfg.StatusPending)
	}
	return l10n.Text(currentLanguage(), code)
}

// roleText names a role, as a title: "Incoming", "收信".
func roleText(r mailcfg.Role) string {
	if r != mailcfg.Outgoing {
		r = mailcfg.Incoming
	}
	return capitalized(l10n.Text(currentLanguage(), "role."+string(r)))
}

// capitalized starts s with a capital letter; Chinese has none.
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// securityText names a security mode for people.
func securityText(s mailcfg.Security) string {
	switch s {
	case mailcfg.TLS:
		return lang.X("security.tls", "SSL/TLS")
	case mailcfg.STARTTLS:
		return lang.X("security.starttls", "STARTTLS")
	case mailcfg.None:
		return lang.X("security.none", "None (unencrypted)")
	}
	return string(s)
}

// securityOptions lists the modes in menu order, with their labels.
func securityOptions() ([]mailcfg.Security, []string) {
	modes := []mailcfg.Security{mailcfg.TLS, mailcfg.STARTTLS, mailcfg.None}
	labels := make([]string, len(modes))
	for i, m := range modes {
		labels[i] = securityText(m)
	}
	return modes, labels
}

// protocolText names a protocol.
func protocolText(p mailcfg.Protocol) string {
	switch p {
	case mailcfg.POP3:
		return lang.X("protocol.pop3", "POP3")
	case mailcfg.IMAP:
		return lang.X("protocol.imap", "IMAP")
	case mailcfg.SMTP:
		return lang.X("protocol.smtp", "SMTP")
	}
	return strings.ToUpper(string(p))
}

// sourceText names a discovery source.
func sourceText(s string) string {
	switch s {
	case "builtin":
		return lang.X("source.builtin", "built-in table")
	case "srv":
		return lang.X("source.srv", "DNS SRV records")
	case "autoconfig":
		return lang.X("source.autoconfig", "provider's autoconfig")
	case "ispdb":
		return lang.X("source.ispdb", "Thunderbird's database")
	case "mx":
		return lang.X("source.mx", "MX records")
	case "autodiscover":
		return lang.X("source.autodiscover", "Autodiscover")
	case "guess":
		return lang.X("source.guess", "educated guess")
	}
	return s
}

// listSep joins the items of a list: ", " in English, "、" in Chinese.
func listSep() string { return lang.X("sep.list", ", ") }

// detailSep joins the parts of a row's explanation.
func detailSep() string { return lang.X("sep.detail", " — ") }
