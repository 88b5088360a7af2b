package assistant

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"mailsetup/hints"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// The login tests run against the shared bed of scenario_test.go: the
// standard scenarios for TLS and STARTTLS, and dovecot instances of their
// own where they need a mailbox, a log or users nobody else touches.

const wrongPassword = "not-the-password-9"

// checkAddress discovers email and logs in on the recommendation.
func checkAddress(t *testing.T, e *Engine, email string, o LoginRequest) *Report {
	t.Helper()
	rep, err := e.Discover(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	e.Check(context.Background(), rep, o)
	if rep.Login == nil || rep.Login.Incoming == nil || rep.Login.Outgoing == nil {
		t.Fatalf("check left the login report incomplete: %+v", rep.Login)
	}
	return rep
}

// loginServer tests one server as the window's edited cards do: through
// Check's path, on a report that knows nothing of the server; plain grants
// consent to plain text.
func loginServer(e *Engine, srv mailcfg.Server, password, providerID string, plain bool) LoginOutcome {
	rep := &Report{}
	if providerID != "" {
		rep.Provider = &ProviderRef{ID: providerID}
	}
	q := LoginRequest{Password: password, Incoming: &srv, Outgoing: &srv}
	q.Grants.Plaintext.All = plain
	return e.loginRole(context.Background(), rep, srv.Role(), q, nil)
}

// sendTest runs a send test as after two successful logins on in and out.
func sendTest(e *Engine, email string, in, out mailcfg.Server, password string) *SendTest {
	rep := &Report{Email: email, Login: &LoginReport{
		Incoming: &LoginOutcome{OK: true, Server: in, Username: in.Username},
		Outgoing: &LoginOutcome{OK: true, Server: out, Username: out.Username}}}
	return e.SendTest(context.Background(), rep, LoginRequest{Password: password})
}

func hintIDs(hs []hints.Hint) []string {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}

// loginDomain is a dovecot with one incoming protocol and one kind of
// security, so the recommendation cannot waver between POP3 and IMAP, or
// 465 and 587, when probes slow down under load.
type loginDomain struct {
	email   string
	ip      string // the dovecot's address
	in, out mailcfg.Server
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
		for _, c := range []struct {
			proto, sec string
			in, out    int
		}{
			{"pop3", "tls", 995, 465}, {"imap", "tls", 993, 465}, {"pop3", "starttls", 110, 587}, {"imap", "starttls", 143, 587},
		} {
			domain := c.proto + "-" + c.sec + ".test"
			email, host := "alice@"+domain, "mail."+domain
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := bed.StartDovecot(testbed.DovecotOptions{Hosts: []string{host},
					Users: map[string]string{email: testbed.DefaultPassword}, Services: []testbed.Listener{{StdPort: c.in}, {StdPort: c.out}}})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					loginDomainsErr = err
					return
				}
				loginDomainsByID[c.proto+"/"+c.sec] = loginDomain{email: email, ip: d.IP, in: d.Server(host, c.in), out: d.Server(host, c.out)}
			}()
		}
		wg.Wait()
	})
	if loginDomainsErr != nil {
		t.Fatal(loginDomainsErr)
	}
	return loginDomainsByID
}

func TestCheckLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		domain   string // in loginDomains
		password string
		wantMech string // incoming mechanism when the login works
	}{
		{"pop3 tls right", "pop3/tls", testbed.DefaultPassword, "USER/PASS"},
		{"pop3 tls wrong", "pop3/tls", wrongPassword, ""},
		{"imap tls right", "imap/tls", testbed.DefaultPassword, "IMAP LOGIN"},
		{"imap tls wrong", "imap/tls", wrongPassword, ""},
		{"pop3 starttls right", "pop3/starttls", testbed.DefaultPassword, "USER/PASS"},
		{"pop3 starttls wrong", "pop3/starttls", wrongPassword, ""},
		{"imap starttls right", "imap/starttls", testbed.DefaultPassword, "IMAP LOGIN"},
		{"imap starttls wrong", "imap/starttls", wrongPassword, ""},
	}
	domains := loginDomains(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ld := domains[tt.domain]
			e := bedEngine(t, Options{Protocol: ld.in.Protocol, Offline: true})
			rep := checkAddress(t, e, ld.email, LoginRequest{Password: tt.password})
			right := tt.password == testbed.DefaultPassword
			for _, r := range []struct {
				role string
				got  *LoginOutcome
				want mailcfg.Server
			}{{"incoming", rep.Login.Incoming, ld.in}, {"outgoing", rep.Login.Outgoing, ld.out}} {
				o := r.got
				if o.Server.Host != r.want.Host || o.Server.Port != r.want.Port || o.Server.Security != r.want.Security {
					t.Errorf("%s: logged in on %s, want %s", r.role, o.Server, r.want)
				}
				if o.OK != right || o.AuthFailed == right {
					t.Errorf("%s: ok=%v auth_failed=%v error=%q, want ok=%v", r.role, o.OK, o.AuthFailed, o.Error, right)
				}
				if o.Username != ld.email {
					t.Errorf("%s: username %q, want %q", r.role, o.Username, ld.email)
				}
				if o.Mechanism == "" {
					t.Errorf("%s: no mechanism reported", r.role)
				}
				if right && (o.Error != "" || len(o.Hints) != 0) {
					t.Errorf("%s: a working login carries error %q and hints %v", r.role, o.Error, hintIDs(o.Hints))
				}
				if !right {
					if o.Reply == "" || !strings.Contains(o.Error, o.Reply) {
						t.Errorf("%s: error %q should quote the server's reply %q", r.role, o.Error, o.Reply)
					}
					if !slices.Contains(hintIDs(o.Hints), "auth_failed") {
						t.Errorf("%s: hints %v lack auth_failed", r.role, hintIDs(o.Hints))
					}
				}
			}
			if right && rep.Login.Incoming.Mechanism != tt.wantMech {
				t.Errorf("incoming mechanism %q, want %q", rep.Login.Incoming.Mechanism, tt.wantMech)
			}
			if rep.Login.OK() != right || rep.Login.AuthFailed() == right {
				t.Errorf("report OK()=%v AuthFailed()=%v", rep.Login.OK(), rep.Login.AuthFailed())
			}
			checkLoginJSON(t, rep, right)
		})
	}
}

// checkLoginJSON holds the "login" object to the contract's shape (docs/design.md).
func checkLoginJSON(t *testing.T, rep *Report, wantOK bool) {
	t.Helper()
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Login map[string]map[string]any `json:"login"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"incoming", "outgoing"} {
		o, ok := doc.Login[role]
		if !ok {
			t.Errorf("JSON login lacks %q: %s", role, data)
			continue
		}
		if got, ok := o["ok"].(bool); !ok || got != wantOK {
			t.Errorf("JSON login.%s.ok = %v, want %v", role, o["ok"], wantOK)
		}
		if msg, ok := o["error"].(string); !ok || (msg == "") != wantOK {
			t.Errorf("JSON login.%s.error = %#v", role, o["error"])
		}
	}
}

// Logins on incoming servers count the messages: POP3 STAT, IMAP SELECT.
func TestLoginCountsMessages(t *testing.T) {
	t.Parallel()
	const host = "mail.count.test"
	email := "alice@count.test"
	d := bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{host},
		Users: map[string]string{email: testbed.DefaultPassword}, Messages: 3})
	e := bedEngine(t, Options{Offline: true})
	for _, port := range []int{995, 110, 993, 143} {
		srv := d.Server(host, port)
		srv.Username = email
		o := loginServer(e, srv, testbed.DefaultPassword, "", false)
		if !o.OK || o.Messages != 3 {
			t.Errorf("%s: ok=%v messages=%d error=%q, want 3 messages", srv, o.OK, o.Messages, o.Error)
		}
	}
}

// A user known to the server only by the local part: the full address is
// tried first, then "alice", and the report names the one that worked.
func TestCheckUsernameFallback(t *testing.T) {
	t.Parallel()
	const domain = "localpart.test"
	d := bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"mail." + domain},
		Users: map[string]string{"alice": testbed.DefaultPassword}})
	for _, proto := range []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP} {
		t.Run(string(proto), func(t *testing.T) {
			t.Parallel()
			e := bedEngine(t, Options{Protocol: proto, Offline: true})
			rep := checkAddress(t, e, "alice@"+domain, LoginRequest{Password: testbed.DefaultPassword})
			for _, o := range []*LoginOutcome{rep.Login.Incoming, rep.Login.Outgoing} {
				if !o.OK || o.Username != "alice" {
					t.Errorf("%s: ok=%v username=%q error=%q, want ok as \"alice\"", o.Server, o.OK, o.Username, o.Error)
				}
			}
		})
	}
	t.Cleanup(func() {
		if !d.LogContains("passwd-file(alice@" + domain) {
			t.Errorf("the full address was never tried first; log:\n%s", d.Log())
		}
	})
}

// A plaintext-only server must not see the password unless the user
// allows it; dovecot's log (auth_verbose) records every credential check.
func TestPlaintextOnlyNeedsConsent(t *testing.T) {
	t.Parallel()
	const domain = "plainonly.test"
	email := "alice@" + domain
	d := bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"mail." + domain}, PlaintextOnly: true,
		Users: map[string]string{email: testbed.DefaultPassword}})
	credentialsSeen := func() bool {
		return d.LogContains("passwd-file(") || d.LogContains("Login: ") || d.LogContains("user=<alice")
	}

	e := bedEngine(t, Options{Offline: true})
	rep := checkAddress(t, e, email, LoginRequest{Password: testbed.DefaultPassword, Grants: Grants{UntrustedSource: Grant{All: true}}})
	if !rep.Insecure {
		t.Errorf("the report does not say the recommendation is insecure")
	}
	for _, o := range []*LoginOutcome{rep.Login.Incoming, rep.Login.Outgoing} {
		if o.OK || o.AuthFailed {
			t.Errorf("%s: ok=%v auth_failed=%v without consent", o.Server, o.OK, o.AuthFailed)
		}
		if o.Server.Security != mailcfg.None || len(o.Needs) != 1 || o.Needs[0].Kind != ConsentPlaintext ||
			!strings.Contains(o.Error, "not encrypted") {
			t.Errorf("%s: error %q, needs %+v; want the plain-text consent asked for", o.Server, o.Error, o.Needs)
		}
		if ids := hintIDs(o.Hints); len(ids) == 0 || ids[0] != "insecure" {
			t.Errorf("%s: hints %v, want insecure first", o.Server, ids)
		}
	}

	// Consent to plaintext never excuses a STARTTLS the server lacks.
	srv := d.Server("mail."+domain, 143)
	srv.Security, srv.Username = mailcfg.STARTTLS, email
	o := loginServer(e, srv, testbed.DefaultPassword, "", true)
	if o.OK || !strings.Contains(o.Error, "STARTTLS") {
		t.Errorf("IMAP asking for STARTTLS on a plaintext server: ok=%v error=%q", o.OK, o.Error)
	}
	if credentialsSeen() {
		t.Fatalf("dovecot received credentials without consent:\n%s", d.Log())
	}

	rep = checkAddress(t, e, email, LoginRequest{Password: testbed.DefaultPassword,
		Grants: Grants{Plaintext: Grant{All: true}, UntrustedSource: Grant{All: true}}})
	if !rep.Login.OK() {
		t.Errorf("with --allow-insecure: incoming %q, outgoing %q", rep.Login.Incoming.Error, rep.Login.Outgoing.Error)
	}
	if !d.LogContains("Login: user=<" + email + ">") {
		t.Errorf("dovecot logged no login with consent:\n%s", d.Log())
	}
}

// --send-test: submission, the relay sink into the Maildir, then found
// over POP3 and over IMAP.
func TestSendTest(t *testing.T) {
	t.Parallel()
	const host = "mail.sendtest.test"
	email := "alice@sendtest.test"
	d := bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{host},
		Users: map[string]string{email: testbed.DefaultPassword}, Messages: 1})
	e := bedEngine(t, Options{Offline: true})
	out := d.Server(host, 587)
	out.Username = email
	for _, port := range []int{995, 993} {
		in := d.Server(host, port)
		in.Username = email
		before := d.Messages(email)
		s := sendTest(e, email, in, out, testbed.DefaultPassword)
		if !s.Sent || !s.Arrived || s.Error != "" || s.MessageID == "" {
			t.Fatalf("send test found over %s: %+v", in.Protocol, s)
		}
		if got := d.Messages(email); got != before+1 {
			t.Errorf("INBOX holds %d messages, want %d", got, before+1)
		}
		relayed := false
		for _, m := range d.Relayed() {
			relayed = relayed || strings.Contains(string(m.Data), s.MessageID)
		}
		if !relayed {
			t.Errorf("the relay sink never saw %s", s.MessageID)
		}
	}

	// Through check: only after both logins worked, reported as "send".
	rep := checkAddress(t, e, email, LoginRequest{Password: testbed.DefaultPassword, SendTest: true})
	s := rep.Send
	if s == nil || !s.Arrived {
		t.Fatalf("check --send-test: %+v; login %+v %+v", s, rep.Login.Incoming, rep.Login.Outgoing)
	}
	data, _ := json.Marshal(rep)
	if !strings.Contains(string(data), `"send":{"sent":true,"arrived":true,"message_id":"`+s.MessageID+`"`) {
		t.Errorf("JSON send object: %s", data)
	}
	rep = checkAddress(t, e, email, LoginRequest{Password: wrongPassword, SendTest: true})
	if rep.Send != nil {
		t.Errorf("a send test after failed logins: %+v", rep.Send)
	}
}

// A send test whose submission is refused stops at once and says why.
func TestSendTestRefused(t *testing.T) {
	t.Parallel()
	e := bedEngine(t, Options{Offline: true})
	sc := scenarios.SRV
	in, out := *sc.Incoming, *sc.Outgoing
	st := sendTest(e, sc.Email, in, out, wrongPassword)
	if st.Sent || st.Arrived || !strings.Contains(st.Error, "535") {
		t.Errorf("send test with a wrong password: %+v", st)
	}
}

// Provider replies, from scripted servers that answer as the providers do.
const (
	qqAuthCodeReply   = "535 Login Fail. Please enter your authorization code to login. More information in https://service.mail.qq.com/detail/0/53"
	neteaseUnsafe     = "NO Unsafe Login. Please contact kefu@188.com for help"
	outlookBasicReply = "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]"
)

// scripted starts a scripted server under host and returns the server as
// a client would configure it.
func scripted(t *testing.T, host string, port int, sec mailcfg.Security, proto mailcfg.Protocol, s testbed.Script) (*testbed.ScriptedServer, mailcfg.Server) {
	t.Helper()
	ss := bed.Scripted(t, "", port, sec, proto, s)
	bed.AddA(host, ss.IP)
	return ss, mailcfg.Server{Protocol: proto, Host: host, Port: port, Security: sec, Username: "alice@example.test"}
}

// demandID answers SELECT and EXAMINE as NetEase does for a client that
// did not send ID.
func demandID(s *testbed.Session, verb, _ string) (string, bool) {
	if (verb == "SELECT" || verb == "EXAMINE") && !s.Seen("ID") {
		return neteaseUnsafe, true
	}
	return "", false
}

func TestProviderReplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		host     string
		port     int
		sec      mailcfg.Security
		proto    mailcfg.Protocol
		script   testbed.Script
		provider string
		wantOK   bool
		wantAuth bool   // auth_failed
		wantHint string // first hint
	}{
		{"qq smtp authorization code", "smtp.qq-look-alike.test", 465, mailcfg.TLS, mailcfg.SMTP,
			testbed.Script{Replies: map[string]string{"AUTH": qqAuthCodeReply}}, "qq", false, true, "qq_auth_code"},
		{"qq reply without the provider known", "smtp.qq-unknown.test", 465, mailcfg.TLS, mailcfg.SMTP,
			testbed.Script{Replies: map[string]string{"AUTH": qqAuthCodeReply}}, "", false, true, "qq_auth_code"},
		{"netease demands ID and gets it", "imap.163-look-alike.test", 993, mailcfg.TLS, mailcfg.IMAP,
			testbed.Script{Hook: demandID}, "netease-163", true, false, ""},
		{"netease unsafe login when ID is not offered", "imap.163-noid.test", 993, mailcfg.TLS, mailcfg.IMAP,
			testbed.Script{Hook: demandID, Capabilities: []string{"IMAP4rev1", "SASL-IR", "AUTH=PLAIN", "AUTH=LOGIN"}},
			"netease-163", false, false, "netease_unsafe_login"},
		{"outlook basic auth disabled", "smtp-mail.outlook-look-alike.test", 587, mailcfg.STARTTLS, mailcfg.SMTP,
			testbed.Script{Replies: map[string]string{"AUTH": outlookBasicReply}}, "outlook", false, true, "outlook_oauth_only"},
		{"microsoft 365 reply on an unknown domain", "smtp.m365-tenant.test", 587, mailcfg.STARTTLS, mailcfg.SMTP,
			testbed.Script{Replies: map[string]string{"AUTH": outlookBasicReply}}, "", false, true, "outlook_oauth_only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ss, srv := scripted(t, tt.host, tt.port, tt.sec, tt.proto, tt.script)
			e := bedEngine(t, Options{Offline: true})
			o := loginServer(e, srv, "abcdefghijklmnop", tt.provider, false)
			if o.OK != tt.wantOK || o.AuthFailed != tt.wantAuth {
				t.Errorf("ok=%v auth_failed=%v error=%q, want ok=%v auth_failed=%v", o.OK, o.AuthFailed, o.Error, tt.wantOK, tt.wantAuth)
			}
			ids := hintIDs(o.Hints)
			switch {
			case tt.wantHint == "" && len(ids) > 0:
				t.Errorf("hints %v for a working login", ids)
			case tt.wantHint != "" && (len(ids) == 0 || ids[0] != tt.wantHint):
				t.Errorf("hints %v, want %s first", ids, tt.wantHint)
			}
			if !tt.wantOK && o.Reply == "" {
				t.Errorf("the server's reply is not reported: %+v", o)
			}
			if tt.proto == mailcfg.IMAP {
				cmds := ss.Commands()
				id, sel := slices.Index(cmds, "ID"), slices.Index(cmds, "EXAMINE")
				if caps := tt.script.Capabilities; caps == nil && (id < 0 || sel < 0 || id > sel) {
					t.Errorf("the client must send ID before opening INBOX when the server offers it: %v", cmds)
				}
			}
		})
	}
}

// --trust pins one certificate: a self-signed server is then recommended
// and logged in on; another fingerprint changes nothing.
func TestPinnedCertificate(t *testing.T) {
	t.Parallel()
	sc := scenarios.SelfSigned
	rep, err := bedEngine(t, Options{Offline: true}).Discover(context.Background(), sc.Email)
	if err != nil {
		t.Fatal(err)
	}
	fingerprint := ""
	for _, c := range rep.Candidates {
		if c.Status == mailcfg.StatusCertInvalid {
			fingerprint = c.TLS.SHA256
		}
	}
	if fingerprint == "" || rep.Recommended.Incoming != nil {
		t.Fatalf("self-signed server: fingerprint %q, recommended %v", fingerprint, rep.Recommended.Incoming)
	}
	other := strings.Repeat("ab", 32)

	e := bedEngine(t, Options{Offline: true, Trust: []string{other}})
	srv := mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail." + sc.Domain, Port: 993, Security: mailcfg.TLS, Username: sc.Email}
	if o := loginServer(e, srv, sc.Password, "", false); o.OK || !strings.Contains(o.Error, "pin") {
		t.Errorf("another pin: ok=%v error=%q", o.OK, o.Error)
	}
	e = bedEngine(t, Options{Offline: true, Trust: []string{fingerprint}})
	rep = checkAddress(t, e, sc.Email, LoginRequest{Password: sc.Password})
	if !rep.Login.OK() {
		t.Errorf("pinned: incoming %+v outgoing %+v", rep.Login.Incoming, rep.Login.Outgoing)
	}
}
