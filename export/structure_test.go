package export

// Structural checks in Go for what no installed tool can judge (Outlook,
// Apple, Thunderbird, aerc, Foxmail), and for the JSON document.

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"howett.net/plist"

	"mailsetup/mailcfg"
)

// parseINI is a small INI reader: [section], key=value, ; and # comments.
// Keys keep their order per section so duplicates are caught.
func parseINI(t *testing.T, text string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	var cur map[string]string
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		switch {
		case line == "", strings.HasPrefix(line, ";"), strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			name := line[1 : len(line)-1]
			if _, dup := out[name]; dup {
				t.Errorf("line %d: section [%s] repeated", n, name)
			}
			cur = map[string]string{}
			out[name] = cur
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || cur == nil {
				t.Errorf("line %d: not a key=value inside a section: %q", n, line)
				continue
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if _, dup := cur[k]; dup {
				t.Errorf("line %d: key %s repeated", n, k)
			}
			cur[k] = v
		}
	}
	return out
}

func TestPRFStructure(t *testing.T) {
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			out, _ := mustRender(t, "outlook-prf", c)
			text := decodeText(out)
			if strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
				t.Error("PRF lines must end in CRLF")
			}
			ini := parseINI(t, text)
			in, o := c.acct.Incoming, c.acct.Outgoing
			mapping, prefix := "I_Mail", "POP3"
			if in.Protocol == mailcfg.IMAP {
				mapping, prefix = "IMAP_I_Mail", "IMAP"
			}
			want := map[string]map[string]string{
				"General":               {"Custom": "1", "OverwriteProfile": "Append"},
				"Internet Account List": {"Account1": mapping},
				"Account1": {
					"EmailAddress":         c.acct.Email,
					prefix + "Server":      in.Host,
					prefix + "Port":        strconv.Itoa(in.Port),
					prefix + "UserName":    in.Username,
					prefix + "UseSSL":      map[bool]string{true: "1", false: "0"}[in.Security == mailcfg.TLS],
					"SMTPServer":           o.Host,
					"SMTPPort":             strconv.Itoa(o.Port),
					"SMTPUseAuth":          "1",
					"SMTPSecureConnection": map[mailcfg.Security]string{mailcfg.TLS: "1", mailcfg.STARTTLS: "2", mailcfg.None: "0"}[o.Security],
				},
				"I_Mail":      {"POP3UseSSL": "PT_LONG,0x0105", "SMTPSecureConnection": "PT_LONG,0x020A", "LeaveOnServer": "PT_LONG,0x1000"},
				"IMAP_I_Mail": {"IMAPUseSSL": "PT_LONG,0x0105", "SMTPSecureConnection": "PT_LONG,0x020A"},
			}
			if in.Protocol == mailcfg.POP3 {
				want["Account1"]["LeaveOnServer"] = map[bool]string{true: "1", false: "0"}[c.acct.LeaveOnServer]
			}
			for sec, kv := range want {
				for k, v := range kv {
					if got := ini[sec][k]; got != v {
						t.Errorf("[%s] %s = %q, want %q", sec, k, got, v)
					}
				}
			}
			// Every account key must have a property mapping, or Outlook ignores it.
			for k := range ini["Account1"] {
				if k == "UniqueService" {
					continue
				}
				if _, ok := ini[mapping][k]; !ok {
					t.Errorf("[Account1] %s has no mapping in [%s]", k, mapping)
				}
			}
			if strings.Contains(text, "Password=") {
				t.Error("a PRF must not carry a password key")
			}
		})
	}
}

func TestPRFUnicodeIsUTF16(t *testing.T) {
	a := testAccounts[1].acct
	a.DisplayName = "张三"
	out, err := renderOutlookPRF(a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != 0xFF || out[1] != 0xFE {
		t.Fatalf("non-ASCII PRF starts % x, want a UTF-16LE BOM", out[:2])
	}
	if ini := parseINI(t, decodeText(out)); ini["Account1"]["DisplayName"] != "张三" {
		t.Errorf("DisplayName = %q", ini["Account1"]["DisplayName"])
	}
	ascii, _ := renderOutlookPRF(testAccounts[1].acct, Options{})
	if ascii[0] != ';' {
		t.Errorf("ASCII PRF starts %q, want a plain comment", ascii[:1])
	}
}

func TestAppleProfile(t *testing.T) {
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			out, _ := mustRender(t, "apple", c)
			var p map[string]any
			if _, err := plist.Unmarshal(out, &p); err != nil {
				t.Fatalf("plist does not decode: %v", err)
			}
			for k, v := range map[string]any{"PayloadType": "Configuration", "PayloadVersion": uint64(1)} {
				if !reflect.DeepEqual(p[k], v) {
					t.Errorf("outer %s = %#v, want %#v", k, p[k], v)
				}
			}
			content, _ := p["PayloadContent"].([]any)
			if len(content) != 1 {
				t.Fatalf("PayloadContent has %d payloads, want 1", len(content))
			}
			mail := content[0].(map[string]any)
			in, o := c.acct.Incoming, c.acct.Outgoing
			typ := map[mailcfg.Protocol]string{mailcfg.POP3: "EmailTypePOP", mailcfg.IMAP: "EmailTypeIMAP"}[in.Protocol]
			want := map[string]any{
				"PayloadType": "com.apple.mail.managed", "PayloadVersion": uint64(1), "EmailAccountType": typ,
				"EmailAddress":                           c.acct.Email,
				"IncomingMailServerHostName":             in.Host,
				"IncomingMailServerPortNumber":           uint64(in.Port),
				"IncomingMailServerUseSSL":               in.Security != mailcfg.None,
				"IncomingMailServerUsername":             in.Username,
				"IncomingMailServerAuthentication":       "EmailAuthPassword",
				"OutgoingMailServerHostName":             o.Host,
				"OutgoingMailServerPortNumber":           uint64(o.Port),
				"OutgoingMailServerUseSSL":               o.Security != mailcfg.None,
				"OutgoingMailServerUsername":             o.Username,
				"OutgoingMailServerAuthentication":       "EmailAuthPassword",
				"OutgoingPasswordSameAsIncomingPassword": true,
			}
			for k, v := range want {
				if !reflect.DeepEqual(mail[k], v) {
					t.Errorf("mail %s = %#v, want %#v", k, mail[k], v)
				}
			}
			for _, k := range []string{"PayloadIdentifier", "PayloadUUID", "PayloadDisplayName"} {
				if s, _ := mail[k].(string); s == "" {
					t.Errorf("mail payload lacks %s", k)
				}
				if s, _ := p[k].(string); s == "" {
					t.Errorf("outer payload lacks %s", k)
				}
			}
			if p["PayloadUUID"] == mail["PayloadUUID"] || p["PayloadIdentifier"] == mail["PayloadIdentifier"] {
				t.Error("outer and mail payloads share a UUID or identifier")
			}
			_, hasIn := mail["IncomingPassword"]
			_, hasOut := mail["OutgoingPassword"]
			if hasIn != c.opts.IncludePassword || hasOut != c.opts.IncludePassword {
				t.Errorf("passwords present (%v, %v) with IncludePassword=%v", hasIn, hasOut, c.opts.IncludePassword)
			}
			if c.opts.IncludePassword && mail["IncomingPassword"] != c.acct.Password {
				t.Errorf("IncomingPassword = %q", mail["IncomingPassword"])
			}
		})
	}
	// Without a seed every profile gets fresh UUIDs.
	a, _ := renderApple(testAccounts[0].acct, Options{})
	b, _ := renderApple(testAccounts[0].acct, Options{})
	if string(a) == string(b) {
		t.Error("two unseeded profiles are identical")
	}
}

type tbConfig struct {
	XMLName  xml.Name `xml:"clientConfig"`
	Version  string   `xml:"version,attr"`
	Provider struct {
		ID       string      `xml:"id,attr"`
		Domain   []string    `xml:"domain"`
		Display  string      `xml:"displayName"`
		Incoming []tbServerX `xml:"incomingServer"`
		Outgoing []tbServerX `xml:"outgoingServer"`
	} `xml:"emailProvider"`
}

type tbServerX struct {
	Type       string `xml:"type,attr"`
	Hostname   string `xml:"hostname"`
	Port       int    `xml:"port"`
	SocketType string `xml:"socketType"`
	Username   string `xml:"username"`
	Auth       string `xml:"authentication"`
	Leave      string `xml:"pop3>leaveMessagesOnServer"`
}

func TestThunderbirdStructure(t *testing.T) {
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			out, _ := mustRender(t, "thunderbird", c)
			var cfg tbConfig
			if err := xml.Unmarshal(out, &cfg); err != nil {
				t.Fatal(err)
			}
			p := cfg.Provider
			if cfg.Version != "1.1" || p.ID != c.acct.Domain() || len(p.Domain) != 1 || p.Domain[0] != c.acct.Domain() || p.Display == "" {
				t.Errorf("provider header wrong: %+v", cfg)
			}
			if len(p.Incoming) != 1 || len(p.Outgoing) != 1 {
				t.Fatalf("want one incoming and one outgoing server, got %d and %d", len(p.Incoming), len(p.Outgoing))
			}
			sock := map[mailcfg.Security]string{mailcfg.TLS: "SSL", mailcfg.STARTTLS: "STARTTLS", mailcfg.None: "plain"}
			for _, pair := range []struct {
				got tbServerX
				s   mailcfg.Server
			}{{p.Incoming[0], c.acct.Incoming}, {p.Outgoing[0], c.acct.Outgoing}} {
				g, s := pair.got, pair.s
				user := map[string]string{c.acct.Email: "%EMAILADDRESS%", c.acct.LocalPart(): "%EMAILLOCALPART%"}[s.Username]
				if g.Type != string(s.Protocol) || g.Hostname != s.Host || g.Port != s.Port || g.SocketType != sock[s.Security] ||
					g.Username != user || g.Auth != "password-cleartext" {
					t.Errorf("server %+v does not describe %+v", g, s)
				}
			}
			if c.acct.Incoming.Protocol == mailcfg.POP3 && p.Incoming[0].Leave != strconv.FormatBool(c.acct.LeaveOnServer) {
				t.Errorf("leaveMessagesOnServer = %q", p.Incoming[0].Leave)
			}
		})
	}
}

type adResponse struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response struct {
		XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
		Account struct {
			AccountType string `xml:"AccountType"`
			Action      string `xml:"Action"`
			Protocols   []struct {
				Type, Server, LoginName, SSL, Encryption, AuthRequired string
				Port                                                   int
			} `xml:"Protocol"`
		} `xml:"Account"`
	}
}

func TestAutodiscoverStructure(t *testing.T) {
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			out, _ := mustRender(t, "outlook-autodiscover", c)
			var r adResponse
			if err := xml.Unmarshal(out, &r); err != nil {
				t.Fatal(err)
			}
			acc := r.Response.Account
			if acc.AccountType != "email" || acc.Action != "settings" || len(acc.Protocols) != 2 {
				t.Fatalf("account block wrong: %+v", acc)
			}
			enc := map[mailcfg.Security]string{mailcfg.TLS: "SSL", mailcfg.STARTTLS: "TLS", mailcfg.None: "None"}
			for i, s := range []mailcfg.Server{c.acct.Incoming, c.acct.Outgoing} {
				p := acc.Protocols[i]
				if p.Type != protocolName(s.Protocol) || p.Server != s.Host || p.Port != s.Port || p.LoginName != s.Username ||
					p.Encryption != enc[s.Security] || p.AuthRequired != "on" {
					t.Errorf("protocol %d = %+v, want %+v", i, p, s)
				}
			}
			if !strings.Contains(string(out), `"PreferLocalXML"=dword:00000001`) {
				t.Error("the PreferLocalXML registry snippet is missing")
			}
		})
	}
}

func TestAercStructure(t *testing.T) {
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			out, _ := mustRender(t, "aerc", c)
			ini := parseINI(t, string(out))
			sec, ok := ini[c.acct.Email]
			if !ok {
				t.Fatalf("no [%s] section", c.acct.Email)
			}
			in, o := c.acct.Incoming, c.acct.Outgoing
			check := func(key string, s mailcfg.Server, scheme string) {
				u, err := url.Parse(sec[key])
				if err != nil {
					t.Fatalf("%s: %v", key, err)
				}
				if u.Scheme != scheme || u.User.Username() != s.Username || u.Hostname() != s.Host || u.Port() != strconv.Itoa(s.Port) {
					t.Errorf("%s = %q, want %s://%s@%s:%d", key, sec[key], scheme, s.Username, s.Host, s.Port)
				}
				pw, has := u.User.Password()
				if has != c.opts.IncludePassword || has && pw != c.acct.Password {
					t.Errorf("%s password = %q, %v", key, pw, has)
				}
				if !c.opts.IncludePassword && !strings.HasPrefix(sec[key+"-cred-cmd"], "secret-tool lookup ") {
					t.Errorf("%s-cred-cmd = %q", key, sec[key+"-cred-cmd"])
				}
			}
			schemes := map[mailcfg.Security]string{mailcfg.TLS: "s", mailcfg.STARTTLS: "", mailcfg.None: "+insecure"}
			if in.Protocol == mailcfg.IMAP {
				check("source", in, "imap"+schemes[in.Security])
			} else if sec["source"] != "maildir://"+maildirRoot(c.acct) {
				t.Errorf("POP3 account: source = %q, want the Maildir mpop/getmail fill", sec["source"])
			}
			check("outgoing", o, "smtp"+schemes[o.Security])
			if !strings.Contains(sec["from"], "<"+c.acct.Email+">") && sec["from"] != c.acct.Email {
				t.Errorf("from = %q", sec["from"])
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, c := range judgeCases() {
		out, _ := mustRender(t, "json", c)
		var back mailcfg.Account
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := c.acct
		if !c.opts.IncludePassword {
			want.Password = ""
		}
		if !reflect.DeepEqual(back, want) {
			t.Errorf("%s: JSON round trip gives %+v, want %+v", c.name, back, want)
		}
	}
}

func TestFoxmailSheet(t *testing.T) {
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			page, _ := mustRender(t, "foxmail", c)
			text, _ := mustRender(t, "foxmail-txt", c)
			for _, label := range []string{"接收服务器类型", "邮件账号", "密码", "SMTP服务器", "SSL", "端口", foxSTARTTLSzh} {
				if !strings.Contains(string(page), label) || !strings.Contains(string(text), label) {
					t.Errorf("label %s missing", label)
				}
			}
			inLabel := map[mailcfg.Protocol]string{mailcfg.POP3: "POP服务器", mailcfg.IMAP: "IMAP服务器"}[c.acct.Incoming.Protocol]
			if !strings.Contains(string(text), inLabel+" / ") {
				t.Errorf("incoming label %s missing", inLabel)
			}
			if strings.Contains(string(page), "<2>") || strings.Contains(string(page), `"C."`) {
				t.Error("unescaped text in the HTML sheet")
			}
			if c.acct.HelpURL != "" && !strings.Contains(string(page), `<a href="https://help.example.com/clients?a=1&amp;b=&lt;2&gt;">`) {
				t.Error("help link missing or not escaped")
			}
			starttls := c.acct.Incoming.Security == mailcfg.STARTTLS || c.acct.Outgoing.Security == mailcfg.STARTTLS
			if got := strings.Contains(string(text), "[x] "+foxSTARTTLSzh); got != starttls {
				t.Errorf("STARTTLS box checked=%v, want %v", got, starttls)
			}
		})
	}
	// A script-bearing help link is shown as text, never as a link.
	a := testAccounts[0].acct
	a.HelpURL = "javascript:alert(1)"
	page, _ := renderFoxmailHTML(a, Options{})
	if strings.Contains(string(page), "href=\"javascript") {
		t.Error("javascript: URL became a link")
	}
}
