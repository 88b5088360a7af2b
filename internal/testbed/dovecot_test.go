package testbed

import (
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

func plainAuth(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}

func TestDovecotWithTLS(t *testing.T) {
	t.Parallel()
	b := Start(t)
	const host = "mail.example.test"
	d := b.Dovecot(t, DovecotOptions{
		Hosts:    []string{host},
		Users:    map[string]string{"alice@example.test": "pw-alice", "bob@example.test": "pw-bob"},
		Messages: 2,
	})
	if got := resolveA(t, b, host); got != d.IP {
		t.Fatalf("%s resolves to %s, want %s", host, got, d.IP)
	}
	if d.Addr(995) == "" || d.Addr(25) != "" {
		t.Errorf("Addr(995)=%q Addr(25)=%q", d.Addr(995), d.Addr(25))
	}
	if s := d.Server(host, 587); s != (mailcfg.Server{Protocol: mailcfg.SMTP, Host: host, Port: 587, Security: mailcfg.STARTTLS}) {
		t.Errorf("Server(587) = %+v", s)
	}

	t.Run("pop3s", func(t *testing.T) {
		c := dial(t, b, d.IP, 995, host)
		c.expect("+OK")
		c.cmd("USER alice@example.test")
		if l := c.cmd("PASS wrong"); !strings.HasPrefix(l, "-ERR") {
			t.Errorf("wrong password: %q", l)
		}
		c.cmd("USER alice@example.test")
		if l := c.cmd("PASS pw-alice"); !strings.HasPrefix(l, "+OK") {
			t.Fatalf("login: %q", l)
		}
		if l := c.cmd("STAT"); !strings.HasPrefix(l, "+OK 2 ") {
			t.Errorf("STAT = %q, want 2 messages", l)
		}
		c.cmd("QUIT")
	})

	t.Run("pop3 STLS", func(t *testing.T) {
		c := dial(t, b, d.IP, 110, "")
		c.expect("+OK")
		c.send("CAPA")
		c.expect("+OK")
		caps, _ := c.tp.ReadDotLines()
		if !strings.Contains(strings.Join(caps, " "), "STLS") {
			t.Errorf("CAPA without STLS: %q", caps)
		}
		c.cmd("USER alice@example.test")
		if l := c.cmd("PASS pw-alice"); !strings.HasPrefix(l, "-ERR") {
			t.Fatalf("plaintext login before STLS accepted: %q", l)
		}
		if l := c.cmd("STLS"); !strings.HasPrefix(l, "+OK") {
			t.Fatalf("STLS: %q", l)
		}
		c.startTLS(b, host)
		c.cmd("USER alice@example.test")
		if l := c.cmd("PASS pw-alice"); !strings.HasPrefix(l, "+OK") {
			t.Fatalf("login after STLS: %q", l)
		}
	})

	t.Run("imaps", func(t *testing.T) {
		c := dial(t, b, d.IP, 993, host)
		c.expect("* OK")
		c.send(`a1 LOGIN "alice@example.test" "pw-alice"`)
		if l := c.untilTagged("a1"); !strings.HasPrefix(l[len(l)-1], "a1 OK") {
			t.Fatalf("LOGIN: %q", l)
		}
		c.send("a2 SELECT INBOX")
		lines := c.untilTagged("a2")
		if !strings.Contains(strings.Join(lines, "\n"), "* 2 EXISTS") {
			t.Errorf("SELECT: %q, want 2 EXISTS", lines)
		}
		c.send("a3 LOGOUT")
		c.untilTagged("a3")
	})

	t.Run("imap STARTTLS", func(t *testing.T) {
		c := dial(t, b, d.IP, 143, "")
		c.expect("* OK")
		c.send(`a1 LOGIN "alice@example.test" "pw-alice"`)
		if l := c.untilTagged("a1"); strings.HasPrefix(l[len(l)-1], "a1 OK") {
			t.Fatalf("plaintext LOGIN accepted: %q", l)
		}
		c.send("a2 STARTTLS")
		c.untilTagged("a2")
		c.startTLS(b, host)
		c.send(`a3 LOGIN "alice@example.test" "pw-alice"`)
		if l := c.untilTagged("a3"); !strings.HasPrefix(l[len(l)-1], "a3 OK") {
			t.Fatalf("LOGIN after STARTTLS: %q", l)
		}
	})

	t.Run("submission STARTTLS relays into the Maildir", func(t *testing.T) {
		c := dial(t, b, d.IP, 587, "")
		c.smtp(220, "")
		if ehlo := c.smtp(250, "EHLO client.test"); !strings.Contains(ehlo, "STARTTLS") {
			t.Fatalf("EHLO without STARTTLS: %q", ehlo)
		}
		c.smtp(220, "STARTTLS")
		c.startTLS(b, host)
		if ehlo := c.smtp(250, "EHLO client.test"); !strings.Contains(ehlo, "AUTH") {
			t.Fatalf("EHLO after STARTTLS without AUTH: %q", ehlo)
		}
		c.smtp(235, "AUTH PLAIN %s", plainAuth("alice@example.test", "pw-alice"))
		c.smtp(250, "MAIL FROM:<alice@example.test>")
		c.smtp(250, "RCPT TO:<bob@example.test>")
		c.smtp(354, "DATA")
		c.send("Subject: relayed\r\n\r\nhello bob\r\n.")
		c.smtp(250, "")
		c.smtp(221, "QUIT")

		if n := d.Messages("bob@example.test"); n != 3 {
			t.Errorf("bob has %d messages, want 2 + 1 relayed", n)
		}
		relayed := d.Relayed()
		if len(relayed) != 1 || relayed[0].To[0] != "bob@example.test" || !strings.Contains(string(relayed[0].Data), "hello bob") {
			t.Errorf("relayed: %+v", relayed)
		}
		p := dial(t, b, d.IP, 995, host)
		p.expect("+OK")
		p.cmd("USER bob@example.test")
		p.cmd("PASS pw-bob")
		if l := p.cmd("STAT"); !strings.HasPrefix(l, "+OK 3 ") {
			t.Errorf("bob's STAT = %q, want 3 messages", l)
		}
	})

	t.Run("submissions", func(t *testing.T) {
		c := dial(t, b, d.IP, 465, host)
		c.smtp(220, "")
		c.smtp(250, "EHLO client.test")
		c.send("AUTH PLAIN %s", plainAuth("alice@example.test", "wrong"))
		c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if code, msg, _ := c.tp.ReadResponse(235); code != 535 {
			t.Errorf("wrong password: %d %s, want 535", code, msg)
		}
		c.smtp(235, "AUTH PLAIN %s", plainAuth("alice@example.test", "pw-alice"))
	})

	if !d.LogContains("Login: user=<alice@example.test>") {
		t.Errorf("log lacks the login:\n%s", d.Log())
	}
}

func TestDovecotPlaintextOnly(t *testing.T) {
	t.Parallel()
	b := Start(t)
	d := b.Dovecot(t, DovecotOptions{PlaintextOnly: true})
	user := "alice@example.test"

	c := dial(t, b, d.IP, 110, "")
	c.expect("+OK")
	c.send("CAPA")
	c.expect("+OK")
	if caps, _ := c.tp.ReadDotLines(); strings.Contains(strings.Join(caps, " "), "STLS") {
		t.Errorf("plaintext-only server offers STLS: %q", caps)
	}
	c.cmd("USER %s", user)
	if l := c.cmd("PASS %s", DefaultPassword); !strings.HasPrefix(l, "+OK") {
		t.Errorf("POP3 plaintext login: %q", l)
	}

	i := dial(t, b, d.IP, 143, "")
	i.expect("* OK")
	i.send(`a1 LOGIN "%s" "%s"`, user, DefaultPassword)
	if l := i.untilTagged("a1"); !strings.HasPrefix(l[len(l)-1], "a1 OK") {
		t.Errorf("IMAP plaintext LOGIN: %q", l)
	}

	s := dial(t, b, d.IP, 25, "")
	s.smtp(220, "")
	if ehlo := s.smtp(250, "EHLO client.test"); strings.Contains(ehlo, "STARTTLS") {
		t.Errorf("plaintext-only server offers STARTTLS: %q", ehlo)
	}
	s.smtp(235, "AUTH PLAIN %s", plainAuth(user, DefaultPassword))
}

func TestDovecotCloseLeavesNoProcess(t *testing.T) {
	t.Parallel()
	b := Start(t)
	d, err := b.StartDovecot(DovecotOptions{Services: listeners(995)})
	if err != nil {
		if strings.Contains(err.Error(), ErrUnavailable.Error()) {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	for _, pattern := range []string{d.ConfPath, "dovecot-" + d.InstanceName + "/"} {
		if err := exec.Command("pgrep", "-f", pattern).Run(); err != nil {
			t.Fatalf("pgrep -f %s finds nothing while running: %v", pattern, err)
		}
	}
	addr := d.Addr(995)
	d.Close()
	for _, pattern := range []string{d.ConfPath, "dovecot-" + d.InstanceName + "/"} {
		out, err := exec.Command("pgrep", "-a", "-f", pattern).Output()
		if err == nil {
			t.Errorf("processes left after Close:\n%s", out)
		}
	}
	if _, ok := b.PortMap()[hostPort(d.IP, 995)]; ok {
		t.Errorf("map entry for %s:995 (%s) left after Close", d.IP, addr)
	}
	d.Close() // twice is fine
}

func TestDovecotOptionsRejected(t *testing.T) {
	t.Parallel()
	b := Start(t)
	for _, o := range []DovecotOptions{
		{PlaintextOnly: true, Services: []Listener{{StdPort: 995, Security: mailcfg.TLS}}},
		{Services: []Listener{{StdPort: 110, Security: mailcfg.None}}},
		{Services: listeners(995, 995)},
		{Services: listeners(12345)},
		{Users: map[string]string{"bad:user": "x"}},
	} {
		if d, err := b.StartDovecot(o); err == nil {
			d.Close()
			t.Errorf("%+v accepted", o)
		}
	}
}
