package assistant

import (
	"testing"

	"mailsetup/mailcfg"
	"mailsetup/oauth"
)

func TestUpFrontFor(t *testing.T) {
	tests := []struct {
		email, lang string
		want        UpFront
	}{
		{"alice@qq.com", "en", UpFront{Secret: SecretAuthCode, Provider: "QQ Mail"}},
		{"alice@outlook.com", "en", UpFront{Secret: SecretNone, Provider: "Outlook.com", Issuer: "Microsoft"}},
		{"alice@hotmail.com", "zh-Hans", UpFront{Secret: SecretNone, Provider: "Outlook.com", Issuer: "微软"}},
		{"alice@gmail.com", "zh-Hant", UpFront{Secret: SecretAppPassword, Provider: "Gmail", Issuer: "Google"}},
		{"alice@example.test", "en", UpFront{Secret: SecretPassword}},
		{"not an address", "en", UpFront{Secret: SecretPassword}},
	}
	for _, tt := range tests {
		got := UpFrontFor(tt.email, tt.lang)
		if tt.want.Provider == "" {
			got.Provider = ""
		}
		if got.Secret != tt.want.Secret || got.Issuer != tt.want.Issuer || (tt.want.Provider != "" && got.Provider == "") {
			t.Errorf("UpFrontFor(%q, %s) = %+v, want %+v", tt.email, tt.lang, got, tt.want)
		}
	}
}

func TestSignInWays(t *testing.T) {
	imap := mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.example.test", Port: 993, Security: mailcfg.TLS}
	smtp := mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.example.test", Port: 465, Security: mailcfg.TLS}
	typed := mailcfg.Server{Protocol: mailcfg.SMTP, Host: "typed.example.test", Port: 587, Security: mailcfg.STARTTLS}
	probed := func(mechs, caps []string) *Report {
		c := func(s mailcfg.Server, role mailcfg.Role) Candidate {
			return Candidate{Role: role, Protocol: s.Protocol, Host: s.Host, Port: s.Port, Security: s.Security,
				Status: mailcfg.StatusOK, AuthMechanisms: mechs, Capabilities: caps}
		}
		return &Report{Email: "alice@example.test", Candidates: []Candidate{c(imap, mailcfg.Incoming), c(smtp, mailcfg.Outgoing)}}
	}
	known := func(id string) *Report { return &Report{Email: "alice@example.test", Provider: &ProviderRef{ID: id}} }
	tests := []struct {
		name    string
		rep     *Report
		in, out mailcfg.Server
		lang    string
		want    SignInWays
	}{
		{"QQ: a password only", known("qq"), imap, smtp, "en", SignInWays{Password: true}},
		{"Outlook.com: Microsoft only", known("outlook"), imap, smtp, "en", SignInWays{OAuth2: true, OAuth2First: true,
			IssuerID: "microsoft", Issuer: "Microsoft", ClientIDKey: "microsoft", RegisterURL: "https://entra.microsoft.com/"}},
		{"Gmail: Google first, an app password beside", known("gmail"), imap, smtp, "zh-Hans", SignInWays{Password: true, OAuth2: true,
			OAuth2First: true, IssuerID: "google", Issuer: "谷歌", ClientIDKey: "google", RegisterURL: "https://console.cloud.google.com/apis/credentials"}},
		{"Yahoo: a password first", known("yahoo"), imap, smtp, "en", SignInWays{Password: true, OAuth2: true,
			IssuerID: "yahoo", Issuer: "Yahoo", ClientIDKey: "yahoo", RegisterURL: "https://developer.yahoo.com/apps/"}},
		{"unknown, tokens only: ask for the issuer", probed([]string{"XOAUTH2", "OAUTHBEARER"}, []string{"LOGINDISABLED"}), imap, smtp, "en",
			SignInWays{OAuth2: true, OAuth2First: true, AskIssuer: true, ClientIDKey: oauth.DefaultClientIDKey}},
		{"unknown, both: a password first", probed([]string{"PLAIN", "XOAUTH2"}, nil), imap, smtp, "en",
			SignInWays{Password: true, OAuth2: true, AskIssuer: true, ClientIDKey: oauth.DefaultClientIDKey}},
		{"unknown, passwords only", probed([]string{"PLAIN", "LOGIN"}, nil), imap, smtp, "en", SignInWays{Password: true}},
		{"a server nobody probed takes a password", probed([]string{"XOAUTH2"}, []string{"LOGINDISABLED"}), imap, typed, "en",
			SignInWays{OAuth2: true, OAuth2First: true, AskIssuer: true, ClientIDKey: oauth.DefaultClientIDKey}},
	}
	for _, tt := range tests {
		got := tt.rep.SignInWays(tt.in, tt.out, tt.lang)
		// The table's URLs may move; that one is given is what counts.
		if (tt.want.RegisterURL != "") != (got.RegisterURL != "") {
			t.Errorf("%s: RegisterURL %q", tt.name, got.RegisterURL)
		}
		got.RegisterURL, tt.want.RegisterURL = "", ""
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestOAuthIssuers(t *testing.T) {
	list := OAuthIssuers("zh-Hant")
	ids := map[string]IssuerFacts{}
	for _, f := range list {
		ids[f.ID] = f
	}
	for _, id := range []string{"microsoft", "google", "yahoo", "aol"} {
		if f, ok := ids[id]; !ok || f.Name == "" || f.RegisterURL == "" {
			t.Errorf("%s: %+v", id, f)
		}
	}
	if ids["microsoft"].Name != "微軟" {
		t.Errorf("Microsoft in zh-Hant: %q", ids["microsoft"].Name)
	}
}
