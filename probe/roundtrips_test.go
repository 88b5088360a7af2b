package probe

import (
	"context"
	"regexp"
	"strings"
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
		port := (&imapTest{implicitTLS: serverTLS(pki.valid), messages: testMessages}).start(t)
		var log syncBuffer
		r := Login(context.Background(), server(mailcfg.IMAP, port, mailcfg.TLS), creds, loginOptions(t, &log))
		if !r.OK || r.Messages != len(testMessages) {
			t.Fatalf("ok %v, messages %d, error %q", r.OK, r.Messages, r.Error)
		}
		lines := strings.Split(log.String(), "\n")
		at := func(re string) int {
			for i, l := range lines {
				if regexp.MustCompile(re).MatchString(l) {
					return i
				}
			}
			return -1
		}
		login, examine := at(`C: (T\d+) LOGIN`), at(`C: T\d+ EXAMINE`)
		tag := regexp.MustCompile(`C: (T\d+) LOGIN`).FindStringSubmatch(lines[max(login, 0)])
		if login < 0 || examine < 0 || len(tag) < 2 {
			t.Fatalf("LOGIN %d, EXAMINE %d:\n%s", login, examine, log.String())
		}
		loginDone := at(`S: ` + tag[1] + ` OK`)
		if !(login < examine && examine < loginDone) {
			t.Errorf("order LOGIN %d, EXAMINE %d, LOGIN's OK %d; want EXAMINE sent before the OK:\n%s",
				login, examine, loginDone, log.String())
		}
	})
}
