package export

import (
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// renderAutodiscover writes an Autodiscover POX response that Outlook reads
// from a local file when PreferLocalXML is set. Encryption (SSL, TLS for
// STARTTLS, None) is what current Outlook reads; SSL on/off is kept for
// older readers that know only that element.
func renderAutodiscover(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needBoth, o); err != nil {
		return nil, err
	}
	l := langOf(o.Lang)
	domain := a.Domain()
	file, use := `C:\Mail\autodiscover-`+domain+`.xml`, "export.ad_use"
	if windowsPath(o.SavedAs) {
		file, use = o.SavedAs, "export.ad_use_saved"
	}
	reg := []string{
		"Windows Registry Editor Version 5.00",
		"",
		`[HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\AutoDiscover]`,
		`"PreferLocalXML"=dword:00000001`,
		`"` + domain + `"="` + strings.ReplaceAll(file, `\`, `\\`) + `"`,
		`"ExcludeExplicitO365Endpoint"=dword:00000001`,
	}
	usage := append([]string{l.t(use, "file", file), ""}, reg...)
	usage = append(usage, "", l.t("export.ad_o365"), l.t("export.ad_then", "email", a.Email))
	h := header{imapID: "export.id.outlook", servers: needBoth, pwMode: pwElsewhere, pwNotes: []string{l.t("export.ad_no_password")}, usage: usage,
		oauth: []string{l.t("export.oauth.ad"), outlookOAuthLine(a, l)}}

	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(xmlComment(h.lines(a, l), ""))
	b.WriteString(`<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">` + "\n")
	b.WriteString(`  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">` + "\n")
	if a.DisplayName != "" {
		b.WriteString("    <User>\n      " + xmlElem("DisplayName", a.DisplayName) + "\n    </User>\n")
	}
	b.WriteString("    <Account>\n      <AccountType>email</AccountType>\n      <Action>settings</Action>\n")
	adProtocol(&b, a, a.Incoming)
	adProtocol(&b, a, a.Outgoing)
	b.WriteString("    </Account>\n  </Response>\n</Autodiscover>\n")
	return []byte(b.String()), nil
}

func adProtocol(b *strings.Builder, a mailcfg.Account, s mailcfg.Server) {
	ind := "        "
	b.WriteString("      <Protocol>\n")
	b.WriteString(ind + xmlElem("Type", protocolName(s.Protocol)) + "\n")
	b.WriteString(ind + xmlElem("Server", s.Host) + "\n")
	b.WriteString(ind + xmlElem("Port", strconv.Itoa(s.Port)) + "\n")
	b.WriteString(ind + xmlElem("LoginName", login(a, s)) + "\n")
	b.WriteString(ind + "<DomainRequired>off</DomainRequired>\n")
	b.WriteString(ind + "<SPA>off</SPA>\n")
	ssl, enc := "on", "SSL"
	switch s.Security {
	case mailcfg.STARTTLS:
		enc = "TLS"
	case mailcfg.None:
		ssl, enc = "off", "None"
	}
	b.WriteString(ind + xmlElem("SSL", ssl) + "\n")
	b.WriteString(ind + xmlElem("Encryption", enc) + "\n")
	b.WriteString(ind + "<AuthRequired>on</AuthRequired>\n")
	if s.Protocol == mailcfg.SMTP {
		same := login(a, s) == login(a, a.Incoming)
		b.WriteString(ind + xmlElem("UsePOPAuth", onOff(same)) + "\n")
		b.WriteString(ind + "<SMTPLast>off</SMTPLast>\n")
	}
	b.WriteString("      </Protocol>\n")
}
