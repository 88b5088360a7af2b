package probe

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

var creds = Credentials{Username: testUser, Password: testPass}

func loginOptions(t *testing.T, log *syncBuffer) LoginOptions {
	o := LoginOptions{Options: testOptions(t), SelectInbox: true}
	if log != nil {
		o.Transcript = log
	}
	return o
}

// assertNoSecrets fails when the password shows in any form.
func assertNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	b64 := base64.StdEncoding.EncodeToString
	for _, secret := range []string{
		testPass,
		b64([]byte(testPass)),
		b64([]byte("\x00" + testUser + "\x00" + testPass)),
	} {
		if strings.Contains(text, secret) {
			t.Errorf("%s holds the secret %q:\n%s", what, secret, text)
		}
	}
}

// assertNothingSent fails when a server received anything that
// authenticates.
func assertNothingSent(t *testing.T, received string) {
	t.Helper()
	assertNoSecrets(t, "the server's input", received)
	for _, cmd := range []string{"PASS", "AUTH", "APOP", "LOGIN", "USER"} {
		if strings.Contains(strings.ToUpper(received), cmd+" ") {
			t.Errorf("the server received %s:\n%s", cmd, received)
		}
	}
}

var testMessages = []string{
	"Message-ID: <first@example.test>\r\nSubject: one\r\n\r\nbody one\r\n",
	"Message-ID: <mailsetup-42@example.test>\r\nSubject: two\r\n\r\nbody two\r\n",
}

func TestLoginPOP3(t *testing.T) {
	pki := certs(t)
	caps := append([]string{"STLS"}, popCaps...)
	tests := []struct {
		name          string
		script        *pop3Script
		security      mailcfg.Security
		mechanism     string
		password      string
		allowInsecure bool
		trust         bool

		ok         bool
		mech       string
		authFailed bool
		words      string // in Error
		reply      string
		code       string
		sentNone   bool // nothing that authenticates may reach the server
	}{
		{name: "USER/PASS over TLS", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)}, security: mailcfg.TLS,
			ok: true, mech: MechUserPass},
		{name: "PLAIN", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)}, security: mailcfg.TLS, mechanism: "plain",
			ok: true, mech: MechPlain},
		{name: "LOGIN", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)}, security: mailcfg.TLS, mechanism: "LOGIN",
			ok: true, mech: MechLogin},
		{name: "CRAM-MD5 after STLS", script: &pop3Script{capa: caps, stls: serverTLS(pki.valid)}, security: mailcfg.STARTTLS, mechanism: "CRAM-MD5",
			ok: true, mech: MechCramMD5},
		{name: "APOP", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)}, security: mailcfg.TLS, mechanism: "APOP",
			ok: true, mech: MechAPOP},
		{name: "wrong password", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)}, security: mailcfg.TLS, password: "wrong",
			mech: MechUserPass, authFailed: true, words: "the server rejected the login: -ERR [AUTH] invalid user name or password",
			reply: "-ERR [AUTH] invalid user name or password", code: "AUTH"},
		{name: "wrong password with PLAIN", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)}, security: mailcfg.TLS,
			mechanism: "PLAIN", password: "wrong", mech: MechPlain, authFailed: true, code: "AUTH"},
		{name: "plain text refused", script: &pop3Script{capa: caps}, security: mailcfg.None,
			words: "refusing to send the password without encryption", sentNone: true},
		{name: "plain text allowed prefers CRAM-MD5", script: &pop3Script{capa: caps}, security: mailcfg.None, allowInsecure: true,
			ok: true, mech: MechCramMD5},
		{name: "plain text allowed, old server", script: &pop3Script{}, security: mailcfg.None, allowInsecure: true,
			ok: true, mech: MechAPOP},
		{name: "STARTTLS missing is never skipped", script: &pop3Script{capa: popCaps}, security: mailcfg.STARTTLS, allowInsecure: true,
			words: "does not offer STARTTLS", sentNone: true},
		{name: "bad certificate", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.selfSigned)}, security: mailcfg.TLS,
			words: "refusing to send the password: self-signed certificate", sentNone: true},
		{name: "pinned certificate", script: &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.selfSigned)}, security: mailcfg.TLS, trust: true,
			ok: true, mech: MechUserPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.script.user, tt.script.pass, tt.script.messages = testUser, testPass, testMessages
			port := tt.script.start(t)
			var log syncBuffer
			o := loginOptions(t, &log)
			o.Mechanism, o.AllowInsecure = tt.mechanism, tt.allowInsecure
			if tt.trust {
				o.Trusted = []string{fingerprint(pki.selfSigned)}
			}
			c := creds
			if tt.password != "" {
				c.Password = tt.password
			}
			r := Login(context.Background(), server(mailcfg.POP3, port, tt.security), c, o)
			if r.OK != tt.ok || r.Mechanism != tt.mech || r.AuthFailed != tt.authFailed || !strings.Contains(r.Error, tt.words) {
				t.Fatalf("ok %v, mechanism %q, auth failed %v, error %q", r.OK, r.Mechanism, r.AuthFailed, r.Error)
			}
			if tt.ok && (r.Messages != 2 || r.MailboxBytes == 0 || r.Error != "" || r.Username != testUser) {
				t.Errorf("messages %d, bytes %d, error %q, user %q", r.Messages, r.MailboxBytes, r.Error, r.Username)
			}
			if tt.reply != "" && r.Reply != tt.reply || r.Code != tt.code {
				t.Errorf("reply %q, code %q", r.Reply, r.Code)
			}
			if r.Probe.Server.Port != port || r.Timings.Total <= 0 {
				t.Errorf("probe %+v, timings %+v", r.Probe.Server, r.Timings)
			}
			if tt.sentNone {
				assertNothingSent(t, tt.script.seen.text())
			}
			assertNoSecrets(t, "the transcript", log.String())
		})
	}
}

func TestLoginIMAP(t *testing.T) {
	pki := certs(t)
	t.Run("LOGIN after STARTTLS", func(t *testing.T) {
		port := (&imapTest{startTLS: serverTLS(pki.valid), messages: testMessages}).start(t)
		var log syncBuffer
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.STARTTLS), creds, loginOptions(t, &log))
		if !r.OK || r.Mechanism != MechIMAPLogin || r.Messages != 2 {
			t.Fatalf("ok %v, mechanism %q, messages %d, error %q", r.OK, r.Mechanism, r.Messages, r.Error)
		}
		if !strings.Contains(log.String(), "C: T1 LOGIN ***") {
			t.Errorf("transcript:\n%s", log.String())
		}
		assertNoSecrets(t, "the transcript", log.String())
	})
	t.Run("AUTHENTICATE PLAIN", func(t *testing.T) {
		port := (&imapTest{implicitTLS: serverTLS(pki.valid)}).start(t)
		var log syncBuffer
		o := loginOptions(t, &log)
		o.Mechanism = "PLAIN"
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.TLS), creds, o)
		if !r.OK || r.Mechanism != MechPlain || r.Messages != 0 {
			t.Fatalf("ok %v, mechanism %q, messages %d, error %q", r.OK, r.Mechanism, r.Messages, r.Error)
		}
		assertNoSecrets(t, "the transcript", log.String())
	})
	t.Run("wrong password", func(t *testing.T) {
		port := (&imapTest{implicitTLS: serverTLS(pki.valid)}).start(t)
		var log syncBuffer
		c := creds
		c.Password = "wrong-password"
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.TLS), c, loginOptions(t, &log))
		if r.OK || !r.AuthFailed || r.Code != "AUTHENTICATIONFAILED" || !strings.HasPrefix(r.Reply, "NO [AUTHENTICATIONFAILED]") {
			t.Fatalf("ok %v, auth failed %v, code %q, reply %q, error %q", r.OK, r.AuthFailed, r.Code, r.Reply, r.Error)
		}
		if strings.Contains(log.String(), "wrong-password") {
			t.Errorf("transcript holds the password:\n%s", log.String())
		}
	})
	t.Run("plain text refused", func(t *testing.T) {
		it := &imapTest{insecureAuth: true}
		port := it.start(t)
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.None), creds, loginOptions(t, nil))
		if r.OK || !strings.Contains(r.Error, "refusing to send the password without encryption") {
			t.Fatalf("ok %v, error %q", r.OK, r.Error)
		}
		assertNothingSent(t, it.tap.received())
	})
	t.Run("plain text allowed", func(t *testing.T) {
		it := &imapTest{insecureAuth: true}
		port := it.start(t)
		o := loginOptions(t, nil)
		o.AllowInsecure = true
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.None), creds, o)
		if !r.OK {
			t.Fatalf("error %q", r.Error)
		}
		if !strings.Contains(it.tap.received(), testPass) {
			t.Errorf("the server never got the password; what did it get?\n%s", it.tap.received())
		}
	})
	t.Run("ID before SELECT", func(t *testing.T) {
		is := &imapScript{advertiseID: true, requireID: true}
		port := is.start(t)
		o := loginOptions(t, nil)
		o.AllowInsecure = true
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.None), creds, o)
		if !r.OK || r.Messages != 3 {
			t.Fatalf("ok %v, messages %d, error %q", r.OK, r.Messages, r.Error)
		}
		seen := is.seen.text()
		id, examine := strings.Index(seen, `ID ("name" "mailsetup" "version" "`+clientVersion()+`")`), strings.Index(seen, " EXAMINE ")
		if id < 0 || examine < 0 || id > examine || clientVersion() == "" {
			t.Errorf("ID with name and version before EXAMINE; server saw:\n%s", seen)
		}
	})
	t.Run("SELECT refused", func(t *testing.T) {
		is := &imapScript{requireID: true}
		port := is.start(t)
		o := loginOptions(t, nil)
		o.AllowInsecure = true
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.None), creds, o)
		if r.OK || r.AuthFailed || r.Reply != "NO SELECT Unsafe Login. Please contact kefu@188.com for help" ||
			!strings.HasPrefix(r.Error, "logged in, but the server refused to open INBOX") {
			t.Fatalf("ok %v, auth failed %v, reply %q, error %q", r.OK, r.AuthFailed, r.Reply, r.Error)
		}
		if strings.Contains(is.seen.text(), " ID ") {
			t.Errorf("ID sent to a server that does not offer it:\n%s", is.seen.text())
		}
	})
}

func TestLoginSMTP(t *testing.T) {
	pki := certs(t)
	tests := []struct {
		name       string
		mechanisms []string
		mechanism  string
		password   string
		ok         bool
		mech       string
		authFailed bool
		reply      string
		code       string
		words      string
	}{
		{name: "PLAIN preferred", ok: true, mech: MechPlain},
		{name: "LOGIN", mechanisms: []string{"LOGIN"}, ok: true, mech: MechLogin},
		{name: "CRAM-MD5 forced", mechanism: "cram-md5", ok: true, mech: MechCramMD5},
		{name: "wrong password", password: "wrong", mech: MechPlain, authFailed: true,
			reply: "535 5.7.8 Authentication failed", code: "5.7.8", words: "the server rejected the login: 535 5.7.8 Authentication failed"},
		{name: "wrong password with LOGIN", mechanism: "LOGIN", password: "wrong", mech: MechLogin, authFailed: true, code: "5.7.8"},
		{name: "no AUTH", mechanisms: []string{}, words: "offers no authentication"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &smtpTest{startTLS: serverTLS(pki.valid), mechanisms: tt.mechanisms}
			port := st.start(t)
			var log syncBuffer
			o := loginOptions(t, &log)
			o.Mechanism = tt.mechanism
			c := creds
			if tt.password != "" {
				c.Password = tt.password
			}
			r := Login(context.Background(), server(mailcfg.SMTP, port, mailcfg.STARTTLS), c, o)
			if r.OK != tt.ok || r.Mechanism != tt.mech || r.AuthFailed != tt.authFailed || r.Code != tt.code ||
				tt.reply != "" && r.Reply != tt.reply || !strings.Contains(r.Error, tt.words) {
				t.Fatalf("ok %v, mechanism %q, auth failed %v, code %q, reply %q, error %q", r.OK, r.Mechanism, r.AuthFailed, r.Code, r.Reply, r.Error)
			}
			assertNoSecrets(t, "the transcript", log.String())
		})
	}
	t.Run("plain text refused", func(t *testing.T) {
		st := &smtpTest{}
		port := st.start(t)
		r := Login(context.Background(), server(mailcfg.SMTP, port, mailcfg.None), creds, loginOptions(t, nil))
		if r.OK || !strings.Contains(r.Error, "refusing to send the password without encryption") {
			t.Fatalf("ok %v, error %q", r.OK, r.Error)
		}
		assertNothingSent(t, st.tap.received())
	})
	t.Run("STARTTLS missing", func(t *testing.T) {
		st := &smtpTest{}
		port := st.start(t)
		o := loginOptions(t, nil)
		o.AllowInsecure = true
		r := Login(context.Background(), server(mailcfg.SMTP, port, mailcfg.STARTTLS), creds, o)
		if r.OK || !strings.Contains(r.Error, "does not offer STARTTLS") || r.Probe.Status != mailcfg.StatusInsecure {
			t.Fatalf("ok %v, error %q", r.OK, r.Error)
		}
		assertNothingSent(t, st.tap.received())
	})
	t.Run("unreachable", func(t *testing.T) {
		srv := server(mailcfg.SMTP, 465, mailcfg.TLS)
		srv.Host = "smtp.nowhere.test"
		r := Login(context.Background(), srv, creds, loginOptions(t, nil))
		if r.OK || r.Probe.Status != mailcfg.StatusUnresolved || !strings.Contains(r.Error, "does not resolve") {
			t.Fatalf("ok %v, status %s, error %q", r.OK, r.Probe.Status, r.Error)
		}
	})
}

func TestSendMessage(t *testing.T) {
	pki := certs(t)
	msg := []byte("From: alice@example.test\r\nTo: alice@example.test\r\nMessage-ID: <t1@example.test>\r\nSubject: test\r\n\r\n.leading dot\r\nhello\r\n")
	t.Run("sent", func(t *testing.T) {
		st := &smtpTest{implicitTLS: serverTLS(pki.valid)}
		port := st.start(t)
		var log syncBuffer
		err := SendMessage(context.Background(), server(mailcfg.SMTP, port, mailcfg.TLS), creds, loginOptions(t, &log),
			testUser, []string{testUser}, msg)
		if err != nil {
			t.Fatal(err)
		}
		got := st.messages()
		if len(got) != 1 || got[0].from != testUser || len(got[0].to) != 1 || got[0].data != string(msg) {
			t.Fatalf("received %+v", got)
		}
		assertNoSecrets(t, "the transcript", log.String())
	})
	t.Run("recipient refused", func(t *testing.T) {
		st := &smtpTest{implicitTLS: serverTLS(pki.valid), rejectRcpt: "nobody@example.test"}
		port := st.start(t)
		err := SendMessage(context.Background(), server(mailcfg.SMTP, port, mailcfg.TLS), creds, loginOptions(t, nil),
			testUser, []string{"nobody@example.test"}, msg)
		var se *SendError
		if !errors.As(err, &se) || se.Stage != "RCPT TO" || se.Reply != "550 5.1.1 no such user" || se.Code != "5.1.1" {
			t.Fatalf("error %#v", err)
		}
		if len(st.messages()) != 0 {
			t.Error("a message was delivered")
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		st := &smtpTest{implicitTLS: serverTLS(pki.valid)}
		port := st.start(t)
		c := creds
		c.Password = "wrong"
		err := SendMessage(context.Background(), server(mailcfg.SMTP, port, mailcfg.TLS), c, loginOptions(t, nil), testUser, []string{testUser}, msg)
		var se *SendError
		if !errors.As(err, &se) || se.Stage != "login" || !se.AuthFailed || se.Code != "5.7.8" {
			t.Fatalf("error %#v", err)
		}
	})
	t.Run("refused in the clear", func(t *testing.T) {
		st := &smtpTest{}
		port := st.start(t)
		err := SendMessage(context.Background(), server(mailcfg.SMTP, port, mailcfg.None), creds, loginOptions(t, nil), testUser, []string{testUser}, msg)
		var se *SendError
		if !errors.As(err, &se) || se.Stage != "login" || !strings.Contains(se.Reason, "without encryption") {
			t.Fatalf("error %#v", err)
		}
		assertNothingSent(t, st.tap.received())
	})
}

func TestFindMessage(t *testing.T) {
	pki := certs(t)
	for _, proto := range []mailcfg.Protocol{mailcfg.IMAP, mailcfg.POP3} {
		t.Run(string(proto), func(t *testing.T) {
			var port int
			if proto == mailcfg.IMAP {
				port = (&imapTest{implicitTLS: serverTLS(pki.valid), messages: testMessages}).start(t)
			} else {
				port = (&pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid), user: testUser, pass: testPass, messages: testMessages}).start(t)
			}
			srv := server(proto, port, mailcfg.TLS)
			for id, want := range map[string]bool{
				"<mailsetup-42@example.test>": true,
				"first@example.test":          true,
				"<missing@example.test>":      false,
			} {
				var log syncBuffer
				found, err := FindMessage(context.Background(), srv, creds, loginOptions(t, &log), id)
				if err != nil || found != want {
					t.Errorf("%s: found %v, error %v; want %v", id, found, err, want)
				}
				assertNoSecrets(t, "the transcript", log.String())
			}
			c := creds
			c.Password = "wrong"
			if found, err := FindMessage(context.Background(), srv, c, loginOptions(t, nil), "x@y"); found || err == nil || !strings.Contains(err.Error(), "rejected the login") {
				t.Errorf("wrong password: found %v, error %v", found, err)
			}
		})
	}
}

// TestLoginIMAPLiteralPassword: a password IMAP cannot quote travels as a
// literal, on lines of its own; none of it may reach the transcript.
func TestLoginIMAPLiteralPassword(t *testing.T) {
	const odd = "pässwört \"quoted\" \\ with spaces"
	port := (&imapTest{implicitTLS: serverTLS(certs(t).valid), pass: odd}).start(t)
	var log syncBuffer
	r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.TLS), Credentials{Username: testUser, Password: odd}, loginOptions(t, &log))
	if !r.OK {
		t.Fatalf("error %q", r.Error)
	}
	for _, part := range []string{"pässwört", "quoted", "with spaces"} {
		if strings.Contains(log.String(), part) {
			t.Errorf("transcript holds %q:\n%s", part, log.String())
		}
	}
}

// IMAP ID names the version set at build time, else Go's build stamp.
func TestClientVersion(t *testing.T) {
	saved := ClientVersion
	defer func() { ClientVersion = saved }()
	ClientVersion = "v1.2.3-4-gabcdef"
	if got := clientVersion(); got != "v1.2.3-4-gabcdef" {
		t.Errorf("clientVersion() = %q", got)
	}
	ClientVersion = ""
	if got := clientVersion(); got == "" {
		t.Error("no version without a build-time one")
	}
}
