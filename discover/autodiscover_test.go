package discover

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

func TestParseAutodiscover(t *testing.T) {
	const user = "alice@example.com"
	tests := []struct {
		file     string
		action   string
		redirect string
		servers  []mailcfg.Server
		skipped  int
	}{
		{file: "ad_settings.xml", action: ActionSettings, skipped: 1, servers: []mailcfg.Server{
			{Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 993, Security: mailcfg.TLS, Username: "alice"},
			{Protocol: mailcfg.POP3, Host: "pop.example.com", Port: 995, Security: mailcfg.TLS, Username: user},
			{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 587, Security: mailcfg.STARTTLS, Username: user},
			{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 465, Security: mailcfg.TLS, Username: user},
			{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 25, Security: mailcfg.None, Username: user},
		}},
		{file: "ad_defaults.xml", action: ActionSettings, skipped: 1, servers: []mailcfg.Server{
			{Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 993, Security: mailcfg.TLS, Username: user},
			{Protocol: mailcfg.POP3, Host: "pop.example.com", Port: 110, Security: mailcfg.None, Username: user},
			{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 587, Security: mailcfg.STARTTLS, Username: user},
		}},
		// POP for POP3; SSL on is STARTTLS on 110, 143, 25 and 587 and
		// implicit TLS elsewhere; a standard port wins over an Encryption
		// that contradicts it.
		{file: "ad_pop_encryption.xml", action: ActionSettings, servers: []mailcfg.Server{
			{Protocol: mailcfg.POP3, Host: "pop.example.com", Port: 110, Security: mailcfg.STARTTLS, Username: `EXAMPLE\alice`},
			{Protocol: mailcfg.POP3, Host: "pop.example.com", Port: 995, Security: mailcfg.TLS, Username: user},
			{Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 1143, Security: mailcfg.STARTTLS, Username: user},
			{Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 143, Security: mailcfg.STARTTLS, Username: user},
			{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 25, Security: mailcfg.STARTTLS, Username: user},
			{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 2525, Security: mailcfg.None, Username: user},
			{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 465, Security: mailcfg.TLS, Username: user},
		}},
		{file: "ad_redirect_addr.xml", action: ActionRedirectAddr, redirect: "alice@mail.example.net"},
		{file: "ad_redirect_url.xml", action: ActionRedirectURL, redirect: "https://ad.example.net/autodiscover/autodiscover.xml"},
	}
	addr := mustAddress(t, user)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ParseAutodiscover(bytes.NewReader(data), addr)
			if err != nil {
				t.Fatal(err)
			}
			if res.Action != tt.action {
				t.Errorf("action %q, want %q", res.Action, tt.action)
			}
			if got := res.RedirectAddr + res.RedirectURL; got != tt.redirect {
				t.Errorf("redirect %q, want %q", got, tt.redirect)
			}
			if len(res.Servers) != len(tt.servers) {
				t.Fatalf("servers %v, want %v", res.Servers, tt.servers)
			}
			for i := range tt.servers {
				if res.Servers[i] != tt.servers[i] {
					t.Errorf("server %d: %+v, want %+v", i, res.Servers[i], tt.servers[i])
				}
			}
			if len(res.Skipped) != tt.skipped {
				t.Errorf("skipped %q, want %d", res.Skipped, tt.skipped)
			}
		})
	}
}

func TestParseAutodiscoverRejects(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	var adErr *AutodiscoverError
	tests := []struct {
		name string
		doc  string
		is   func(error) bool
	}{
		{"error response", read("ad_error.xml"), func(err error) bool {
			return errors.As(err, &adErr) && adErr.Code == "600" && adErr.Message == "Invalid Request"
		}},
		{"exchange only", read("ad_exchange_only.xml"), isErr(ErrNoServers)},
		{"html page", "<html><head><title>Welcome</title></head></html>", isErr(ErrMalformed)},
		{"truncated", read("ad_settings.xml")[:300], isErr(ErrMalformed)},
		{"doctype", `<!DOCTYPE a [<!ENTITY b "c">]><Autodiscover/>`, isErr(ErrDTD)},
		{"oversized", "<Autodiscover>" + strings.Repeat(" ", MaxDocumentSize) + "</Autodiscover>", isErr(ErrTooLarge)},
		{"redirectAddr empty", `<Autodiscover><Response><Account><Action>redirectAddr</Action></Account></Response></Autodiscover>`, isErr(ErrMalformed)},
		{"redirectUrl empty", `<Autodiscover><Response><Account><Action>redirectUrl</Action></Account></Response></Autodiscover>`, isErr(ErrMalformed)},
		{"bad encryption", `<Autodiscover><Response><Account><Action>settings</Action><Protocol><Type>IMAP</Type>` +
			`<Server>imap.example.com</Server><Encryption>rot13</Encryption></Protocol></Account></Response></Autodiscover>`, isErr(ErrNoServers)},
	}
	addr := mustAddress(t, "alice@example.com")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseAutodiscover(strings.NewReader(tt.doc), addr)
			if err == nil || !tt.is(err) {
				t.Fatalf("err = %v (result %+v)", err, res)
			}
		})
	}
}

// Every setting of the Protocol element is kept.
func TestParseAutodiscoverProtocol(t *testing.T) {
	data, err := os.ReadFile("testdata/ad_pop_encryption.xml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ParseAutodiscover(bytes.NewReader(data), mustAddress(t, "alice@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Protocols) != len(res.Servers) {
		t.Fatalf("%d protocols for %d servers", len(res.Protocols), len(res.Servers))
	}
	pop, smtp25, smtp2525 := res.Protocols[0], res.Protocols[4], res.Protocols[5]
	if pop.LoginName != `EXAMPLE\alice` || pop.DomainRequired != "on" || pop.SPA != "on" || pop.SSL != "on" ||
		!slices.Equal(pop.AuthMethods(), []string{"NTLM"}) {
		t.Errorf("POP block %+v", pop)
	}
	if smtp25.AuthRequired != "off" || smtp25.SMTPLast != "on" || !slices.Equal(smtp25.AuthMethods(), []string{"none"}) {
		t.Errorf("SMTP 25 block %+v", smtp25)
	}
	if smtp2525.UsePOPAuth != "on" || smtp2525.Encryption != "None" ||
		!slices.Equal(smtp2525.Settings(), []string{"Encryption=None", "UsePOPAuth=on"}) {
		t.Errorf("SMTP 2525 block %+v, settings %v", smtp2525, smtp2525.Settings())
	}
	for _, p := range res.Protocols {
		if p.Server != res.Servers[slices.Index(res.Protocols, p)] {
			t.Errorf("protocol %+v does not match its server", p)
		}
	}
}

func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func TestAutodiscoverRequestEscapes(t *testing.T) {
	body := string(autodiscoverRequest(`a&b<c@example.com`))
	if !strings.Contains(body, "<EMailAddress>a&amp;b&lt;c@example.com</EMailAddress>") {
		t.Errorf("address not escaped:\n%s", body)
	}
	if !strings.Contains(body, "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>") {
		t.Errorf("no response schema:\n%s", body)
	}
}
