package providers

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"mailsetup/internal/refdata"
	"mailsetup/mailcfg"
)

// The cross-check against Thunderbird's ISP database (a read-only copy in
// ../shared/ispdb seen from the module root, or $MAILSETUP_ISPDB; see refdata). For every domain both know,
// each server the table lists must match, by host, port and security, some
// ISPDB server of the same protocol — unless ISPDB lists no server of that
// protocol at all (it is silent, not contradicting), or the entry's
// ISPDBDiffers explains the difference. An ISPDBDiffers that explains
// nothing (every shared domain agrees) is reported as stale too.

// ispdbMinShared guards against a parser that silently finds nothing: the
// table and ISPDB share far more domains than this.
const ispdbMinShared = 40

type ispdbDoc struct {
	XMLName   xml.Name        `xml:"clientConfig"`
	Providers []ispdbProvider `xml:"emailProvider"`
}

type ispdbProvider struct {
	Domains  []string      `xml:"domain"`
	Incoming []ispdbServer `xml:"incomingServer"`
	Outgoing []ispdbServer `xml:"outgoingServer"`
}

type ispdbServer struct {
	Type       string `xml:"type,attr"`
	Hostname   string `xml:"hostname"`
	Port       string `xml:"port"`
	SocketType string `xml:"socketType"`
	Username   string `xml:"username"`
}

// ispdbEntry is one ISPDB server in the table's vocabulary.
type ispdbEntry struct {
	file string
	Server
}

// loadISPDB maps each ISPDB domain to its servers.
func loadISPDB(t *testing.T) map[string][]ispdbEntry {
	t.Helper()
	files := refdata.ISPDBFiles(t, "every server of the built-in table")
	byDomain := make(map[string][]ispdbEntry)
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc ispdbDoc
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
		for _, p := range doc.Providers {
			for _, d := range p.Domains {
				d = strings.ToLower(strings.TrimSpace(d))
				for _, s := range append(append([]ispdbServer(nil), p.Incoming...), p.Outgoing...) {
					if e, ok := convertISPDB(s, d); ok {
						e.file = filepath.Base(path)
						byDomain[d] = append(byDomain[d], e)
					}
				}
			}
		}
	}
	return byDomain
}

// convertISPDB turns an ISPDB server into the table's terms; servers of other
// kinds (exchange, ews, graph …) are skipped.
func convertISPDB(s ispdbServer, domain string) (ispdbEntry, bool) {
	proto, err := mailcfg.ParseProtocol(s.Type)
	if err != nil {
		return ispdbEntry{}, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(s.Port))
	if err != nil {
		return ispdbEntry{}, false
	}
	var sec mailcfg.Security
	switch strings.TrimSpace(s.SocketType) {
	case "SSL":
		sec = mailcfg.TLS
	case "STARTTLS":
		sec = mailcfg.STARTTLS
	case "plain":
		sec = mailcfg.None
	default:
		return ispdbEntry{}, false
	}
	host := strings.ToLower(strings.TrimSpace(s.Hostname))
	host = strings.ReplaceAll(host, "%emaildomain%", domain)
	// The login form, where ISPDB gives one of the two the table knows.
	user := map[string]string{"%EMAILADDRESS%": "address", "%EMAILLOCALPART%": "localpart"}[strings.TrimSpace(s.Username)]
	return ispdbEntry{Server: Server{Protocol: proto, Host: host, Port: port, Security: sec, Username: user}}, true
}

// sameEndpoint compares servers without their login forms.
func sameEndpoint(a, b Server) bool {
	a.Username, b.Username = "", ""
	return a == b
}

// loginForm is the form the table gives server s of p.
func loginForm(p *Provider, s Server) string {
	if s.Username != "" {
		return s.Username
	}
	return p.Username
}

func TestAgreesWithISPDB(t *testing.T) {
	ispdb := loadISPDB(t)
	var problems []string
	shared := 0
	for _, p := range All() {
		mismatches := 0
		var found []string
		for _, d := range p.Domains {
			theirs, ok := ispdb[d]
			if !ok {
				continue
			}
			shared++
			for _, ours := range append(append([]Server(nil), p.Incoming...), p.Outgoing...) {
				var sameProto []string
				match := false
				for _, e := range theirs {
					if e.Protocol != ours.Protocol {
						continue
					}
					sameProto = append(sameProto, fmt.Sprintf("%s:%d/%s", e.Host, e.Port, e.Security))
					if !sameEndpoint(e.Server, ours) {
						continue
					}
					match = true
					if e.Username != "" && e.Username != loginForm(p, ours) {
						mismatches++
						found = append(found, fmt.Sprintf("%s: %s %s:%d user name is the %s, ISPDB %s says the %s",
							d, ours.Protocol, ours.Host, ours.Port, loginForm(p, ours), e.file, e.Username))
					}
				}
				if match || len(sameProto) == 0 {
					continue
				}
				mismatches++
				found = append(found, fmt.Sprintf("%s: %s %s:%d/%s not in ISPDB %s (%s)",
					d, ours.Protocol, ours.Host, ours.Port, ours.Security, theirs[0].file, strings.Join(sameProto, ", ")))
			}
		}
		switch {
		case mismatches > 0 && p.ISPDBDiffers == "":
			problems = append(problems, fmt.Sprintf("%s disagrees with ISPDB and ispdb_differs is empty:\n\t\t%s",
				p.ID, strings.Join(found, "\n\t\t")))
		case mismatches == 0 && p.ISPDBDiffers != "" && sharesDomain(p, ispdb):
			problems = append(problems, fmt.Sprintf("%s agrees with ISPDB on every shared domain, but ispdb_differs says %q",
				p.ID, p.ISPDBDiffers))
		}
	}
	if shared < ispdbMinShared {
		problems = append(problems, fmt.Sprintf("only %d domains shared with ISPDB, want at least %d: is the parser broken?",
			shared, ispdbMinShared))
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		t.Fatalf("%d problems cross-checking the table against ISPDB:\n\t%s", len(problems), strings.Join(problems, "\n\t"))
	}
	t.Logf("%d domains shared with ISPDB agree", shared)
}

func sharesDomain(p *Provider, ispdb map[string][]ispdbEntry) bool {
	for _, d := range p.Domains {
		if _, ok := ispdb[d]; ok {
			return true
		}
	}
	return false
}

// TestISPDBConversion pins the XML reading the cross-check relies on.
func TestISPDBConversion(t *testing.T) {
	const doc = `<clientConfig version="1.1"><emailProvider id="x">
	  <domain>Example.COM</domain>
	  <incomingServer type="imap"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>
	  <incomingServer type="pop3"><hostname>pop.example.com</hostname><port>110</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></incomingServer>
	  <incomingServer type="exchange"><hostname>ex.example.com</hostname><port>443</port><socketType>SSL</socketType></incomingServer>
	  <outgoingServer type="smtp"><hostname>SMTP.example.com</hostname><port>25</port><socketType>plain</socketType></outgoingServer>
	</emailProvider></clientConfig>`
	var parsed ispdbDoc
	if err := xml.Unmarshal([]byte(doc), &parsed); err != nil {
		t.Fatal(err)
	}
	p := parsed.Providers[0]
	var got []Server
	for _, s := range append(p.Incoming, p.Outgoing...) {
		if e, ok := convertISPDB(s, "example.com"); ok {
			got = append(got, e.Server)
		}
	}
	want := []Server{
		{Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 993, Security: mailcfg.TLS, Username: "localpart"},
		{Protocol: mailcfg.POP3, Host: "pop.example.com", Port: 110, Security: mailcfg.STARTTLS, Username: "address"},
		{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 25, Security: mailcfg.None},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("converted = %v, want %v", got, want)
	}
}
