package discover

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// Autodiscover actions (the Action element of a POX response).
const (
	ActionSettings     = "settings"
	ActionRedirectAddr = "redirectAddr"
	ActionRedirectURL  = "redirectUrl"
)

// AutodiscoverResult is a parsed Autodiscover (POX) response.
type AutodiscoverResult struct {
	DisplayName string
	// Action is settings, redirectAddr or redirectUrl ("" when absent).
	Action string
	// RedirectAddr and RedirectURL are set by the matching actions; the
	// caller decides whether to follow them.
	RedirectAddr string
	RedirectURL  string
	// Servers are the POP3, IMAP and SMTP blocks in document order.
	Servers []mailcfg.Server
	// Protocols are the same blocks read in full, Protocols[i] describing
	// Servers[i].
	Protocols []AutodiscoverProtocol
	// Skipped says why Protocol blocks were left out.
	Skipped []string
}

// AutodiscoverProtocol is one POP3, IMAP or SMTP Protocol element with
// every setting MS-OXDSCLI gives it. On/off settings are "on", "off" or ""
// (absent).
type AutodiscoverProtocol struct {
	Server mailcfg.Server
	// LoginName is the element as given, "" when absent (Server.Username
	// is then the address asked about).
	LoginName string
	// Encryption is None, SSL, TLS or Auto as given, "" when absent.
	Encryption string
	// SSL: off means no encryption; on (the default) means TLS of the
	// kind the port implies.
	SSL string
	// SPA on: Secure Password Authentication (NTLM or Kerberos) instead of
	// a plain password.
	SPA string
	// DomainRequired on: the login needs the domain (DOMAIN\user).
	DomainRequired string
	// AuthRequired off: the (SMTP) server takes mail without a login.
	AuthRequired string
	// UsePOPAuth on: SMTP logs in with the incoming server's credentials.
	UsePOPAuth string
	// SMTPLast on: send only after receiving (POP before SMTP).
	SMTPLast string
}

// AuthMethods names how the block says to log in, in autoconfig's
// vocabulary: NTLM for SPA, none when no login is required, else
// password-cleartext.
func (p AutodiscoverProtocol) AuthMethods() []string {
	switch {
	case p.SPA == "on":
		return []string{"NTLM"}
	case p.AuthRequired == "off":
		return []string{"none"}
	}
	return []string{"password-cleartext"}
}

// Settings lists the on/off settings that were given, as "SPA=off", for
// verbose output.
func (p AutodiscoverProtocol) Settings() []string {
	var out []string
	for _, kv := range [][2]string{{"Encryption", p.Encryption}, {"SSL", p.SSL}, {"SPA", p.SPA},
		{"DomainRequired", p.DomainRequired}, {"AuthRequired", p.AuthRequired},
		{"UsePOPAuth", p.UsePOPAuth}, {"SMTPLast", p.SMTPLast}} {
		if kv[1] != "" {
			out = append(out, kv[0]+"="+kv[1])
		}
	}
	return out
}

type xmlAutodiscover struct {
	XMLName  xml.Name `xml:"Autodiscover"`
	Response struct {
		User struct {
			DisplayName string `xml:"DisplayName"`
		} `xml:"User"`
		Account struct {
			Action       string          `xml:"Action"`
			RedirectAddr string          `xml:"RedirectAddr"`
			RedirectURL  string          `xml:"RedirectUrl"`
			Protocols    []xmlADProtocol `xml:"Protocol"`
		} `xml:"Account"`
		Error *xmlADError `xml:"Error"`
	} `xml:"Response"`
}

type xmlADError struct {
	Code    string `xml:"ErrorCode"`
	Message string `xml:"Message"`
}

type xmlADProtocol struct {
	Type           string `xml:"Type"`
	Server         string `xml:"Server"`
	Port           string `xml:"Port"`
	LoginName      string `xml:"LoginName"`
	DomainRequired string `xml:"DomainRequired"`
	SPA            string `xml:"SPA"`
	SSL            string `xml:"SSL"`
	Encryption     string `xml:"Encryption"`
	AuthRequired   string `xml:"AuthRequired"`
	UsePOPAuth     string `xml:"UsePOPAuth"`
	SMTPLast       string `xml:"SMTPLast"`
}

// ParseAutodiscover parses an Outlook Autodiscover POX response for addr.
// It has the same limits as ParseClientConfig. A response carrying an Error
// element returns *AutodiscoverError; one with a redirect action (or,
// without an Action, a RedirectAddr or RedirectUrl) returns the redirect
// and no servers.
func ParseAutodiscover(r io.Reader, addr mailcfg.Address) (*AutodiscoverResult, error) {
	var doc xmlAutodiscover
	if err := decodeDocument(r, &doc, "an Autodiscover"); err != nil {
		return nil, err
	}
	resp := doc.Response
	if e := resp.Error; e != nil {
		return nil, &AutodiscoverError{Code: strings.TrimSpace(e.Code), Message: strings.TrimSpace(e.Message)}
	}
	acct := resp.Account
	res := &AutodiscoverResult{
		DisplayName: strings.TrimSpace(resp.User.DisplayName),
		Action:      strings.TrimSpace(acct.Action),
	}
	redirectAddr, redirectURL := strings.TrimSpace(acct.RedirectAddr), strings.TrimSpace(acct.RedirectURL)
	switch {
	case strings.EqualFold(res.Action, ActionRedirectAddr), res.Action == "" && redirectAddr != "":
		res.Action, res.RedirectAddr = ActionRedirectAddr, redirectAddr
		if res.RedirectAddr == "" {
			return nil, fmt.Errorf("%w: redirectAddr without an address", ErrMalformed)
		}
		return res, nil
	case strings.EqualFold(res.Action, ActionRedirectURL), res.Action == "" && redirectURL != "":
		res.Action, res.RedirectURL = ActionRedirectURL, redirectURL
		if res.RedirectURL == "" {
			return nil, fmt.Errorf("%w: redirectUrl without a URL", ErrMalformed)
		}
		return res, nil
	}
	for _, p := range acct.Protocols {
		if ap, why := p.protocol(addr); why != "" {
			res.Skipped = append(res.Skipped, why)
		} else {
			res.Servers = append(res.Servers, ap.Server)
			res.Protocols = append(res.Protocols, ap)
		}
	}
	if len(res.Servers) == 0 {
		return nil, noServersError(res.Skipped)
	}
	return res, nil
}

// onOff normalises an on/off element; anything else counts as absent.
func onOff(s string) string {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "on", "off":
		return v
	}
	return ""
}

func (p xmlADProtocol) protocol(addr mailcfg.Address) (AutodiscoverProtocol, string) {
	var proto mailcfg.Protocol
	switch strings.ToUpper(strings.TrimSpace(p.Type)) {
	case "POP3", "POP":
		proto = mailcfg.POP3
	case "IMAP":
		proto = mailcfg.IMAP
	case "SMTP":
		proto = mailcfg.SMTP
	default:
		return AutodiscoverProtocol{}, fmt.Sprintf("protocol %q is not POP3, IMAP or SMTP", p.Type)
	}
	host, ok := cleanHost(p.Server)
	if !ok {
		return AutodiscoverProtocol{}, fmt.Sprintf("%s: bad server name %q", proto, p.Server)
	}
	port := 0
	if s := strings.TrimSpace(p.Port); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return AutodiscoverProtocol{}, fmt.Sprintf("%s server %s: bad port %q", proto, host, p.Port)
		}
		port = n
	}
	sec, ok := autodiscoverSecurity(p.Encryption, p.SSL, port)
	if !ok {
		return AutodiscoverProtocol{}, fmt.Sprintf("%s server %s: unknown encryption %q", proto, host, p.Encryption)
	}
	if port == 0 {
		port = defaultPort(proto, sec)
	}
	ap := AutodiscoverProtocol{
		LoginName:      strings.TrimSpace(p.LoginName),
		Encryption:     strings.TrimSpace(p.Encryption),
		SSL:            onOff(p.SSL),
		SPA:            onOff(p.SPA),
		DomainRequired: onOff(p.DomainRequired),
		AuthRequired:   onOff(p.AuthRequired),
		UsePOPAuth:     onOff(p.UsePOPAuth),
		SMTPLast:       onOff(p.SMTPLast),
	}
	user := ap.LoginName
	if user == "" {
		user = addr.ASCIIString()
	}
	ap.Server = mailcfg.Server{Protocol: proto, Host: host, Port: port, Security: sec, Username: user}
	return ap, ""
}

// plainStartPort reports the standard ports that start in plain text, where
// "some TLS" means STARTTLS.
func plainStartPort(port int) bool {
	switch port {
	case 110, 143, 25, 587:
		return true
	}
	return false
}

// implicitTLSPort reports the standard ports that speak TLS from the first byte.
func implicitTLSPort(port int) bool {
	switch port {
	case 995, 993, 465:
		return true
	}
	return false
}

// autodiscoverSecurity reads Encryption (None, SSL = implicit TLS, TLS =
// STARTTLS, Auto), which overrides SSL (on, the default, or off). "SSL on"
// and "Auto" do not say which TLS: as Outlook and Thunderbird do, 110,
// 143, 25 and 587 mean STARTTLS and every other port implicit TLS. A
// standard port wins over an Encryption that contradicts it (SSL on 587,
// TLS on 993), which would otherwise never connect.
func autodiscoverSecurity(encryption, ssl string, port int) (mailcfg.Security, bool) {
	byPort := func() mailcfg.Security {
		if plainStartPort(port) {
			return mailcfg.STARTTLS
		}
		return mailcfg.TLS
	}
	switch strings.ToLower(strings.TrimSpace(encryption)) {
	case "none":
		return mailcfg.None, true
	case "ssl":
		if plainStartPort(port) {
			return mailcfg.STARTTLS, true
		}
		return mailcfg.TLS, true
	case "tls":
		if implicitTLSPort(port) {
			return mailcfg.TLS, true
		}
		return mailcfg.STARTTLS, true
	case "auto":
		return byPort(), true
	case "":
	default:
		return "", false
	}
	if strings.EqualFold(strings.TrimSpace(ssl), "off") {
		return mailcfg.None, true
	}
	return byPort(), true
}

// defaultPort is the first standard port of proto with security sec.
func defaultPort(proto mailcfg.Protocol, sec mailcfg.Security) int {
	eps := mailcfg.StandardEndpoints(proto)
	for _, ep := range eps {
		if ep.Security == sec {
			return ep.Port
		}
	}
	if sec == mailcfg.None && len(eps) > 1 {
		return eps[1].Port // the plain port is the STARTTLS one
	}
	return eps[0].Port
}

// autodiscoverRequest is the POX request body for address.
func autodiscoverRequest(address string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">` + "\n")
	b.WriteString("  <Request>\n    <EMailAddress>")
	xml.EscapeText(&b, []byte(address))
	b.WriteString("</EMailAddress>\n")
	b.WriteString("    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\n")
	b.WriteString("  </Request>\n</Autodiscover>\n")
	return b.Bytes()
}
