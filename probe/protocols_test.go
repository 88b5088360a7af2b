package probe

import (
	"context"
	"net"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

func TestProbeIMAP(t *testing.T) {
	pki := certs(t)
	t.Run("STARTTLS", func(t *testing.T) {
		port := (&imapTest{startTLS: serverTLS(pki.valid)}).start(t)
		r := Probe(context.Background(), server(mailcfg.IMAP, port, mailcfg.STARTTLS), testOptions(t))
		if r.Status != mailcfg.StatusOK {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
		before, after := strings.Join(r.CapabilitiesBeforeTLS, " "), strings.Join(r.Capabilities, " ")
		if !strings.Contains(before, "STARTTLS") || !strings.Contains(before, "LOGINDISABLED") || strings.Contains(after, "LOGINDISABLED") {
			t.Errorf("before %q, after %q", before, after)
		}
		if !r.StartTLSOffered || r.LoginDisabled || strings.Join(r.AuthMechanisms, " ") != "PLAIN" || !r.TLS.Verified {
			t.Errorf("offered %v, login disabled %v, mechanisms %v, TLS %+v", r.StartTLSOffered, r.LoginDisabled, r.AuthMechanisms, r.TLS)
		}
	})
	t.Run("implicit TLS", func(t *testing.T) {
		port := (&imapTest{implicitTLS: serverTLS(pki.valid)}).start(t)
		r := Probe(context.Background(), server(mailcfg.IMAP, port, mailcfg.TLS), testOptions(t))
		if r.Status != mailcfg.StatusOK || !hasWord(r.Capabilities, "IMAP4rev1") || len(r.CapabilitiesBeforeTLS) != 0 {
			t.Fatalf("status %s, error %q, capabilities %q", r.Status, r.Error, r.Capabilities)
		}
	})
	t.Run("no STARTTLS", func(t *testing.T) {
		port := (&imapTest{}).start(t)
		r := Probe(context.Background(), server(mailcfg.IMAP, port, mailcfg.STARTTLS), testOptions(t))
		if r.Status != mailcfg.StatusInsecure || r.Error != "server does not offer STARTTLS" || !r.LoginDisabled {
			t.Fatalf("status %s, error %q, login disabled %v", r.Status, r.Error, r.LoginDisabled)
		}
	})
	t.Run("ID from the greeting", func(t *testing.T) {
		port := (&imapScript{advertiseID: true}).start(t)
		r := Probe(context.Background(), server(mailcfg.IMAP, port, mailcfg.None), testOptions(t))
		if r.Status != mailcfg.StatusInsecure || !r.IMAPID {
			t.Fatalf("status %s, error %q, ID %v", r.Status, r.Error, r.IMAPID)
		}
	})
}

func TestProbeSMTP(t *testing.T) {
	pki := certs(t)
	t.Run("implicit TLS", func(t *testing.T) {
		port := (&smtpTest{implicitTLS: serverTLS(pki.valid)}).start(t)
		r := Probe(context.Background(), server(mailcfg.SMTP, port, mailcfg.TLS), testOptions(t))
		if r.Status != mailcfg.StatusOK || r.SizeLimit != 10<<20 || strings.Join(r.AuthMechanisms, " ") != "PLAIN LOGIN CRAM-MD5" {
			t.Fatalf("status %s, error %q, size %d, mechanisms %v", r.Status, r.Error, r.SizeLimit, r.AuthMechanisms)
		}
		if !hasWord(r.Capabilities, "PIPELINING") || !strings.HasPrefix(r.Greeting, "220 "+testHost) {
			t.Errorf("greeting %q, capabilities %q", r.Greeting, r.Capabilities)
		}
	})
	t.Run("STARTTLS", func(t *testing.T) {
		port := (&smtpTest{startTLS: serverTLS(pki.valid)}).start(t)
		r := Probe(context.Background(), server(mailcfg.SMTP, port, mailcfg.STARTTLS), testOptions(t))
		if r.Status != mailcfg.StatusOK || !hasWord(r.CapabilitiesBeforeTLS, "STARTTLS") || hasWord(r.Capabilities, "STARTTLS") {
			t.Fatalf("status %s, error %q, before %q, after %q", r.Status, r.Error, r.CapabilitiesBeforeTLS, r.Capabilities)
		}
	})
	t.Run("no STARTTLS", func(t *testing.T) {
		port := (&smtpTest{}).start(t)
		r := Probe(context.Background(), server(mailcfg.SMTP, port, mailcfg.STARTTLS), testOptions(t))
		if r.Status != mailcfg.StatusInsecure || r.Error != "server does not offer STARTTLS" {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("multi-line greeting and HELO fallback", func(t *testing.T) {
		seen := &recorder{}
		port := listen(t, func(c net.Conn) {
			s := newScriptConn(c, seen)
			s.send("220-mail.example.test ESMTP", "220-no spam please", "220 ready")
			for {
				line, err := s.read()
				if err != nil {
					return
				}
				switch strings.Fields(line)[0] {
				case "EHLO":
					s.send("502 5.5.2 EHLO not implemented")
				case "HELO":
					s.send("250 mail.example.test")
				case "QUIT":
					s.send("221 bye")
					return
				}
			}
		})
		r := Probe(context.Background(), server(mailcfg.SMTP, port, mailcfg.None), testOptions(t))
		if r.Status != mailcfg.StatusInsecure || r.Greeting != "220-mail.example.test ESMTP\n220-no spam please\n220 ready" || len(r.Capabilities) != 0 {
			t.Fatalf("status %s, error %q, greeting %q, caps %q", r.Status, r.Error, r.Greeting, r.Capabilities)
		}
		if !strings.Contains(seen.text(), "HELO localhost") {
			t.Errorf("server saw %q", seen.text())
		}
	})
	t.Run("refusing greeting", func(t *testing.T) {
		port := rawServer(t, []byte("554 5.7.1 no SMTP service here\r\n"))
		r := Probe(context.Background(), server(mailcfg.SMTP, port, mailcfg.STARTTLS), testOptions(t))
		if r.Status != mailcfg.StatusError || r.Error != "server refused the session: 554 5.7.1 no SMTP service here" {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("STARTTLS injection", func(t *testing.T) {
		port := listen(t, func(c net.Conn) {
			s := newScriptConn(c, nil)
			s.send("220 ready")
			for {
				line, err := s.read()
				if err != nil {
					return
				}
				switch strings.Fields(line)[0] {
				case "EHLO":
					s.send("250-mail.example.test", "250 STARTTLS")
				case "STARTTLS":
					s.send("220 go ahead\r\n250 injected") // one write: one segment on loopback
				}
			}
		})
		r := Probe(context.Background(), server(mailcfg.SMTP, port, mailcfg.STARTTLS), testOptions(t))
		if r.Status != mailcfg.StatusProtocolError || !strings.Contains(r.Error, "before the TLS handshake") {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
}
