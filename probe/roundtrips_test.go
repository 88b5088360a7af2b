package probe

import (
	"context"
	"regexp"
	"testing"

	"mailsetup/mailcfg"
)

// The login wastes no round trip: what the transcript shows the client
// sending, and in which order, tells.
func TestLoginRoundTrips(t *testing.T) {
	pki := certs(t)
	count := func(log, cmd string) int { return len(regexp.MustCompile(`(?m)C: `+cmd+`\b`).FindAllString(log, -1)) }

	t.Run("SMTP: one EHLO over implicit TLS, one more after STARTTLS", func(t *testing.T) {
		for sec, want := range map[mailcfg.Security]int{mailcfg.TLS: 1, mailcfg.STARTTLS: 2} {
			st := &smtpTest{startTLS: serverTLS(pki.valid)}
			if sec == mailcfg.TLS {
				st = &smtpTest{implicitTLS: serverTLS(pki.valid)}
			}
			port := st.start(t)
			var log syncBuffer
			r := Login(context.Background(), server(mailcfg.SMTP, port, sec), creds, loginOptions(t, &log))
			if !r.OK {
				t.Fatalf("%s: %s", sec, r.Error)
			}
			if n := count(log.String(), "EHLO"); n != want {
				t.Errorf("%s: %d EHLO, want %d:\n%s", sec, n, want, log.String())
			}
		}
	})

	// (This server offers no ID; the NetEase look-alikes of the assistant
	// tests check that ID goes out before the mailbox is opened.)
	t.Run("IMAP: EXAMINE sent before LOGIN's answer", func(t *testing.T) {
		is := &imapScript{holdLogin: true}
		port := is.start(t)
		o := loginOptions(t, nil)
		o.AllowInsecure = true
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.None), creds, o)
		if !r.OK || r.Messages != 3 {
			t.Fatalf("ok %v, messages %d, error %q", r.OK, r.Messages, r.Error)
		}
		if !is.pipelined.Load() {
			t.Errorf("the client waited for LOGIN's answer before its next command; the server saw:\n%s", is.seen.text())
		}
	})
}
