package discover

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// ClientConfig is a parsed Thunderbird config-v1.1.xml document, with the
// address placeholders already substituted.
type ClientConfig struct {
	ProviderID  string
	DisplayName string
	Domains     []string
	// Incoming and Outgoing keep the document's order, which is its preference.
	Incoming []ConfigServer
	Outgoing []ConfigServer
	// Skipped says why servers of the document were left out (exchange
	// entries, bad ports, …), for verbose output.
	Skipped []string
}

// ConfigServer is one server of a ClientConfig.
type ConfigServer struct {
	mailcfg.Server
	// Auth lists the document's authentication methods as written:
	// password-cleartext, password-encrypted, OAuth2, …
	Auth []string
}

// Servers returns the incoming then the outgoing servers.
func (c *ClientConfig) Servers() []ConfigServer {
	out := make([]ConfigServer, 0, len(c.Incoming)+len(c.Outgoing))
	return append(append(out, c.Incoming...), c.Outgoing...)
}

type xmlClientConfig struct {
	XMLName   xml.Name           `xml:"clientConfig"`
	Providers []xmlEmailProvider `xml:"emailProvider"`
}

type xmlEmailProvider struct {
	ID          string      `xml:"id,attr"`
	Domains     []string    `xml:"domain"`
	DisplayName string      `xml:"displayName"`
	Incoming    []xmlServer `xml:"incomingServer"`
	Outgoing    []xmlServer `xml:"outgoingServer"`
}

type xmlServer struct {
	Type       string   `xml:"type,attr"`
	Hostname   string   `xml:"hostname"`
	Port       string   `xml:"port"` // a string so one bad port skips one server, not the document
	SocketType string   `xml:"socketType"`
	Username   string   `xml:"username"`
	Auth       []string `xml:"authentication"`
}

// ParseClientConfig parses a config-v1.1.xml document for addr. Servers of
// other kinds (exchange, ews, …) and servers with a bad host or port are
// skipped; the document is refused when it is over MaxDocumentSize, not
// well-formed, declares a DOCTYPE, or leaves no server at all.
func ParseClientConfig(r io.Reader, addr mailcfg.Address) (*ClientConfig, error) {
	var doc xmlClientConfig
	if err := decodeDocument(r, &doc, "a clientConfig"); err != nil {
		return nil, err
	}
	if len(doc.Providers) == 0 {
		return nil, fmt.Errorf("%w: clientConfig has no emailProvider", ErrMalformed)
	}
	p := doc.Providers[0]
	cfg := &ClientConfig{
		ProviderID:  strings.TrimSpace(p.ID),
		DisplayName: strings.TrimSpace(p.DisplayName),
	}
	for _, d := range p.Domains {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			cfg.Domains = append(cfg.Domains, d)
		}
	}
	subst := placeholders(addr)
	for _, x := range p.Incoming {
		if s, why := x.server(mailcfg.Incoming, subst, addr); why != "" {
			cfg.Skipped = append(cfg.Skipped, why)
		} else {
			cfg.Incoming = append(cfg.Incoming, s)
		}
	}
	for _, x := range p.Outgoing {
		if s, why := x.server(mailcfg.Outgoing, subst, addr); why != "" {
			cfg.Skipped = append(cfg.Skipped, why)
		} else {
			cfg.Outgoing = append(cfg.Outgoing, s)
		}
	}
	if len(cfg.Incoming)+len(cfg.Outgoing) == 0 {
		return nil, noServersError(cfg.Skipped)
	}
	return cfg, nil
}

// placeholders substitutes Thunderbird's address variables. Hosts need the
// punycode domain, and the login uses the same form as the built-in table.
func placeholders(addr mailcfg.Address) *strings.Replacer {
	return strings.NewReplacer(
		"%EMAILADDRESS%", addr.ASCIIString(),
		"%EMAILLOCALPART%", addr.Local,
		"%EMAILDOMAIN%", addr.ASCII,
	)
}

// server converts one entry, or says why it was skipped.
func (x xmlServer) server(role mailcfg.Role, subst *strings.Replacer, addr mailcfg.Address) (ConfigServer, string) {
	kind := strings.ToLower(strings.TrimSpace(x.Type))
	proto, err := mailcfg.ParseProtocol(kind)
	if err != nil || kind == "submission" || proto.Role() != role {
		return ConfigServer{}, fmt.Sprintf("%s server of type %q is not POP3, IMAP or SMTP", role, x.Type)
	}
	host, ok := cleanHost(subst.Replace(x.Hostname))
	if !ok {
		return ConfigServer{}, fmt.Sprintf("%s server: bad host name %q", proto, x.Hostname)
	}
	port, err := strconv.Atoi(strings.TrimSpace(x.Port))
	if err != nil || port < 1 || port > 65535 {
		return ConfigServer{}, fmt.Sprintf("%s server %s: bad port %q", proto, host, x.Port)
	}
	sec, ok := socketSecurity(x.SocketType, port)
	if !ok {
		return ConfigServer{}, fmt.Sprintf("%s server %s: unknown socketType %q", proto, host, x.SocketType)
	}
	user := strings.TrimSpace(subst.Replace(x.Username))
	if user == "" {
		user = addr.ASCIIString()
	}
	var auth []string
	for _, a := range x.Auth {
		if a = strings.TrimSpace(a); a != "" {
			auth = append(auth, a)
		}
	}
	return ConfigServer{
		Server: mailcfg.Server{Protocol: proto, Host: host, Port: port, Security: sec, Username: user},
		Auth:   auth,
	}, ""
}

// socketSecurity maps socketType; when it is missing, the port decides.
func socketSecurity(socketType string, port int) (mailcfg.Security, bool) {
	switch strings.ToUpper(strings.TrimSpace(socketType)) {
	case "SSL", "TLS":
		return mailcfg.TLS, true
	case "STARTTLS":
		return mailcfg.STARTTLS, true
	case "PLAIN":
		return mailcfg.None, true
	case "":
		if _, sec, ok := mailcfg.InferFromPort(port); ok {
			return sec, true
		}
		return mailcfg.None, true
	}
	return "", false
}
