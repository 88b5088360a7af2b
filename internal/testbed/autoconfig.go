package testbed

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

// Where Thunderbird's ISPDB lives; the ISPDB server answers under this
// name, so a discoverer that uses the real URL reaches the test bed.
const (
	ISPDBHost = "autoconfig.thunderbird.net"
	ISPDBURL  = "https://" + ISPDBHost + "/v1.1/"
)

// Paths a provider serves its autoconfig file at (Thunderbird's order).
const (
	AutoconfigPath          = "/mail/config-v1.1.xml"
	AutoconfigWellKnownPath = "/.well-known/autoconfig/mail/config-v1.1.xml"
	AutodiscoverPath        = "/autodiscover/autodiscover.xml"
)

// EmailAddressPlaceholder in a username is replaced by the address asked about.
const EmailAddressPlaceholder = "%EMAILADDRESS%"

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

var socketType = map[mailcfg.Security]string{mailcfg.TLS: "SSL", mailcfg.STARTTLS: "STARTTLS", mailcfg.None: "plain"}

// AutoconfigXML is a Thunderbird config-v1.1.xml for domain listing
// servers in order; an empty Username becomes %EMAILADDRESS%.
func AutoconfigXML(domain string, servers ...mailcfg.Server) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p(`<?xml version="1.0" encoding="UTF-8"?>`)
	p(`<clientConfig version="1.1">`)
	p(`  <emailProvider id="%s">`, xmlEscape(domain))
	p(`    <domain>%s</domain>`, xmlEscape(domain))
	p(`    <displayName>%s test mail</displayName>`, xmlEscape(domain))
	p(`    <displayShortName>%s</displayShortName>`, xmlEscape(strings.Split(domain, ".")[0]))
	for _, s := range servers {
		elem := "incomingServer"
		if s.Protocol == mailcfg.SMTP {
			elem = "outgoingServer"
		}
		user := s.Username
		if user == "" {
			user = EmailAddressPlaceholder
		}
		p(`    <%s type="%s">`, elem, s.Protocol)
		p(`      <hostname>%s</hostname>`, xmlEscape(s.Host))
		p(`      <port>%d</port>`, s.Port)
		p(`      <socketType>%s</socketType>`, socketType[s.Security])
		p(`      <username>%s</username>`, xmlEscape(user))
		p(`      <authentication>password-cleartext</authentication>`)
		if s.Protocol == mailcfg.POP3 {
			p(`      <pop3>`)
			p(`        <leaveMessagesOnServer>true</leaveMessagesOnServer>`)
			p(`      </pop3>`)
		}
		p(`    </%s>`, elem)
	}
	p(`  </emailProvider>`)
	p(`</clientConfig>`)
	return b.String()
}

// AutoconfigHandler serves xml at AutoconfigPath and AutoconfigWellKnownPath
// (any query, such as ?emailaddress=…, is accepted) and 404 elsewhere.
func AutoconfigHandler(xmlDoc string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path != AutoconfigPath && r.URL.Path != AutoconfigWellKnownPath {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, xmlDoc)
	})
}

// AutodiscoverXML is an Autodiscover POX response ("outlook" schema)
// listing servers; an empty Username becomes %EMAILADDRESS%, which
// AutodiscoverHandler fills from the request.
func AutodiscoverXML(servers ...mailcfg.Server) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p(`<?xml version="1.0" encoding="utf-8"?>`)
	p(`<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">`)
	p(`  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">`)
	p(`    <Account>`)
	p(`      <AccountType>email</AccountType>`)
	p(`      <Action>settings</Action>`)
	for _, s := range servers {
		user := s.Username
		if user == "" {
			user = EmailAddressPlaceholder
		}
		ssl, enc := "on", "SSL"
		switch s.Security {
		case mailcfg.STARTTLS:
			enc = "TLS"
		case mailcfg.None:
			ssl, enc = "off", "None"
		}
		p(`      <Protocol>`)
		p(`        <Type>%s</Type>`, strings.ToUpper(string(s.Protocol)))
		p(`        <Server>%s</Server>`, xmlEscape(s.Host))
		p(`        <Port>%d</Port>`, s.Port)
		p(`        <LoginName>%s</LoginName>`, xmlEscape(user))
		p(`        <DomainRequired>off</DomainRequired>`)
		p(`        <SPA>off</SPA>`)
		p(`        <SSL>%s</SSL>`, ssl)
		p(`        <Encryption>%s</Encryption>`, enc)
		p(`        <AuthRequired>on</AuthRequired>`)
		if s.Protocol == mailcfg.SMTP {
			p(`        <UsePOPAuth>on</UsePOPAuth>`)
		}
		p(`      </Protocol>`)
	}
	p(`    </Account>`)
	p(`  </Response>`)
	p(`</Autodiscover>`)
	return b.String()
}

var requestedAddress = regexp.MustCompile(`(?is)<EMailAddress>\s*([^<\s]+)\s*</EMailAddress>`)

// AutodiscoverHandler answers POSTs to AutodiscoverPath (in any case, as
// Outlook capitalises it) with xml, %EMAILADDRESS% replaced by the
// request's EMailAddress. Other methods get 405, other paths 404.
func AutodiscoverHandler(xmlDoc string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, ok := autodiscoverRequestAddress(w, r)
		if !ok {
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, strings.ReplaceAll(xmlDoc, EmailAddressPlaceholder, xmlEscape(addr)))
	})
}

// ISPDBHandler serves entries (domain → config-v1.1.xml) at GET /v1.1/<domain>.
func ISPDBHandler(entries map[string]string) http.Handler {
	lower := map[string]string{}
	for d, x := range entries {
		lower[strings.ToLower(d)] = x
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		domain, ok := strings.CutPrefix(r.URL.Path, "/v1.1/")
		x, found := lower[strings.ToLower(domain)]
		if !ok || !found || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(x)))
		io.WriteString(w, x)
	})
}

// ISPDB starts an ISPDB look-alike on ip (empty: a new address) answering
// as ISPDBHost with a valid certificate, so ISPDBURL reaches it.
func (b *Bed) ISPDB(t testing.TB, ip string, entries map[string]string) *WebServer {
	if t != nil {
		t.Helper()
	}
	return b.HTTPS(t, ip, []string{ISPDBHost}, CertValid, ISPDBHandler(entries))
}
