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
	// Skipped says why Protocol blocks were left out.
	Skipped []string
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
	Type       string `xml:"Type"`
	Server     string `xml:"Server"`
	Port       string `xml:"Port"`
	LoginName  string `xml:"LoginName"`
	SSL        string `xml:"SSL"`
	Encryption string `xml:"Encryption"`
}

// ParseAutodiscover parses an Outlook Autodiscover POX response for addr.
// It has the same limits as ParseClientConfig. A response carrying an Error
// element returns *AutodiscoverError; one with a redirect action returns
// the redirect and no servers.
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
	switch {
	case strings.EqualFold(res.Action, ActionRedirectAddr):
		res.Action = ActionRedirectAddr
		res.RedirectAddr = strings.TrimSpace(acct.RedirectAddr)
		if res.RedirectAddr == "" {
			return nil, fmt.Errorf("%w: redirectAddr without an address", ErrMalformed)
		}
		return res, nil
	case strings.EqualFold(res.Action, ActionRedirectURL):
		res.Action = ActionRedirectURL
		res.RedirectURL = strings.TrimSpace(acct.RedirectURL)
		if res.RedirectURL == "" {
			return nil, fmt.Errorf("%w: redirectUrl without a URL", ErrMalformed)
		}
		return res, nil
	}
	for _, p := range acct.Protocols {
		if s, why := p.server(addr); why != "" {
			res.Skipped = append(res.Skipped, why)
		} else {
			res.Servers = append(res.Servers, s)
		}
	}
	if len(res.Servers) == 0 {
		return nil, noServersError(res.Skipped)
	}
	return res, nil
}

func (p xmlADProtocol) server(addr mailcfg.Address) (mailcfg.Server, string) {
	var proto mailcfg.Protocol
	switch strings.ToUpper(strings.TrimSpace(p.Type)) {
	case "POP3":
		proto = mailcfg.POP3
	case "IMAP":
		proto = mailcfg.IMAP
	case "SMTP":
		proto = mailcfg.SMTP
	default:
		return mailcfg.Server{}, fmt.Sprintf("protocol %q is not POP3, IMAP or SMTP", p.Type)
	}
	host, ok := cleanHost(p.Server)
	if !ok {
		return mailcfg.Server{}, fmt.Sprintf("%s: bad server name %q", proto, p.Server)
	}
	port := 0
	if s := strings.TrimSpace(p.Port); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return mailcfg.Server{}, fmt.Sprintf("%s server %s: bad port %q", proto, host, p.Port)
		}
		port = n
	}
	sec, ok := autodiscoverSecurity(p.Encryption, p.SSL, port)
	if !ok {
		return mailcfg.Server{}, fmt.Sprintf("%s server %s: unknown encryption %q", proto, host, p.Encryption)
	}
	if port == 0 {
		port = defaultPort(proto, sec)
	}
	user := strings.TrimSpace(p.LoginName)
	if user == "" {
		user = addr.ASCIIString()
	}
	return mailcfg.Server{Protocol: proto, Host: host, Port: port, Security: sec, Username: user}, ""
}

// autodiscoverSecurity reads Encryption (None, SSL = implicit TLS, TLS =
// STARTTLS, Auto), which overrides SSL (on, the default, or off). "SSL on"
// and "Auto" do not say which TLS: the port decides, as Outlook does, so
// 587, 143 and 110 mean STARTTLS and everything else implicit TLS.
func autodiscoverSecurity(encryption, ssl string, port int) (mailcfg.Security, bool) {
	byPort := func() mailcfg.Security {
		if _, sec, ok := mailcfg.InferFromPort(port); ok {
			return sec
		}
		return mailcfg.TLS
	}
	switch strings.ToLower(strings.TrimSpace(encryption)) {
	case "none":
		return mailcfg.None, true
	case "ssl":
		return mailcfg.TLS, true
	case "tls":
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
