package probe

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// Regressions found by the fault matrix of internal/reliability.

// A server whose greeting says everything (IMAP with capabilities) and
// that then never answers LOGOUT must not hold the probe's result until
// the probe's deadline.
func TestProbeDoesNotWaitForAnUnansweredGoodbye(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		s := newScriptConn(c, nil)
		s.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready")
		for {
			if _, err := s.read(); err != nil {
				return // LOGOUT goes unanswered
			}
		}
	})
	o := testOptions(t)
	o.Timeout = 20 * time.Second
	start := time.Now()
	res := Probe(context.Background(), server(mailcfg.IMAP, port, mailcfg.None), o)
	if res.Status != mailcfg.StatusInsecure {
		t.Fatalf("status %s (%s), want insecure", res.Status, res.Error)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("probe took %v: it waited for the LOGOUT answer", took)
	}
}

// The same for a login: go-imap and go-smtp set their own read deadline
// before each command, so LOGOUT and QUIT would wait for the answer (a
// round trip, or the whole deadline from a server that never gives it)
// unless the session holds reads shut whatever they set. The goodbye
// still goes out.
func TestLoginDoesNotWaitForAnUnansweredGoodbye(t *testing.T) {
	for _, tt := range []struct {
		proto mailcfg.Protocol
		start func(t *testing.T) (port int, seen *recorder)
		bye   string
	}{
		{mailcfg.IMAP, func(t *testing.T) (int, *recorder) {
			is := &imapScript{silentBye: true}
			return is.start(t), &is.seen
		}, " LOGOUT"},
		{mailcfg.SMTP, func(t *testing.T) (int, *recorder) {
			ss := &smtpScript{silentBye: true}
			return ss.start(t), &ss.seen
		}, "QUIT"},
	} {
		t.Run(string(tt.proto), func(t *testing.T) {
			port, seen := tt.start(t)
			o := loginOptions(t, nil)
			o.AllowInsecure = true
			o.Timeout = 20 * time.Second
			start := time.Now()
			r := Login(context.Background(), server(tt.proto, port, mailcfg.None), creds, o)
			took := time.Since(start)
			if !r.OK {
				t.Fatalf("login failed: %s", r.Error)
			}
			if took > 2*time.Second {
				t.Errorf("login took %v: it waited for the answer to the goodbye", took)
			}
			deadline := time.Now().Add(2 * time.Second)
			for !strings.Contains(seen.text(), tt.bye) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if !strings.Contains(seen.text(), tt.bye) {
				t.Errorf("no %s sent; the server saw:\n%s", strings.TrimSpace(tt.bye), seen.text())
			}
		})
	}
}

// A server that offers STLS and drops the connection when asked for it
// fails at STARTTLS: a TLS error, not an unexplained one.
func TestSTLSThenCloseIsATLSError(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		s := newScriptConn(c, nil)
		s.send("+OK ready")
		for {
			line, err := s.read()
			if err != nil {
				return
			}
			switch line {
			case "CAPA":
				s.send("+OK", "STLS", "USER", ".")
			case "STLS":
				return // closes
			default:
				s.send("-ERR no")
			}
		}
	})
	res := Probe(context.Background(), server(mailcfg.POP3, port, mailcfg.STARTTLS), testOptions(t))
	if res.Status != mailcfg.StatusTLSError {
		t.Fatalf("status %s (%s), want tls_error", res.Status, res.Error)
	}
}

// A server that quotes the client's credentials line in its refusal (as
// QQ Mail's "535 Login Fail" might) must not get the password into the
// result, which goes into hints, JSON and the window.
func TestLoginRedactsEchoedCredentials(t *testing.T) {
	const pw = "echo-Secret-42"
	for _, tc := range []struct {
		proto  mailcfg.Protocol
		script func(s *scriptConn)
	}{
		{mailcfg.SMTP, func(s *scriptConn) {
			s.send("220 mail.example.test ESMTP")
			for {
				line, err := s.read()
				if err != nil {
					return
				}
				switch {
				case strings.HasPrefix(line, "EHLO"):
					s.send("250-mail.example.test", "250 AUTH PLAIN")
				case strings.HasPrefix(line, "AUTH"):
					s.send("535 Login Fail. You sent: " + line)
				case line == "QUIT":
					s.send("221 bye")
					return
				default:
					s.send("502 no")
				}
			}
		}},
		{mailcfg.IMAP, func(s *scriptConn) {
			s.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready")
			for {
				line, err := s.read()
				if err != nil {
					return
				}
				tag, rest, _ := strings.Cut(line, " ")
				switch {
				case strings.HasPrefix(rest, "LOGIN"), strings.HasPrefix(rest, "AUTHENTICATE"):
					s.send(tag + " NO [AUTHENTICATIONFAILED] You sent: " + line)
				case strings.HasPrefix(rest, "LOGOUT"):
					s.send("* BYE", tag+" OK bye")
					return
				default:
					s.send(tag + " BAD no")
				}
			}
		}},
	} {
		t.Run(string(tc.proto), func(t *testing.T) {
			port := listen(t, func(c net.Conn) { tc.script(newScriptConn(c, nil)) })
			res := Login(context.Background(), server(tc.proto, port, mailcfg.None), Credentials{Password: pw},
				LoginOptions{Options: testOptions(t), AllowInsecure: true})
			if res.OK || !res.AuthFailed {
				t.Fatalf("ok=%v auth failed=%v (%s), want a refused login", res.OK, res.AuthFailed, res.Error)
			}
			if !strings.Contains(res.Reply, "You sent") {
				t.Fatalf("reply %q: the server's words are lost", res.Reply)
			}
			for _, form := range secretForms(Credentials{Username: "alice@example.test", Password: pw}) {
				if strings.Contains(res.Reply, form) || strings.Contains(res.Error, form) {
					t.Fatalf("result holds %q: reply %q, error %q", form, res.Reply, res.Error)
				}
			}
		})
	}
}

// A DNS timeout is no sign of a blocked port 25, nor of a silent server:
// the name could not be resolved (found by the fault matrix and the load
// test). The resolver's budget, not the probe's limit, is what ran out.
func TestResolveTimeoutIsUnresolved(t *testing.T) {
	o := &Options{Timeout: 10 * time.Second}
	dnsTimeout := &resolveError{host: "x", err: context.DeadlineExceeded}
	for _, srv := range []mailcfg.Server{
		{Protocol: mailcfg.SMTP, Host: "smtp.example.test", Port: 25, Security: mailcfg.STARTTLS},
		{Protocol: mailcfg.IMAP, Host: "imap.example.test", Port: 993, Security: mailcfg.TLS},
	} {
		status, reason := classify(context.Background(), dnsTimeout, PhaseResolve, srv, o)
		if status != mailcfg.StatusUnresolved {
			t.Errorf("%s: status %s, want unresolved", srv, status)
		}
		if !strings.Contains(reason.String(), "DNS lookup of "+srv.Host) || strings.Contains(reason.String(), "port 25") || strings.Contains(reason.String(), "10s") {
			t.Errorf("%s: %q", srv, reason)
		}
	}
}
