package probe

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"mailsetup/l10n"
	"mailsetup/l10n/l10ntest"
	"mailsetup/mailcfg"
)

// The words before a server's reply are the catalogue's English for them.
func TestReplyFailureWords(t *testing.T) {
	for _, f := range replyFailures {
		if got, want := l10n.M(f.code, "reply", "-ERR x").String(), f.words+"-ERR x"; got != want {
			t.Errorf("%s renders %q, the login code writes %q", f.code, got, want)
		}
	}
}

// Every failure of Login, SendMessage and FindMessage carries a message
// with a code of its own, whose English is the Error, and which renders in
// Chinese without English outside the server's quoted words.
func TestFailureMessages(t *testing.T) {
	pki := certs(t)
	ctx := context.Background()
	msg := []byte("From: a@example.test\r\nTo: a@example.test\r\nSubject: t\r\n\r\nhi\r\n")
	wrong := creds
	wrong.Password = "wrong"
	tests := []struct {
		name     string
		wantCode string
		run      func(t *testing.T) (english string, why l10n.Message)
	}{
		{"POP3 wrong password", "login.rejected", func(t *testing.T) (string, l10n.Message) {
			port := (&pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid), user: testUser, pass: testPass}).start(t)
			r := Login(ctx, server(mailcfg.POP3, port, mailcfg.TLS), wrong, loginOptions(t, nil))
			return r.Error, r.Reason
		}},
		{"plain text", "login.refused_plaintext", func(t *testing.T) (string, l10n.Message) {
			port := (&pop3Script{capa: popCaps, user: testUser, pass: testPass}).start(t)
			r := Login(ctx, server(mailcfg.POP3, port, mailcfg.None), creds, loginOptions(t, nil))
			return r.Error, r.Reason
		}},
		{"no STARTTLS", "login.no_starttls", func(t *testing.T) (string, l10n.Message) {
			port := (&pop3Script{capa: popCaps, user: testUser, pass: testPass}).start(t)
			r := Login(ctx, server(mailcfg.POP3, port, mailcfg.STARTTLS), creds, loginOptions(t, nil))
			return r.Error, r.Reason
		}},
		{"bad certificate", "login.refused_certificate", func(t *testing.T) (string, l10n.Message) {
			port := (&pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.selfSigned), user: testUser, pass: testPass}).start(t)
			r := Login(ctx, server(mailcfg.POP3, port, mailcfg.TLS), creds, loginOptions(t, nil))
			return r.Error, r.Reason
		}},
		{"SMTP without AUTH", "login.smtp_no_auth", func(t *testing.T) (string, l10n.Message) {
			port := (&smtpTest{implicitTLS: serverTLS(pki.valid), mechanisms: []string{}}).start(t)
			r := Login(ctx, server(mailcfg.SMTP, port, mailcfg.TLS), creds, loginOptions(t, nil))
			return r.Error, r.Reason
		}},
		{"nobody listens", "probe.refused", func(t *testing.T) (string, l10n.Message) {
			r := Login(ctx, server(mailcfg.IMAP, closedPort(t), mailcfg.TLS), creds, loginOptions(t, nil))
			return r.Error, r.Reason
		}},
		{"send: recipient refused", "send.recipient_refused", func(t *testing.T) (string, l10n.Message) {
			port := (&smtpTest{implicitTLS: serverTLS(pki.valid), rejectRcpt: "nobody@example.test"}).start(t)
			err := SendMessage(ctx, server(mailcfg.SMTP, port, mailcfg.TLS), creds, loginOptions(t, nil), testUser,
				[]string{"nobody@example.test"}, msg)
			return sendParts(t, err)
		}},
		{"send: wrong password", "login.rejected", func(t *testing.T) (string, l10n.Message) {
			port := (&smtpTest{implicitTLS: serverTLS(pki.valid)}).start(t)
			err := SendMessage(ctx, server(mailcfg.SMTP, port, mailcfg.TLS), wrong, loginOptions(t, nil), testUser, []string{testUser}, msg)
			return sendParts(t, err)
		}},
		{"send: in the clear", "login.refused_plaintext", func(t *testing.T) (string, l10n.Message) {
			port := (&smtpTest{}).start(t)
			err := SendMessage(ctx, server(mailcfg.SMTP, port, mailcfg.None), creds, loginOptions(t, nil), testUser, []string{testUser}, msg)
			return sendParts(t, err)
		}},
		{"find: wrong password", "login.rejected", func(t *testing.T) (string, l10n.Message) {
			port := (&imapTest{implicitTLS: serverTLS(pki.valid)}).start(t)
			_, err := FindMessage(ctx, server(mailcfg.IMAP, port, mailcfg.TLS), wrong, loginOptions(t, nil), "x@example.test")
			if err == nil {
				t.Fatal("no error")
			}
			return err.Error(), l10n.FromError(err)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			english, why := tt.run(t)
			if why.Code != tt.wantCode {
				t.Fatalf("code %q (%s), want %s", why.Code, why, tt.wantCode)
			}
			if why.String() != english {
				t.Errorf("the message says %q, the English error %q", why.String(), english)
			}
			for _, lang := range []string{l10n.SimplifiedChinese, l10n.TraditionalChinese} {
				text := why.In(lang)
				if words := l10ntest.EnglishIn(text); len(words) > 0 {
					t.Errorf("%s keeps English %q: %s", lang, words, text)
				}
			}
		})
	}
}

func sendParts(t *testing.T, err error) (string, l10n.Message) {
	t.Helper()
	var se *SendError
	if !errors.As(err, &se) {
		t.Fatalf("error %#v", err)
	}
	if strings.Contains(se.Message().String(), "wrong") {
		t.Errorf("the message holds the password: %s", se.Message())
	}
	return se.Reason, se.Message()
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
