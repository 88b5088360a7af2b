package testbed

import (
	"encoding/base64"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

const qqAuthReply = "535 Login Fail. Please enter your authorization code to login. More information in https://service.mail.qq.com/detail/0/53"

func TestScriptedSMTPProviderReply(t *testing.T) {
	t.Parallel()
	b := Start(t)
	s := b.Scripted(t, "", 465, mailcfg.TLS, mailcfg.SMTP, Script{
		Names:   []string{"smtp.qq.example"},
		Replies: map[string]string{"AUTH": qqAuthReply},
	})
	c := dial(t, b, s.IP, 465, "smtp.qq.example")
	c.smtp(220, "")
	if ehlo := c.smtp(250, "EHLO client.test"); !strings.Contains(ehlo, "AUTH PLAIN LOGIN") {
		t.Errorf("EHLO over TLS lacks AUTH: %q", ehlo)
	}
	if got := c.cmd("AUTH PLAIN %s", plainAuth("alice@qq.example", "my-qq-password")); got != qqAuthReply {
		t.Errorf("AUTH answered %q, want %q", got, qqAuthReply)
	}
	// AUTH LOGIN runs its exchange before the scripted reply.
	c.expectCode("334 ", "AUTH LOGIN")
	c.expectCode("334 ", "%s", base64.StdEncoding.EncodeToString([]byte("alice@qq.example")))
	if got := c.cmd("%s", base64.StdEncoding.EncodeToString([]byte("pw"))); got != qqAuthReply {
		t.Errorf("AUTH LOGIN answered %q", got)
	}
	if got := strings.Join(s.Commands(), " "); got != "EHLO AUTH AUTH" {
		t.Errorf("commands %q", got)
	}
}

// expectCode sends a line and fails unless the reply starts with prefix.
func (c *client) expectCode(prefix, format string, args ...any) string {
	c.t.Helper()
	c.send(format, args...)
	return c.expect(prefix)
}

func TestScriptedIMAPNeedsID(t *testing.T) {
	t.Parallel()
	b := Start(t)
	// 163's rule: SELECT and EXAMINE fail unless the client sent ID first.
	s := b.Scripted(t, "", 993, mailcfg.TLS, mailcfg.IMAP, Script{
		Users:         map[string]string{"alice@163.example": "auth-code"},
		RequireIMAPID: true,
	})
	for _, sendID := range []bool{false, true} {
		c := dial(t, b, s.IP, 993, "imap.163.example")
		if greeting := c.expect("* OK [CAPABILITY "); !strings.Contains(greeting, " ID ") {
			t.Errorf("ID not advertised: %q", greeting)
		}
		c.send(`a1 LOGIN "alice@163.example" "wrong"`)
		if l := c.untilTagged("a1"); !strings.HasPrefix(l[len(l)-1], "a1 NO") {
			t.Errorf("wrong password: %q", l)
		}
		c.send("a2 LOGIN {17}")
		c.expect("+ ")
		c.send(`alice@163.example "auth-code"`) // a literal, then a quoted string
		if l := c.untilTagged("a2"); !strings.HasPrefix(l[len(l)-1], "a2 OK") {
			t.Fatalf("LOGIN with a literal: %q", l)
		}
		if sendID {
			c.send(`a3 ID ("name" "test")`)
			c.untilTagged("a3")
		}
		for _, verb := range []string{"SELECT", "EXAMINE"} {
			c.send("a4 %s INBOX", verb)
			l := c.untilTagged("a4")
			last := l[len(l)-1]
			if sendID && !strings.HasPrefix(last, "a4 OK") {
				t.Errorf("%s after ID: %q", verb, l)
			}
			if want := "a4 NO " + verb + " Unsafe Login. Please contact kefu@188.com for help"; !sendID && last != want {
				t.Errorf("%s without ID: %q, want %q", verb, last, want)
			}
		}
	}
}

func TestScriptedPOP3STARTTLS(t *testing.T) {
	t.Parallel()
	b := Start(t)
	s := b.Scripted(t, "", 110, mailcfg.STARTTLS, mailcfg.POP3, Script{
		Greeting: "+OK QQMail POP3 Server v1.0 Service Ready(QQMail v2.0)",
		Replies:  map[string]string{"PASS": "-ERR Login fail. A secure connection is requiered(such as ssl)."},
	})
	c := dial(t, b, s.IP, 110, "")
	c.expect("+OK QQMail")
	if l := c.cmd("USER alice"); !strings.Contains(l, "Plaintext authentication disallowed") {
		t.Errorf("USER before STLS: %q", l)
	}
	c.expectCode("+OK", "STLS")
	c.startTLS(b, "pop.qq.example")
	c.expectCode("+OK", "USER alice")
	if l := c.cmd("PASS x"); !strings.HasPrefix(l, "-ERR Login fail.") {
		t.Errorf("scripted PASS: %q", l)
	}
	c.send("AUTH PLAIN")
	c.expect("+ ")
	if l := c.cmd("%s", plainAuth("alice", "x")); l != "+OK Logged in." {
		t.Errorf("AUTH PLAIN with a continuation: %q", l)
	}
}

func TestScriptedSMTPNoSTARTTLSOffered(t *testing.T) {
	t.Parallel()
	b := Start(t)
	s := b.Scripted(t, "", 587, mailcfg.STARTTLS, mailcfg.SMTP, Script{
		Capabilities: []string{"8BITMIME", "AUTH PLAIN"},
		Replies:      map[string]string{"STARTTLS": "454 4.7.0 TLS not available due to local problem"},
	})
	c := dial(t, b, s.IP, 587, "")
	c.smtp(220, "")
	if ehlo := c.smtp(250, "EHLO client.test"); strings.Contains(ehlo, "STARTTLS") {
		t.Errorf("EHLO offers STARTTLS: %q", ehlo)
	}
	c.smtp(454, "STARTTLS")
	c.smtp(250, "MAIL FROM:<a@b.test>")
	c.smtp(250, "RCPT TO:<c@d.test>")
	c.smtp(354, "DATA")
	c.send("Subject: hi\r\n\r\n..dot-stuffed\r\n.")
	c.smtp(250, "")
	if m := s.Messages(); len(m) != 1 || !strings.Contains(string(m[0].Data), "\r\n.dot-stuffed") || m[0].To[0] != "c@d.test" {
		t.Errorf("messages %+v", m)
	}
}
