package export

import (
	"encoding/xml"
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
	b.WriteString("      <authentication>password-cleartext</authentication>\n")
	if s.Protocol == mailcfg.POP3 {
		b.WriteString("      <pop3>\n")
		b.WriteString("        " + xmlElem("leaveMessagesOnServer", strconv.FormatBool(a.LeaveOnServer)) + "\n")
		b.WriteString("      </pop3>\n")
	}
	b.WriteString("    </" + elem + ">\n")
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
