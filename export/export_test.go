package export

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"mailsetup/mailcfg"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

const testSeed = "mailsetup-golden"

// Trust options of the golden cases; the incoming pin has colons and
// capitals, as users paste it.
const (
	testCAFile = "/etc/mailsetup/test-ca.pem"
	testPinIn  = "0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"
	testPinOut = "ffeeddccbbaa99887766554433221100f0e1d2c3b4a5968778695a4b3c2d1e0f"
)

// testAccounts are the three shapes every format is checked against.
var testAccounts = []struct {
	name string
	acct mailcfg.Account
}{
	{"pop3-tls", mailcfg.Account{
		Email:         "alice@example.com",
		DisplayName:   "Alice Example",
		Incoming:      mailcfg.Server{Protocol: mailcfg.POP3, Host: "pop.example.com", Port: 995, Security: mailcfg.TLS, Username: "alice@example.com"},
		Outgoing:      mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 465, Security: mailcfg.TLS, Username: "alice@example.com"},
		LeaveOnServer: true,
		ProviderID:    "example",
		ProviderName:  "Example Mail",
		PasswordNote:  "use the 16-character authorization code (授权码), not your login password",
		HelpURL:       "https://help.example.com/clients?a=1&b=<2>",
	}},
	{"imap", mailcfg.Account{
		Email:    "bob@example.org",
		Incoming: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "imap.example.org", Port: 993, Security: mailcfg.TLS, Username: "bob"},
		Outgoing: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.example.org", Port: 587, Security: mailcfg.STARTTLS, Username: "bob"},
	}},
	{"starttls", mailcfg.Account{
		Email:         "carol@example.net",
		DisplayName:   `Carol "C." O'Neil`,
		Incoming:      mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.example.net", Port: 110, Security: mailcfg.STARTTLS, Username: "carol@example.net"},
		Outgoing:      mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.example.net", Port: 587, Security: mailcfg.STARTTLS, Username: "carol@example.net"},
		LeaveOnServer: false,
	}},
}

// goldenCases are the accounts in English plus the first one in each
// Chinese variant, so translations are reviewed in the golden files too.
func goldenCases() []struct {
	dir  string
	acct mailcfg.Account
	opts Options
} {
	var cs []struct {
		dir  string
		acct mailcfg.Account
		opts Options
	}
	for _, ta := range testAccounts {
		cs = append(cs, struct {
			dir  string
			acct mailcfg.Account
			opts Options
		}{ta.name, ta.acct, Options{Seed: testSeed}})
	}
	for _, lang := range []string{"zh-Hans", "zh-Hant"} {
		cs = append(cs, struct {
			dir  string
			acct mailcfg.Account
			opts Options
		}{testAccounts[0].name + "." + lang, testAccounts[0].acct, Options{Seed: testSeed, Lang: lang}})
	}
	// Certificate trust: a CA file (IMAP, so fetchmail and getmail show
	// it too) and pinned certificates.
	cs = append(cs, struct {
		dir  string
		acct mailcfg.Account
		opts Options
	}{testAccounts[1].name + ".ca", testAccounts[1].acct, Options{Seed: testSeed, CAFile: testCAFile}})
	cs = append(cs, struct {
		dir  string
		acct mailcfg.Account
		opts Options
	}{testAccounts[0].name + ".pinned", testAccounts[0].acct, Options{Seed: testSeed, CAFile: testCAFile,
		IncomingFingerprint: testPinIn, OutgoingFingerprint: testPinOut}})
	// Accounts that sign in with OAuth2 (oauth_test.go).
	for _, c := range oauthGoldenCases() {
		cs = append(cs, struct {
			dir  string
			acct mailcfg.Account
			opts Options
		}{c.name, c.acct, c.opts})
	}
	return cs
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		for _, f := range Formats() {
			t.Run(c.dir+"/"+f.ID, func(t *testing.T) {
				out, err := f.Render(c.acct, c.opts)
				name := f.ID + f.Ext
				if err != nil {
					if !errors.Is(err, ErrUnsupported) {
						t.Fatalf("render: %v", err)
					}
					name = f.ID + ".error"
					out = []byte(err.Error() + "\n")
				}
				path := filepath.Join("testdata", "golden", c.dir, name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, out, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -run TestGolden -update)", err)
				}
				if !bytes.Equal(out, want) {
					t.Errorf("%s differs from the golden file; got:\n%s", path, out)
				}
			})
		}
	}
}

// Which combinations are refused, and why; everything else must render.
func TestUnsupported(t *testing.T) {
	refused := map[string]bool{"imap/mpop": true, "starttls/getmail": true}
	for _, ta := range testAccounts {
		for _, f := range Formats() {
			_, err := f.Render(ta.acct, Options{Seed: testSeed})
			key := ta.name + "/" + f.ID
			var ue *UnsupportedError
			switch {
			case refused[key] && !errors.As(err, &ue):
				t.Errorf("%s: want UnsupportedError, got %v", key, err)
			case refused[key] && ue.Advice == "":
				t.Errorf("%s: UnsupportedError without advice", key)
			case !refused[key] && err != nil:
				t.Errorf("%s: %v", key, err)
			}
		}
	}
}

func TestFormatsRegistry(t *testing.T) {
	want := []string{"outlook-prf", "outlook-autodiscover", "foxmail", "foxmail-txt", "thunderbird", "apple",
		"msmtp", "mpop", "fetchmail", "getmail", "mutt", "aerc", "json"}
	fs := Formats()
	if len(fs) != len(want) {
		t.Fatalf("got %d formats, want %d", len(fs), len(want))
	}
	for i, f := range fs {
		if f.ID != want[i] {
			t.Errorf("format %d is %q, want %q", i, f.ID, want[i])
		}
		if f.Name == "" || f.Ext == "" || f.MIME == "" || f.Description == "" || f.Render == nil {
			t.Errorf("%s: incomplete %+v", f.ID, f)
		}
		g, ok := ByID(f.ID)
		if !ok || g.ID != f.ID {
			t.Errorf("ByID(%q) = %v, %v", f.ID, g.ID, ok)
		}
	}
	if _, ok := ByID("nope"); ok {
		t.Error(`ByID("nope") found something`)
	}
	fs[0].ID = "changed"
	if Formats()[0].ID != "outlook-prf" {
		t.Error("Formats returned the registry itself, not a copy")
	}
}

// A value that would break out of its syntax is refused, not written.
func TestRejectsInjection(t *testing.T) {
	base := testAccounts[0].acct
	type mutation struct {
		touches need // which server the mutation breaks; 0 for the account itself
		apply   func(a *mailcfg.Account) Options
	}
	cases := map[string]mutation{
		"host newline":     {needIncoming, func(a *mailcfg.Account) Options { a.Incoming.Host = "pop.example.com\nexec x"; return Options{} }},
		"host space":       {needOutgoing, func(a *mailcfg.Account) Options { a.Outgoing.Host = "smtp example.com"; return Options{} }},
		"username newline": {needOutgoing, func(a *mailcfg.Account) Options { a.Outgoing.Username = "a\nb"; return Options{} }},
		"smtp as incoming": {needIncoming, func(a *mailcfg.Account) Options { a.Incoming.Protocol = mailcfg.SMTP; return Options{} }},
		"missing outgoing": {needOutgoing, func(a *mailcfg.Account) Options { a.Outgoing = mailcfg.Server{}; return Options{} }},
		"display newline":  {0, func(a *mailcfg.Account) Options { a.DisplayName = "x\r\ny"; return Options{} }},
		"bad email":        {0, func(a *mailcfg.Account) Options { a.Email = "not an address"; return Options{} }},
		"password newline": {0, func(a *mailcfg.Account) Options { a.Password = "p\nw"; return Options{IncludePassword: true} }},
	}
	uses := map[string]need{"msmtp": needOutgoing, "mpop": needIncoming, "fetchmail": needIncoming, "getmail": needIncoming}
	for name, mu := range cases {
		a := base
		o := mu.apply(&a)
		for _, f := range Formats() {
			u, ok := uses[f.ID]
			if !ok {
				u = needBoth
			}
			if mu.touches != 0 && u&mu.touches == 0 {
				continue // the format never writes the broken server
			}
			_, err := f.Render(a, o)
			if !errors.Is(err, ErrInvalidAccount) {
				t.Errorf("%s/%s: want ErrInvalidAccount, got %v", name, f.ID, err)
			}
		}
	}
}

// The password appears only when asked for, and then in every format that
// can carry one.
func TestPasswordPolicy(t *testing.T) {
	const sentinel = "S3ntinel-PW_x7"
	for _, ta := range testAccounts {
		a := ta.acct
		a.Password = sentinel
		for _, f := range Formats() {
			without, err := f.Render(a, Options{Seed: testSeed})
			if errors.Is(err, ErrUnsupported) {
				continue
			}
			if err != nil {
				t.Fatalf("%s/%s: %v", ta.name, f.ID, err)
			}
			if strings.Contains(decodeText(without), sentinel) {
				t.Errorf("%s/%s: password present without IncludePassword", ta.name, f.ID)
			}
			with, err := f.Render(a, Options{Seed: testSeed, IncludePassword: true})
			if err != nil {
				t.Fatalf("%s/%s with password: %v", ta.name, f.ID, err)
			}
			has := strings.Contains(decodeText(with), sentinel)
			if has != f.CarriesPassword {
				t.Errorf("%s/%s: password present=%v with IncludePassword, CarriesPassword=%v", ta.name, f.ID, has, f.CarriesPassword)
			}
			// Asking without a password to give must not invent one.
			a2 := ta.acct
			empty, err := f.Render(a2, Options{Seed: testSeed, IncludePassword: true})
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := f.Render(a2, Options{Seed: testSeed})
			if !bytes.Equal(empty, plain) {
				t.Errorf("%s/%s: IncludePassword with no password changes the output", ta.name, f.ID)
			}
		}
	}
}

// POP3's leave-a-copy choice reaches every format that has the setting.
func TestLeaveOnServerCarried(t *testing.T) {
	want := map[string][2]string{ // format: {kept, deleted}
		"outlook-prf": {"LeaveOnServer=1\r\n", "LeaveOnServer=0\r\n"},
		"thunderbird": {"<leaveMessagesOnServer>true<", "<leaveMessagesOnServer>false<"},
		"fetchmail":   {"    keep\n", "    no keep\n"},
		"mpop":        {"\nkeep on\n", "\nkeep off\n"},
		"getmail":     {"\ndelete = false\n", "\ndelete = true\n"},
		"mutt":        {"set pop_delete = no\n", "set pop_delete = yes\n"},
		"json":        {`"leave_on_server": true`, `"leave_on_server": false`},
		"foxmail-txt": {"a copy of each message is left", "deleted from the server"},
	}
	for id, w := range want {
		f, _ := ByID(id)
		for i, keep := range []bool{true, false} {
			a := testAccounts[0].acct
			a.LeaveOnServer = keep
			out, err := f.Render(a, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(decodeText(out), w[i]) {
				t.Errorf("%s with LeaveOnServer=%v lacks %q", id, keep, w[i])
			}
			if strings.Contains(decodeText(out), w[1-i]) {
				t.Errorf("%s with LeaveOnServer=%v holds %q", id, keep, w[1-i])
			}
		}
	}
}

func TestLangFallbackAndCatalogue(t *testing.T) {
	for in, want := range map[string]lang{"": langEn, "en": langEn, "fr": langEn, "zh-Hans": langZhHans, "zh_CN": langZhHans,
		"zh-Hant": langZhHant, "zh-TW": langZhHant, "zh-HK": langZhHant} {
		if got := langOf(in); got != want {
			t.Errorf("langOf(%q) = %v, want %v", in, got, want)
		}
	}
	out, err := renderMsmtp(testAccounts[0].acct, Options{Lang: "zh-Hant"})
	if err != nil || !strings.Contains(string(out), "產生") {
		t.Errorf("zh-Hant header missing: %v\n%s", err, out)
	}
}

func TestUUIDs(t *testing.T) {
	a, b := newUUID("s", "x@y.z", "mail"), newUUID("s", "x@y.z", "mail")
	if a != b {
		t.Errorf("seeded UUIDs differ: %s %s", a, b)
	}
	if a == newUUID("s", "x@y.z", "profile") {
		t.Error("purpose does not change the UUID")
	}
	r1, r2 := newUUID("", "x@y.z", "mail"), newUUID("", "x@y.z", "mail")
	if r1 == r2 {
		t.Error("unseeded UUIDs repeat")
	}
	for _, u := range []string{a, r1} {
		if len(u) != 36 || u[14] != '5' && u[14] != '4' || !strings.ContainsRune("89AB", rune(u[19])) {
			t.Errorf("malformed UUID %s", u)
		}
	}
}

// decodeText undoes the PRF's UTF-16 so searches see the characters.
func decodeText(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		}
		return string(utf16.Decode(u))
	}
	return string(b)
}

// For a provider that opens the mailbox only to IMAP clients that send ID
// (NetEase), every format whose client reads IMAP says whether it does.
func TestIMAPIDNotes(t *testing.T) {
	want := map[string]string{ // format → words of its client's sentence
		"outlook-prf": "Current Outlook sends it", "outlook-autodiscover": "Current Outlook sends it",
		"foxmail": "Foxmail sends it", "foxmail-txt": "Foxmail sends it", "thunderbird": "Thunderbird sends it",
		"apple": "Apple Mail sends it", "fetchmail": "only to yahoo.com servers", "getmail": "getmail does not send it",
		"mutt": "set imap_send_id = yes", "aerc": "Whether aerc sends it is not confirmed",
	}
	imap := testAccounts[1].acct
	imap.ProviderName, imap.NeedsIMAPID = "NetEase Mail", true
	pop := testAccounts[0].acct
	pop.NeedsIMAPID = true
	for _, f := range Formats() {
		for _, lang := range []string{"en", "zh-Hans"} {
			out, err := f.Render(imap, Options{Seed: testSeed, Lang: lang})
			if err != nil {
				continue // mpop reads no IMAP
			}
			text := decodeText(out)
			has := strings.Contains(text, "RFC 2971")
			switch {
			case want[f.ID] == "" && has:
				t.Errorf("%s/%s: an IMAP ID note in a format whose client reads no IMAP", f.ID, lang)
			case want[f.ID] != "" && !has:
				t.Errorf("%s/%s: no IMAP ID note:\n%s", f.ID, lang, text)
			case want[f.ID] != "" && lang == "en" && !strings.Contains(text, "NetEase Mail opens the mailbox only to IMAP clients") ||
				lang == "en" && !strings.Contains(text, want[f.ID]):
				t.Errorf("%s: the note does not say %q:\n%s", f.ID, want[f.ID], text)
			}
		}
		if out, err := f.Render(pop, Options{Seed: testSeed}); err == nil && strings.Contains(decodeText(out), "RFC 2971") {
			t.Errorf("%s: an IMAP ID note for a POP3 account", f.ID)
		}
	}
}
