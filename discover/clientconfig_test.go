package discover

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mailsetup/internal/refdata"
	"mailsetup/mailcfg"
)

// ispdbExceptions lists corpus files that are expected not to parse, and why.
// Empty today: every file of the pinned copy parses.
var ispdbExceptions = map[string]string{}

var (
	reFirstDomain = regexp.MustCompile(`<domain>\s*([^<\s]+)\s*</domain>`)
	reHasIncoming = regexp.MustCompile(`<incomingServer\s+type="(pop3|imap)"`)
	reHasOutgoing = regexp.MustCompile(`<outgoingServer\s+type="smtp"`)
)

func mustAddress(t testing.TB, s string) mailcfg.Address {
	t.Helper()
	a, err := mailcfg.ParseAddress(s)
	if err != nil {
		t.Fatalf("ParseAddress(%q): %v", s, err)
	}
	return a
}

func TestParseClientConfigISPDBCorpus(t *testing.T) {
	files := refdata.ISPDBFiles(t, "that the autoconfig parser reads every real-world document")
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			domain := "example.com"
			if m := reFirstDomain.FindSubmatch(data); m != nil {
				domain = string(m[1])
			}
			addr := mustAddress(t, "alice@"+domain)
			cfg, err := ParseClientConfig(bytes.NewReader(data), addr)
			if why, ok := ispdbExceptions[name]; ok {
				if err == nil {
					t.Fatalf("listed as an exception (%s) but parses now", why)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseClientConfig: %v", err)
			}
			if reHasIncoming.Match(data) && len(cfg.Incoming) == 0 {
				t.Errorf("no incoming server (skipped: %v)", cfg.Skipped)
			}
			if reHasOutgoing.Match(data) && len(cfg.Outgoing) == 0 {
				t.Errorf("no outgoing server (skipped: %v)", cfg.Skipped)
			}
			if len(cfg.Domains) == 0 {
				t.Errorf("no domains")
			}
			for _, s := range cfg.Servers() {
				if err := s.Validate(); err != nil {
					t.Errorf("invalid server: %v", err)
				}
				if strings.Contains(s.Host+s.Username, "%EMAIL") {
					t.Errorf("placeholder left in %v user %q", s.Server, s.Username)
				}
			}
		})
	}
}

func TestParseClientConfigPlaceholders(t *testing.T) {
	data, err := os.ReadFile("testdata/cc_placeholders.xml")
	if err != nil {
		t.Fatal(err)
	}
	addr := mustAddress(t, "Bob.Smith@Bücher.example")
	cfg, err := ParseClientConfig(bytes.NewReader(data), addr)
	if err != nil {
		t.Fatal(err)
	}
	const d = "xn--bcher-kva.example"
	wantIn := []ConfigServer{
		{Server: mailcfg.Server{Protocol: mailcfg.POP3, Host: "pop." + d, Port: 995, Security: mailcfg.TLS, Username: "Bob.Smith"},
			Auth: []string{"password-cleartext"}},
		{Server: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "imap." + d, Port: 143, Security: mailcfg.STARTTLS, Username: "Bob.Smith." + d},
			Auth: []string{"password-encrypted", "OAuth2"}},
	}
	wantOut := []ConfigServer{
		{Server: mailcfg.Server{Protocol: mailcfg.SMTP, Host: d, Port: 25, Security: mailcfg.None, Username: "Bob.Smith@" + d}},
		// No socketType: the port decides. No username: the full address.
		{Server: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 587, Security: mailcfg.STARTTLS, Username: "Bob.Smith@" + d}},
	}
	if got := fmtServers(cfg.Incoming); got != fmtServers(wantIn) {
		t.Errorf("incoming:\n got %s\nwant %s", got, fmtServers(wantIn))
	}
	if got := fmtServers(cfg.Outgoing); got != fmtServers(wantOut) {
		t.Errorf("outgoing:\n got %s\nwant %s", got, fmtServers(wantOut))
	}
	if cfg.ProviderID != "example.com" || cfg.DisplayName != "Example Mail" {
		t.Errorf("provider %q %q", cfg.ProviderID, cfg.DisplayName)
	}
	if strings.Join(cfg.Domains, ",") != "example.com,example.org" {
		t.Errorf("domains %v", cfg.Domains)
	}
	if len(cfg.Skipped) != 2 {
		t.Errorf("skipped %q, want the exchange entry and the bad port", cfg.Skipped)
	}
}

func fmtServers(list []ConfigServer) string {
	var b strings.Builder
	for _, s := range list {
		b.WriteString(s.Server.String() + " user=" + s.Username + " auth=" + strings.Join(s.Auth, "+") + "; ")
	}
	return b.String()
}

func TestParseClientConfigRejects(t *testing.T) {
	const ok = `<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType></incomingServer>`
	wrap := func(body string) string {
		return `<?xml version="1.0"?><clientConfig version="1.1"><emailProvider id="x">` + body + `</emailProvider></clientConfig>`
	}
	bomb := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<clientConfig><emailProvider id="x"><displayName>&lol2;</displayName>` + ok + `</emailProvider></clientConfig>`
	huge := wrap(ok + "<!--" + strings.Repeat("x", MaxDocumentSize) + "-->")
	tests := []struct {
		name string
		doc  string
		want error
	}{
		{"empty", "", ErrMalformed},
		{"not xml", "hello, world", ErrMalformed},
		{"html", "<html><body>404</body></html>", ErrMalformed},
		{"unclosed", wrap(ok)[:60], ErrMalformed},
		{"mismatched tags", `<clientConfig><emailProvider></clientConfig>`, ErrMalformed},
		{"garbage after root", wrap(ok) + "<x>", ErrMalformed},
		{"two roots", wrap(ok) + wrap(ok), ErrMalformed},
		{"undefined entity", wrap(`<displayName>&foo;</displayName>` + ok), ErrMalformed},
		{"entity bomb", bomb, ErrDTD},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><clientConfig/>`, ErrDTD},
		{"bare doctype", `<!DOCTYPE clientConfig><clientConfig/>`, ErrDTD},
		{"over 1 MiB", huge, ErrTooLarge},
		{"no provider", `<clientConfig version="1.1"></clientConfig>`, ErrMalformed},
		{"no servers", wrap(`<displayName>x</displayName>`), ErrNoServers},
		{"only bad ports", wrap(`<incomingServer type="imap"><hostname>a.example</hostname><port>0</port></incomingServer>` +
			`<outgoingServer type="smtp"><hostname>a.example</hostname><port>-25</port></outgoingServer>`), ErrNoServers},
		{"only exchange", wrap(`<incomingServer type="exchange"><hostname>a.example</hostname><port>443</port></incomingServer>`), ErrNoServers},
		{"bad host", wrap(`<incomingServer type="imap"><hostname>a b/c</hostname><port>993</port></incomingServer>`), ErrNoServers},
		{"unknown placeholder", wrap(`<incomingServer type="imap"><hostname>%REALNAME%.example</hostname><port>993</port></incomingServer>`), ErrNoServers},
		{"unknown socketType", wrap(`<incomingServer type="imap"><hostname>a.example</hostname><port>993</port><socketType>QUIC</socketType></incomingServer>`), ErrNoServers},
		{"unknown charset", `<?xml version="1.0" encoding="EBCDIC"?>` + wrap(ok)[len(`<?xml version="1.0"?>`):], ErrMalformed},
	}
	addr := mustAddress(t, "alice@example.com")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseClientConfig(strings.NewReader(tt.doc), addr)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (cfg %+v)", err, tt.want, cfg)
			}
			if cfg != nil {
				t.Fatalf("got a config with an error")
			}
		})
	}
}

func TestParseClientConfigSocketTypes(t *testing.T) {
	tests := []struct {
		socketType string
		port       string
		want       mailcfg.Security
	}{
		{"SSL", "993", mailcfg.TLS},
		{"ssl", "993", mailcfg.TLS},
		{"STARTTLS", "143", mailcfg.STARTTLS},
		{"plain", "143", mailcfg.None},
		{"", "993", mailcfg.TLS},
		{"", "143", mailcfg.STARTTLS},
		{"", "1143", mailcfg.None},
		{"SSL", " 993 ", mailcfg.TLS},
	}
	addr := mustAddress(t, "alice@example.com")
	for _, tt := range tests {
		doc := `<clientConfig><emailProvider id="x"><incomingServer type="imap"><hostname>imap.example.com</hostname>` +
			`<port>` + tt.port + `</port><socketType>` + tt.socketType + `</socketType></incomingServer></emailProvider></clientConfig>`
		cfg, err := ParseClientConfig(strings.NewReader(doc), addr)
		if err != nil {
			t.Errorf("%q/%q: %v", tt.socketType, tt.port, err)
			continue
		}
		if got := cfg.Incoming[0].Security; got != tt.want {
			t.Errorf("%q/%q: security %s, want %s", tt.socketType, tt.port, got, tt.want)
		}
	}
}

func TestParseClientConfigLatin1(t *testing.T) {
	doc := []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><clientConfig><emailProvider id="x"><displayName>M` +
		"\xfc" + `ller Mail</displayName><incomingServer type="pop3"><hostname>pop.example.com</hostname><port>995</port>` +
		`<socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>`)
	cfg, err := ParseClientConfig(bytes.NewReader(doc), mustAddress(t, "a@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DisplayName != "Müller Mail" {
		t.Errorf("display name %q", cfg.DisplayName)
	}
}

func TestLatin1ReaderSmallBuffers(t *testing.T) {
	r, err := charsetReader("ISO-8859-1", strings.NewReader("a\xfcb\xe9"))
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			break
		}
	}
	if string(out) != "aübé" {
		t.Errorf("got %q", out)
	}
}
