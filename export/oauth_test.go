package export

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/url"
	"strings"
	"testing"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// oauthAccounts sign in with OAuth2: Outlook.com as the table describes it
// (Microsoft's issuer, XOAUTH2 only, a password-less provider note), and a
// provider outside the table whose servers named their own mechanisms
// (POP3 with XOAUTH2 only, SMTP with OAUTHBEARER first).
var oauthAccounts = []struct {
	name string
	acct mailcfg.Account
}{
	{"oauth2-outlook", mailcfg.Account{
		Email:        "alice@outlook.com",
		DisplayName:  "Alice Example",
		Incoming:     mailcfg.Server{Protocol: mailcfg.IMAP, Host: "outlook.office365.com", Port: 993, Security: mailcfg.TLS, Username: "alice@outlook.com"},
		Outgoing:     mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp-mail.outlook.com", Port: 587, Security: mailcfg.STARTTLS, Username: "alice@outlook.com"},
		ProviderID:   "outlook",
		ProviderName: "Outlook.com (Hotmail)",
		PasswordNote: "Outlook.com accepts only Microsoft sign-in (OAuth2) for POP, IMAP and SMTP.",
		HelpURL:      "https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
		Auth:         mailcfg.AuthOAuth2,
		OAuth2: &mailcfg.OAuth2{Issuer: "microsoft", IssuerName: "Microsoft",
			TokenEndpoint:      "https://login.microsoftonline.com/common/oauth2/v2.0/token",
			IncomingMechanisms: []string{mailcfg.MechXOAuth2}, OutgoingMechanisms: []string{mailcfg.MechXOAuth2}},
	}},
	{"oauth2-pop3", mailcfg.Account{
		Email:         "dave@example.net",
		Incoming:      mailcfg.Server{Protocol: mailcfg.POP3, Host: "pop.example.net", Port: 995, Security: mailcfg.TLS, Username: "dave@example.net"},
		Outgoing:      mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.example.net", Port: 465, Security: mailcfg.TLS, Username: "dave@example.net"},
		LeaveOnServer: true,
		Auth:          mailcfg.AuthOAuth2,
		OAuth2: &mailcfg.OAuth2{IncomingMechanisms: []string{mailcfg.MechXOAuth2},
			OutgoingMechanisms: []string{mailcfg.MechOAuthBearer, mailcfg.MechXOAuth2}},
	}},
}

// oauthGoldenCases are the OAuth2 accounts in English, and Outlook.com in
// both Chinese scripts for the translations' review.
func oauthGoldenCases() []judgeCase {
	var cs []judgeCase
	for _, ta := range oauthAccounts {
		cs = append(cs, judgeCase{ta.name, ta.acct, Options{Seed: testSeed}})
	}
	// The engine gives the issuer's name and the provider's note in the
	// account's language (assistant's Report.Account).
	for _, l := range []struct{ lang, issuer, note string }{
		{"zh-Hans", "微软", "Outlook.com 的POP、IMAP和SMTP只接受微软账户登录（OAuth2）。"},
		{"zh-Hant", "微軟", "Outlook.com 的POP、IMAP和SMTP只接受Microsoft帳戶登入（OAuth2）。"},
	} {
		a := oauthAccounts[0].acct
		o := *a.OAuth2
		o.IssuerName, a.PasswordNote, a.OAuth2 = l.issuer, l.note, &o
		cs = append(cs, judgeCase{oauthAccounts[0].name + "." + l.lang, a, Options{Seed: testSeed, Lang: l.lang}})
	}
	return cs
}

// The formats that cannot take a token over POP3 refuse it, and only they.
func TestOAuthUnsupported(t *testing.T) {
	refused := map[string]string{
		"oauth2-outlook/mpop": "export.unsupported.mpop", // IMAP
		"oauth2-pop3/getmail": "export.unsupported.getmail_oauth_pop3",
	}
	for _, ta := range oauthAccounts {
		for _, f := range Formats() {
			key := ta.name + "/" + f.ID
			_, err := f.Render(ta.acct, Options{Seed: testSeed})
			var ue *UnsupportedError
			switch {
			case refused[key] == "" && err != nil:
				t.Errorf("%s: %v", key, err)
			case refused[key] != "" && !errors.As(err, &ue):
				t.Errorf("%s: want UnsupportedError, got %v", key, err)
			case refused[key] != "" && l10n.FromError(err).Code != refused[key]:
				t.Errorf("%s: says %s, want %s", key, l10n.FromError(err).Code, refused[key])
			}
		}
	}
	// getmail sends a token with XOAUTH2 only.
	a := oauthAccounts[0].acct
	a.OAuth2 = &mailcfg.OAuth2{IncomingMechanisms: []string{mailcfg.MechOAuthBearer}}
	_, err := renderGetmail(a, Options{})
	if got := l10n.FromError(err).Code; got != "export.unsupported.getmail_oauth_mech" {
		t.Errorf("getmail with an OAUTHBEARER-only server: %v (%s)", err, got)
	}
	for _, lang := range []string{l10n.SimplifiedChinese, l10n.TraditionalChinese} {
		if m := l10n.FromError(err).In(lang); strings.Contains(m, "getmail6 sends") {
			t.Errorf("refusal not translated to %s: %s", lang, m)
		}
	}
}

// No export of an OAuth2 account holds a password, whatever is asked, nor
// a keyring look-up that would hand a password to a server wanting a
// token; and every one says that the account signs in with OAuth2.
func TestOAuthNoSecret(t *testing.T) {
	const sentinel = "S3ntinel-PW_x7"
	for _, ta := range oauthAccounts {
		a := ta.acct
		a.Password = sentinel
		for _, f := range Formats() {
			for _, lang := range []string{"en", "zh-Hans"} {
				out, err := f.Render(a, Options{Seed: testSeed, IncludePassword: true, Lang: lang})
				if errors.Is(err, ErrUnsupported) {
					continue
				}
				if err != nil {
					t.Fatalf("%s/%s: %v", ta.name, f.ID, err)
				}
				text := decodeText(out)
				for _, bad := range []string{sentinel, "secret-tool", `"password"`, "Bearer", "access_token", "refresh_token="} {
					if strings.Contains(text, bad) {
						t.Errorf("%s/%s/%s holds %q:\n%s", ta.name, f.ID, lang, bad, text)
					}
				}
				intro := oauthIntro(a, langOf(lang))
				if f.ID != "json" && !strings.Contains(text, xmlSafe(f.ID, intro)) {
					t.Errorf("%s/%s/%s does not say the account signs in with OAuth2 (%q):\n%s", ta.name, f.ID, lang, intro, text)
				}
			}
		}
	}
}

// xmlSafe is s as an XML comment or HTML page shows it.
func xmlSafe(format, s string) string {
	if format == "foxmail" {
		return strings.NewReplacer("'", "&#39;", "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(s)
	}
	return s
}

// Each format that can say OAuth2 says it in its own syntax, with the
// mechanism the server takes; the others say what to do instead.
func TestOAuthInEachFormat(t *testing.T) {
	outlook, pop := oauthAccounts[0].acct, oauthAccounts[1].acct
	want := []struct {
		acct   mailcfg.Account
		format string
		has    []string
		hasNot []string
	}{
		{outlook, "msmtp", []string{"\nauth xoauth2\n", "\n# passwordeval \"oama access alice@outlook.com\"\n"}, []string{"\npasswordeval", "auth on"}},
		{pop, "msmtp", []string{"\nauth oauthbearer\n"}, nil},
		{pop, "mpop", []string{"\nauth xoauth2\n", "\n# passwordeval "}, []string{"\npasswordeval"}},
		{outlook, "mutt", []string{"set imap_authenticators = 'xoauth2'\n", "# set imap_oauth_refresh_command = 'oama access alice@outlook.com'\n",
			"set smtp_authenticators = 'xoauth2'\n", "# set smtp_oauth_refresh_command = "}, []string{"_pass"}},
		// NeoMutt has no XOAUTH2 for POP3: the line is mutt's to uncomment.
		{pop, "mutt", []string{"# set pop_authenticators = 'xoauth2'\n", "# set pop_oauth_refresh_command = ", "set smtp_authenticators = 'oauthbearer'\n",
			"NeoMutt cannot"}, []string{"\nset pop_authenticators"}},
		{outlook, "aerc", []string{"source = imaps+xoauth2://alice%40outlook.com@outlook.office365.com:993\n",
			"outgoing = smtp+xoauth2://alice%40outlook.com@smtp-mail.outlook.com:587\n",
			"# source-cred-cmd = oama access alice@outlook.com\n", "# outgoing-cred-cmd = ",
			"token_endpoint=https://login.microsoftonline.com/common/oauth2/v2.0/token&client_id="}, []string{"\nsource-cred-cmd", "\noutgoing-cred-cmd"}},
		{pop, "aerc", []string{"outgoing = smtps+oauthbearer://dave%40example.net@smtp.example.net:465\n"}, []string{"token_endpoint"}},
		{outlook, "getmail", []string{"\nuse_xoauth2 = True\n", "\n# password_command = (\"oama\", \"access\", \"alice@outlook.com\")\n"}, []string{"\npassword_command"}},
		{outlook, "thunderbird", []string{"<authentication>OAuth2</authentication>", "Thunderbird knows the OAuth2 sign-in", "add the account with just the address."},
			[]string{"password-cleartext", "address and password"}},
		{pop, "thunderbird", []string{"it does not know pop.example.net, smtp.example.net"}, nil},
		{outlook, "outlook-prf", []string{"A PRF file cannot say so", "Classic Outlook signs in with Microsoft by itself"}, []string{"Outlook asks for it"}},
		{pop, "outlook-prf", []string{"Whether Outlook can sign in with OAuth2 on these servers is not confirmed"}, nil},
		{outlook, "outlook-autodiscover", []string{"Autodiscover cannot say so", "Classic Outlook signs in with Microsoft"}, nil},
		{outlook, "apple", []string{"A configuration profile cannot say so", "Apple Mail signs in with Microsoft by itself"}, []string{"asks for the password when the profile"}},
		{pop, "apple", []string{"on these servers it cannot (unconfirmed)"}, nil},
		{outlook, "foxmail-txt", []string{"\n!! This account signs in with OAuth2", "\n!! Foxmail's manual setup has only a password box",
			"密码 / Password: (none: OAuth2 sign-in)\n", "    Note: Outlook.com accepts only"}, []string{"(your password)", "Password: Outlook.com"}},
		{outlook, "fetchmail", []string{"fetchmail 6 cannot sign in with OAuth2", "\n# poll \"outlook.office365.com\" with proto IMAP", "\n#     user \"alice@outlook.com\" there\n"},
			[]string{"\npoll ", "\n    user"}},
		{outlook, "json", []string{`"auth": "oauth2"`, `"issuer": "microsoft"`, `"incoming_mechanisms": [`}, []string{`"password"`}},
	}
	for _, w := range want {
		f, _ := ByID(w.format)
		out, err := f.Render(w.acct, Options{Seed: testSeed})
		if err != nil {
			t.Fatalf("%s: %v", w.format, err)
		}
		text := decodeText(out)
		for _, s := range w.has {
			if !strings.Contains(text, s) {
				t.Errorf("%s for %s lacks %q:\n%s", w.format, w.acct.Email, s, text)
			}
		}
		for _, s := range w.hasNot {
			if strings.Contains(text, s) {
				t.Errorf("%s for %s holds %q:\n%s", w.format, w.acct.Email, s, text)
			}
		}
	}
}

// The Foxmail page shows the OAuth2 warning in a box above the dialog, not
// among the footer's small print.
func TestOAuthFoxmailBoxIsVisible(t *testing.T) {
	page, err := renderFoxmailHTML(oauthAccounts[0].acct, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := string(page)
	box, table, footer := strings.Index(p, `<div class="oauth" role="alert">`), strings.Index(p, `<table class="dialog">`), strings.Index(p, "<footer>")
	if box < 0 || box > table {
		t.Errorf("the OAuth2 box is missing or below the dialog (box %d, table %d)", box, table)
	}
	if strings.Contains(p[footer:], "signs in with OAuth2") {
		t.Error("the OAuth2 sentence is repeated in the footer")
	}
	if !strings.Contains(p, ".oauth {") {
		t.Error("the box has no style")
	}
}

// Thunderbird finds the issuer from the host name or a parent domain, as
// its OAuth2Providers does.
func TestThunderbirdKnowsOAuth(t *testing.T) {
	for host, want := range map[string]bool{
		"outlook.office365.com": true, "smtp.office365.com": true, "smtp-mail.outlook.com": true, "imap.gmail.com": true,
		"IMAP.GMAIL.COM.": true, "pop.mail.yahoo.com": true, "imap.mail.yahoo.com": true, "smtp.aol.com": true,
		"imap.example.com": false, "gmail.com": false, "mail.yahoo.com": false, "com": false, "office365.com.evil.example": false,
	} {
		if got := thunderbirdKnowsOAuth(host); got != want {
			t.Errorf("thunderbirdKnowsOAuth(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestOAuthTokenMechanism(t *testing.T) {
	a := oauthAccounts[1].acct
	for _, c := range []struct {
		role   mailcfg.Role
		client []string
		want   string
		ok     bool
	}{
		{mailcfg.Outgoing, bothMechanisms, mailcfg.MechOAuthBearer, true}, // the server's preference
		{mailcfg.Outgoing, []string{mailcfg.MechXOAuth2}, mailcfg.MechXOAuth2, true},
		{mailcfg.Incoming, []string{mailcfg.MechOAuthBearer}, "", false},
	} {
		got, ok := tokenMechanism(a, c.role, c.client...)
		if got != c.want || ok != c.ok {
			t.Errorf("%s %v: %q %v, want %q %v", c.role, c.client, got, ok, c.want, c.ok)
		}
	}
	// Nothing known of the server: XOAUTH2, which every provider takes.
	a.OAuth2 = nil
	if got, ok := tokenMechanism(a, mailcfg.Incoming, bothMechanisms...); got != mailcfg.MechXOAuth2 || !ok {
		t.Errorf("unknown server: %q %v", got, ok)
	}
}

// OAuth2 details that would break a file's syntax are refused.
func TestOAuthRejectsInjection(t *testing.T) {
	for name, mutate := range map[string]func(*mailcfg.Account){
		"unknown auth":       func(a *mailcfg.Account) { a.Auth = "kerberos" },
		"mechanism":          func(a *mailcfg.Account) { a.OAuth2.IncomingMechanisms = []string{"xoauth2\nexec x"} },
		"endpoint not https": func(a *mailcfg.Account) { a.OAuth2.TokenEndpoint = "http://login.example/token" },
		"endpoint quote":     func(a *mailcfg.Account) { a.OAuth2.TokenEndpoint = `https://login.example/"token` },
		"issuer newline":     func(a *mailcfg.Account) { a.OAuth2.IssuerName = "Micro\nsoft" },
	} {
		a := oauthAccounts[0].acct
		o := *a.OAuth2
		a.OAuth2 = &o
		mutate(&a)
		for _, f := range Formats() {
			if _, err := f.Render(a, Options{}); !errors.Is(err, ErrInvalidAccount) {
				t.Errorf("%s/%s: want ErrInvalidAccount, got %v", name, f.ID, err)
			}
		}
	}
}

// The JSON document carries the sign-in, and reads back the same.
func TestOAuthJSONRoundTrip(t *testing.T) {
	for _, ta := range oauthAccounts {
		out, err := renderJSON(ta.acct, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var back mailcfg.Account
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatal(err)
		}
		if !back.SignsInWithOAuth2() || back.OAuth2 == nil || strings.Join(back.OAuth2.OutgoingMechanisms, ",") != strings.Join(ta.acct.OAuth2.OutgoingMechanisms, ",") {
			t.Errorf("%s: read back %+v", ta.name, back)
		}
	}
	// A password account's document says nothing of OAuth2.
	out, _ := renderJSON(testAccounts[0].acct, Options{})
	if strings.Contains(string(out), `"auth"`) || strings.Contains(string(out), "oauth2") {
		t.Errorf("a password account's JSON mentions OAuth2:\n%s", out)
	}
}

// Thunderbird's own reading: both servers authenticate with OAuth2.
func TestOAuthThunderbirdStructure(t *testing.T) {
	out, err := renderThunderbird(oauthAccounts[0].acct, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var cfg tbConfig
	if err := xml.Unmarshal(out, &cfg); err != nil {
		t.Fatal(err)
	}
	for _, s := range append(cfg.Provider.Incoming, cfg.Provider.Outgoing...) {
		if s.Auth != "OAuth2" {
			t.Errorf("%s: authentication %q, want OAuth2", s.Hostname, s.Auth)
		}
	}
}

// aerc reads the scheme's "+mechanism" as the SASL mechanism; the URL must
// parse with the user and no password.
func TestOAuthAercURL(t *testing.T) {
	out, _ := renderAerc(oauthAccounts[0].acct, Options{})
	ini := parseINI(t, string(out))
	for key, scheme := range map[string]string{"source": "imaps+xoauth2", "outgoing": "smtp+xoauth2"} {
		u, err := url.Parse(ini["alice@outlook.com"][key])
		if err != nil {
			t.Fatal(err)
		}
		if _, has := u.User.Password(); u.Scheme != scheme || u.User.Username() != "alice@outlook.com" || has {
			t.Errorf("%s = %s", key, u)
		}
	}
}
