package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/internal/testbed"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// The check and diagnose tests run the commands in process against one
// test bed shared by the package: real dovecot instances, DNS and scripted
// look-alikes of providers. Each run builds a fresh engine, which wireBed
// points at the bed's live port map, so tests may add servers as they run
// in parallel.

var (
	bed       *testbed.Bed
	scenarios *testbed.Scenarios
)

// wireBed is the Env.Wire of every command the tests run.
func wireBed(o *assistant.Options) error {
	if bed != nil {
		o.Dialer = bed.Dialer()
	}
	return nil
}

func TestMain(m *testing.M) {
	os.Exit(runWithBed(m))
}

func runWithBed(m *testing.M) int {
	var err error
	bed, err = testbed.New(testbed.Options{})
	if err == nil {
		scenarios, err = bed.StartStandard()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "test bed:", err)
		if bed != nil {
			bed.Close()
		}
		return 1
	}
	defer bed.Close()
	// Human output in English unless a test says otherwise.
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
		os.Unsetenv(v)
	}
	os.Setenv("LANG", "C.UTF-8")
	// No OAuth2 client ID but the ones a test gives: none from the
	// environment, none saved by a window of whoever runs the tests.
	os.Unsetenv(ClientIDEnv)
	config, err := os.MkdirTemp("", "mailsetup-cli-config-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(config)
	os.Setenv("XDG_CONFIG_HOME", config)
	return m.Run()
}

// bedArgs points a command at the bed: its DNS, its CA, no ISPDB.
func bedArgs(args ...string) []string {
	return append(args, "--dns", bed.DNSAddr, "--ca", bed.CAFile, "--offline", "--timeout", "15s")
}

// checkJSON runs check --json and decodes the report.
func checkJSON(t *testing.T, password string, args ...string) (int, map[string]any, string) {
	t.Helper()
	code, stdout, stderr := run(t, password+"\n", bedArgs(append([]string{"check", "--json", "--password-stdin"}, args...)...)...)
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("check %v: exit %d, not JSON (%v):\n%s\nstderr:\n%s", args, code, err, stdout, stderr)
	}
	return code, doc, stderr
}

// field walks a decoded JSON document: field(doc, "login", "incoming", "ok").
func field(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// jsonHintIDs lists the ids of a JSON hint list.
func jsonHintIDs(v any) []string {
	list, _ := v.([]any)
	var ids []string
	for _, h := range list {
		if id, ok := field(h, "id").(string); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

const wrongPassword = "not-the-password-9"

// loginDomain is a dovecot with one incoming protocol and one kind of
// security, so the recommendation cannot waver between POP3 and IMAP, or
// 465 and 587, when probes slow down under load.
type loginDomain struct {
	email    string
	inPort   int
	outPort  int
	security string
	protocol string
}

var (
	loginDomainsOnce sync.Once
	loginDomainsByID map[string]loginDomain
	loginDomainsErr  error
)

// loginDomains starts, once per package, "pop3/tls" (995, 465),
// "imap/tls" (993, 465), "pop3/starttls" (110, 587), "imap/starttls" (143, 587).
func loginDomains(t *testing.T) map[string]loginDomain {
	t.Helper()
	loginDomainsOnce.Do(func() {
		loginDomainsByID = map[string]loginDomain{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, c := range []loginDomain{
			{protocol: "pop3", security: "tls", inPort: 995, outPort: 465},
			{protocol: "imap", security: "tls", inPort: 993, outPort: 465},
			{protocol: "pop3", security: "starttls", inPort: 110, outPort: 587},
			{protocol: "imap", security: "starttls", inPort: 143, outPort: 587},
		} {
			domain := c.protocol + "-" + c.security + ".test"
			c.email = "alice@" + domain
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := bed.StartDovecot(testbed.DovecotOptions{Hosts: []string{"mail." + domain},
					Users:    map[string]string{c.email: testbed.DefaultPassword},
					Services: []testbed.Listener{{StdPort: c.inPort}, {StdPort: c.outPort}}})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					loginDomainsErr = err
					return
				}
				loginDomainsByID[c.protocol+"/"+c.security] = c
			}()
		}
		wg.Wait()
	})
	if loginDomainsErr != nil {
		t.Fatal(loginDomainsErr)
	}
	return loginDomainsByID
}

func TestCheckRightAndWrongPassword(t *testing.T) {
	t.Parallel()
	domains := loginDomains(t)
	type passwordCase struct {
		name     string
		ld       loginDomain
		password string
		wantCode int
	}
	var tests []passwordCase
	for _, id := range []string{"pop3/tls", "imap/tls", "pop3/starttls", "imap/starttls"} {
		tests = append(tests, passwordCase{id, domains[id], testbed.DefaultPassword, ExitOK},
			passwordCase{id + " wrong", domains[id], wrongPassword, ExitAuthFailed})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, doc, stderr := checkJSON(t, tt.password, tt.ld.email, "--protocol", tt.ld.protocol)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			right := tt.wantCode == ExitOK
			for role, port := range map[string]float64{"incoming": float64(tt.ld.inPort), "outgoing": float64(tt.ld.outPort)} {
				o := field(doc, "login", role)
				if ok, isBool := field(o, "ok").(bool); !isBool || ok != right {
					t.Errorf("login.%s.ok = %v, want %v", role, field(o, "ok"), right)
				}
				if msg, isString := field(o, "error").(string); !isString || (msg == "") != right {
					t.Errorf("login.%s.error = %#v", role, field(o, "error"))
				}
				if field(o, "server", "port") != port || field(o, "server", "security") != tt.ld.security {
					t.Errorf("login.%s.server = %v, want port %v %s", role, field(o, "server"), port, tt.ld.security)
				}
				if mech, _ := field(o, "mechanism").(string); mech == "" {
					t.Errorf("login.%s.mechanism missing", role)
				}
				if field(o, "auth_failed") != !right {
					t.Errorf("login.%s.auth_failed = %v", role, field(o, "auth_failed"))
				}
				if !right && !slices.Contains(jsonHintIDs(field(o, "hints")), "auth_failed") {
					t.Errorf("login.%s.hints = %v, want auth_failed", role, jsonHintIDs(field(o, "hints")))
				}
			}
			if _, ok := field(doc, "login", "incoming", "messages").(float64); !ok {
				t.Errorf("login.incoming.messages missing: %v", field(doc, "login", "incoming"))
			}
		})
	}
}

func TestCheckHumanOutput(t *testing.T) {
	t.Parallel()
	const domain = "humancount.test"
	email := "alice@" + domain
	bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"mail." + domain},
		Users: map[string]string{email: testbed.DefaultPassword}, Messages: 2})

	code, out, stderr := run(t, testbed.DefaultPassword+"\n", bedArgs("check", email, "--password-stdin")...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"Login test", "Incoming", "mail." + domain + ":", "2 messages",
		"user " + email + ", PLAIN"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, wrongPassword+"\n", bedArgs("check", email, "--password-stdin", "--protocol", "imap")...)
	if code != ExitAuthFailed || !strings.Contains(out, "FAILED") || !strings.Contains(out, "Authentication failed") {
		t.Errorf("wrong password: exit %d\n%s", code, out)
	}
	code, doc, _ := checkJSON(t, testbed.DefaultPassword, email, "--protocol", "imap")
	if code != ExitOK || field(doc, "login", "incoming", "messages") != 2.0 {
		t.Errorf("IMAP: exit %d, messages %v", code, field(doc, "login", "incoming", "messages"))
	}
}

func TestCheckPasswordInput(t *testing.T) {
	t.Parallel()
	code, _, stderr := run(t, "", bedArgs("check", scenarios.SRV.Email, "--password-stdin")...)
	if code != ExitUsage || !strings.Contains(stderr, "no password") {
		t.Errorf("empty stdin: exit %d %s", code, stderr)
	}
	// Nothing usable: exit 1, the login object still says why.
	code, doc, _ := checkJSON(t, testbed.DefaultPassword, scenarios.NXDomain.Email)
	if code != ExitFailed || field(doc, "login", "incoming", "ok") != false || field(doc, "login", "incoming", "error") == "" {
		t.Errorf("nxdomain: exit %d login %v", code, field(doc, "login"))
	}
}

// A plaintext-only dovecot must not receive the password without
// --allow-insecure; its log (auth_verbose) shows every credential check.
func TestCheckPlaintextOnly(t *testing.T) {
	t.Parallel()
	const domain = "cliplain.test"
	email := "alice@" + domain
	d := bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"mail." + domain}, PlaintextOnly: true,
		Users: map[string]string{email: testbed.DefaultPassword}})

	for _, proto := range []string{"pop3", "imap"} {
		code, doc, stderr := checkJSON(t, testbed.DefaultPassword, email, "--protocol", proto)
		if code != ExitFailed {
			t.Errorf("%s without --allow-insecure: exit %d, want %d\n%s", proto, code, ExitFailed, stderr)
		}
		if field(doc, "insecure") != true {
			t.Errorf("report not marked insecure")
		}
		for _, role := range []string{"incoming", "outgoing"} {
			msg, _ := field(doc, "login", role, "error").(string)
			if field(doc, "login", role, "ok") != false || !strings.Contains(msg, "without encryption") {
				t.Errorf("%s %s: ok=%v error=%q", proto, role, field(doc, "login", role, "ok"), msg)
			}
		}
	}
	code, out, _ := run(t, testbed.DefaultPassword+"\n", bedArgs("check", email, "--password-stdin")...)
	if code != ExitFailed || !strings.Contains(out, "--allow-insecure") {
		t.Errorf("human output should say how to allow it: exit %d\n%s", code, out)
	}
	for _, leak := range []string{"passwd-file(", "Login: ", "user=<alice"} {
		if d.LogContains(leak) {
			t.Fatalf("dovecot saw credentials (%q) without --allow-insecure:\n%s", leak, d.Log())
		}
	}

	for _, proto := range []string{"pop3", "imap"} {
		code, doc, stderr := checkJSON(t, testbed.DefaultPassword, email, "--protocol", proto, "--allow-insecure")
		if code != ExitOK {
			t.Errorf("%s with --allow-insecure: exit %d\n%v\n%s", proto, code, field(doc, "login"), stderr)
		}
	}
	if !d.LogContains("Login: user=<" + email + ">") {
		t.Errorf("no login in dovecot's log after --allow-insecure:\n%s", d.Log())
	}
}

func TestCheckSendTest(t *testing.T) {
	t.Parallel()
	const domain = "clisend.test"
	email := "alice@" + domain
	d := bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"pop." + domain, "imap." + domain, "smtp." + domain},
		Users: map[string]string{email: testbed.DefaultPassword}})

	for _, proto := range []string{"pop3", "imap"} {
		code, doc, stderr := checkJSON(t, testbed.DefaultPassword, email, "--protocol", proto, "--send-test")
		if code != ExitOK {
			t.Errorf("%s: exit %d\n%v\n%s", proto, code, field(doc, "send"), stderr)
		}
		id, _ := field(doc, "send", "message_id").(string)
		if field(doc, "send", "sent") != true || field(doc, "send", "arrived") != true || id == "" {
			t.Errorf("%s: send = %v", proto, field(doc, "send"))
		}
	}
	if n := d.Messages(email); n != 2 {
		t.Errorf("INBOX holds %d messages after two send tests", n)
	}
	code, out, _ := run(t, testbed.DefaultPassword+"\n", bedArgs("check", email, "--password-stdin", "--send-test")...)
	if code != ExitOK || !strings.Contains(out, "Test message") || !strings.Contains(out, "arrived") {
		t.Errorf("human send test: exit %d\n%s", code, out)
	}
}

// A user known only by the local part, on a domain no provider entry
// covers: check reports the name that worked.
func TestCheckUsernameFallback(t *testing.T) {
	t.Parallel()
	const domain = "clilocal.test"
	bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"mail." + domain},
		Users: map[string]string{"alice": testbed.DefaultPassword}})

	code, doc, stderr := checkJSON(t, testbed.DefaultPassword, "alice@"+domain)
	if code != ExitOK {
		t.Fatalf("exit %d: %v\n%s", code, field(doc, "login"), stderr)
	}
	for _, role := range []string{"incoming", "outgoing"} {
		if u := field(doc, "login", role, "username"); u != "alice" {
			t.Errorf("login.%s.username = %v, want alice", role, u)
		}
	}
	code, out, _ := run(t, testbed.DefaultPassword+"\n", bedArgs("check", "alice@"+domain, "--password-stdin")...)
	if code != ExitOK || !strings.Contains(out, "user alice,") {
		t.Errorf("human output does not name the user that worked: exit %d\n%s", code, out)
	}
}

// Provider look-alikes: the provider's real host names, served by
// scripted servers through the bed's DNS, answering as the providers do.
const (
	qqAuthCodeReply   = "535 Login Fail. Please enter your authorization code to login. More information in https://service.mail.qq.com/detail/0/53"
	neteaseUnsafe     = "NO Unsafe Login. Please contact kefu@188.com for help"
	outlookBasicReply = "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]"
)

type lookAlikes struct {
	netease *testbed.ScriptedServer // imap.163.com
}

var (
	lookAlikesOnce sync.Once
	looks          lookAlikes
)

// providerLookAlikes starts, once per package, QQ Mail (pop.qq.com works,
// smtp.qq.com wants an authorization code), NetEase (imap.163.com opens
// INBOX only after ID) and Outlook.com (smtp-mail.outlook.com refuses
// basic authentication).
func providerLookAlikes(t *testing.T) lookAlikes {
	t.Helper()
	lookAlikesOnce.Do(func() {
		start := func(host string, port int, sec mailcfg.Security, proto mailcfg.Protocol, s testbed.Script) *testbed.ScriptedServer {
			ss, err := bed.StartScripted("", port, sec, proto, s)
			if err != nil {
				panic(err)
			}
			bed.AddA(host, ss.IP)
			return ss
		}
		start("pop.qq.com", 995, mailcfg.TLS, mailcfg.POP3, testbed.Script{})
		start("smtp.qq.com", 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{Replies: map[string]string{"AUTH": qqAuthCodeReply}})
		looks.netease = start("imap.163.com", 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{
			Hook: func(s *testbed.Session, verb, _ string) (string, bool) {
				if (verb == "SELECT" || verb == "EXAMINE") && !s.Seen("ID") {
					return neteaseUnsafe, true
				}
				return "", false
			}})
		start("smtp.163.com", 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{})
		start("outlook.office365.com", 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{})
		start("smtp-mail.outlook.com", 587, mailcfg.STARTTLS, mailcfg.SMTP, testbed.Script{Replies: map[string]string{"AUTH": outlookBasicReply}})
	})
	return looks
}

func TestCheckProviderReplies(t *testing.T) {
	t.Parallel()
	providerLookAlikes(t)
	tests := []struct {
		name     string
		email    string
		wantCode int
		role     string // the role that fails
		wantHint string // its first hint
	}{
		{"qq authorization code", "alice@qq.com", ExitAuthFailed, "outgoing", "qq_auth_code"},
		{"netease needs ID", "alice@163.com", ExitOK, "", ""},
		// Outlook.com takes no password: the check signs in with OAuth2,
		// which without a client ID stops before anything is sent.
		{"outlook takes OAuth2 only", "alice@outlook.com", ExitUsage, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, doc, stderr := checkJSON(t, "abcdefghijklmnop", tt.email, "--protocol", "imap")
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d: %v\n%s", code, tt.wantCode, field(doc, "login"), stderr)
			}
			if tt.wantCode == ExitUsage {
				if msg, _ := field(doc, "login", "incoming", "error").(string); !strings.Contains(msg, "client ID") {
					t.Errorf("login.incoming.error %q, want the client ID explained", msg)
				}
			}
			if tt.role != "" {
				ids := jsonHintIDs(field(doc, "login", tt.role, "hints"))
				if len(ids) == 0 || ids[0] != tt.wantHint {
					t.Errorf("login.%s.hints = %v, want %s first", tt.role, ids, tt.wantHint)
				}
			}
			// Provider notes come with the report, before any login.
			if len(jsonHintIDs(field(doc, "notes"))) == 0 {
				t.Errorf("no provider notes for %s", tt.email)
			}
			if tt.email == "alice@163.com" {
				if cmds := looks.netease.Commands(); !slices.Contains(cmds, "ID") {
					t.Errorf("imap.163.com never got ID: %v", cmds)
				}
			}
		})
	}
}

// Hints come in the language asked for, English by default.
func TestCheckLanguages(t *testing.T) {
	t.Parallel()
	providerLookAlikes(t)
	tests := []struct {
		lang    string
		phrases []string // words of the command line and of the hint
	}{
		{"", []string{"Login test", "authorization code", "explained in the note above"}},
		{"en", []string{"Login test", "authorization code", "explained in the note above"}},
		{"zh-Hans", []string{"登录测试", "授权码", "不接受QQ密码", "原因见上方提示"}},
		{"zh-Hant", []string{"登入測試", "授權碼", "不接受 QQ 密碼", "原因見上方提示"}},
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			t.Parallel()
			args := []string{"check", "alice@qq.com", "--password-stdin"}
			if tt.lang != "" {
				args = append(args, "--lang", tt.lang)
			}
			code, out, _ := run(t, "abcdefghijklmnop\n", bedArgs(args...)...)
			if code != ExitAuthFailed {
				t.Errorf("exit %d, want %d", code, ExitAuthFailed)
			}
			lang := l10n.Normalize(tt.lang)
			h, _ := hints.Render("qq_auth_code", hints.Facts{ProviderID: "qq"}, lang)
			// Once: among the notes, which the failed login points to.
			if h.Text == "" || strings.Count(out, h.Text) != 1 {
				t.Errorf("output should hold the %s text of qq_auth_code once, %q:\n%s", lang, h.Text, out)
			}
			for _, p := range tt.phrases {
				if !strings.Contains(out, p) {
					t.Errorf("output lacks %q:\n%s", p, out)
				}
			}
			if lang == "en" && strings.ContainsRune(out, '录') {
				t.Errorf("English output holds Chinese:\n%s", out)
			}
		})
	}
}

// The language follows the locale when --lang is not given.
func TestCheckLanguageFromLocale(t *testing.T) {
	providerLookAlikes(t)
	t.Setenv("LANG", "zh_TW.UTF-8")
	code, out, _ := run(t, "abcdefghijklmnop\n", bedArgs("check", "alice@qq.com", "--password-stdin")...)
	if code != ExitAuthFailed || !strings.Contains(out, "登入測試") || !strings.Contains(out, "授權碼") {
		t.Errorf("LANG=zh_TW: exit %d\n%s", code, out)
	}
}

// secretsOf are the password's forms that must never reach a transcript.
func secretsOf(user, password string) []string {
	b64 := base64.StdEncoding.EncodeToString
	return []string{password, b64([]byte(password)), b64([]byte("\x00" + user + "\x00" + password)),
		b64([]byte(user + "\x00" + user + "\x00" + password))}
}

func TestTranscriptRedacted(t *testing.T) {
	t.Parallel()
	domains := loginDomains(t)
	// Scripted servers that make the client take the other paths:
	// AUTHENTICATE PLAIN with SASL-IR (LOGINDISABLED), POP3 AUTH PLAIN
	// (no USER), SMTP AUTH LOGIN (the only mechanism).
	imapSASL := bed.Scripted(t, "", 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{
		Capabilities: []string{"IMAP4rev1", "ID", "SASL-IR", "LOGINDISABLED", "AUTH=PLAIN"}})
	bed.AddA("imap.saslonly.test", imapSASL.IP)
	pop3SASL := bed.Scripted(t, "", 995, mailcfg.TLS, mailcfg.POP3, testbed.Script{
		Capabilities: []string{"TOP", "UIDL", "SASL PLAIN"}})
	bed.AddA("pop.saslonly.test", pop3SASL.IP)
	smtpLogin := bed.Scripted(t, "", 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{
		Capabilities: []string{"8BITMIME", "AUTH LOGIN"}})
	bed.AddA("smtp.saslonly.test", smtpLogin.IP)

	const user = "alice@saslonly.test"
	tests := []struct {
		name     string
		password string
		args     []string
		wantCmd  string // a command the transcript must show
	}{
		{"pop3 user/pass and smtp plain", testbed.DefaultPassword, []string{"check", domains["pop3/tls"].email}, "C: PASS ***"},
		{"imap login", testbed.DefaultPassword, []string{"check", domains["imap/tls"].email, "--protocol", "imap"}, "LOGIN"},
		{"starttls", testbed.DefaultPassword, []string{"check", domains["imap/starttls"].email, "--protocol", "imap"}, "STARTTLS"},
		{"wrong password", wrongPassword, []string{"check", domains["pop3/starttls"].email}, "C: PASS ***"},
		{"imap authenticate plain", "sasl-secret-77", []string{"diagnose", "imap.saslonly.test:993", "--user", user}, "AUTHENTICATE PLAIN"},
		{"pop3 auth plain", "sasl-secret-77", []string{"diagnose", "pop.saslonly.test:995", "--user", user}, "C: AUTH PLAIN"},
		{"smtp auth login", "sasl-secret-77", []string{"diagnose", "smtp.saslonly.test:465", "--user", user}, "C: AUTH LOGIN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := bedArgs(append(tt.args, "-v", "--password-stdin")...)
			code, _, stderr := run(t, tt.password+"\n", args...)
			if tt.password == wrongPassword {
				if code != ExitAuthFailed {
					t.Errorf("exit %d, want %d", code, ExitAuthFailed)
				}
			} else if code != ExitOK {
				t.Errorf("exit %d\n%s", code, stderr)
			}
			if !strings.Contains(stderr, "C: ") || !strings.Contains(stderr, "S: ") || !strings.Contains(stderr, tt.wantCmd) {
				t.Errorf("the transcript lacks the conversation (%q):\n%s", tt.wantCmd, stderr)
			}
			username := tt.args[1] // check EMAIL
			if tt.args[0] == "diagnose" {
				username = user
			}
			for _, s := range secretsOf(username, tt.password) {
				if strings.Contains(stderr, s) {
					t.Errorf("the transcript holds a secret %q:\n%s", s, stderr)
				}
			}
		})
	}
}

// Servers only an untrusted source named (an SRV target outside the
// domain) get the password only with consent.
func TestCheckUntrustedSource(t *testing.T) {
	t.Parallel()
	sc := scenarios.SRVOut
	code, doc, _ := checkJSON(t, sc.Password, sc.Email)
	msg, _ := field(doc, "login", "incoming", "error").(string)
	if code != ExitFailed || !strings.Contains(msg, "untrusted") {
		t.Errorf("without consent: exit %d, error %q", code, msg)
	}
	// Consent to plain text is not consent to an untrusted source.
	if code, _, _ = checkJSON(t, sc.Password, sc.Email, "--allow-insecure"); code != ExitFailed {
		t.Errorf("--allow-insecure alone: exit %d, want %d", code, ExitFailed)
	}
	if code, doc, _ = checkJSON(t, sc.Password, sc.Email, "--allow-untrusted"); code != ExitOK {
		t.Errorf("with consent: exit %d %v", code, field(doc, "login"))
	}
}
