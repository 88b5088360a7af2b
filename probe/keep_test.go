package probe

import (
	"context"
	"errors"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// A kept probe connection carries the login: one connection to the
// server in all, and the probe's facts come with the result.
func TestKeptConnectionLogin(t *testing.T) {
	pki := certs(t)
	it := &imapTest{implicitTLS: serverTLS(pki.valid), messages: testMessages}
	st := &smtpTest{startTLS: serverTLS(pki.valid)}
	cases := []struct {
		name  string
		srv   mailcfg.Server
		conns func() int
	}{
		{"IMAP over TLS", server(mailcfg.IMAP, it.start(t), mailcfg.TLS), func() int { return it.tap.connections() }},
		{"SMTP with STARTTLS", server(mailcfg.SMTP, st.start(t), mailcfg.STARTTLS), func() int { return st.tap.connections() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, kept := Open(context.Background(), tc.srv, testOptions(t), time.Minute)
			if kept == nil || res.Status != mailcfg.StatusOK {
				t.Fatalf("probe: %s %s", res.Status, res.Error)
			}
			r := kept.Login(context.Background(), creds, loginOptions(t, nil))
			if !r.OK || r.Probe.Status != mailcfg.StatusOK {
				t.Fatalf("login on the kept connection: %s", r.Error)
			}
			if n := tc.conns(); n != 1 {
				t.Errorf("%d connections to the server, want 1", n)
			}
			if r := kept.Login(context.Background(), creds, loginOptions(t, nil)); r.OK || !errors.Is(r.Err, ErrConnGone) {
				t.Errorf("a second login on a used connection: ok %v, err %v", r.OK, r.Err)
			}
		})
	}
}

// A kept connection nobody takes closes itself after its idle time, and
// a login then reports it gone instead of hanging.
func TestKeptConnectionIdles(t *testing.T) {
	pki := certs(t)
	it := &imapTest{implicitTLS: serverTLS(pki.valid)}
	_, kept := Open(context.Background(), server(mailcfg.IMAP, it.start(t), mailcfg.TLS), testOptions(t), 50*time.Millisecond)
	if kept == nil {
		t.Fatal("nothing kept")
	}
	time.Sleep(150 * time.Millisecond)
	if r := kept.Login(context.Background(), creds, loginOptions(t, nil)); r.OK || !errors.Is(r.Err, ErrConnGone) {
		t.Errorf("login after the idle time: ok %v, err %v", r.OK, r.Err)
	}
}

// An unusable server keeps nothing.
func TestOpenKeepsOnlyUsable(t *testing.T) {
	res, kept := Open(context.Background(), server(mailcfg.IMAP, 1, mailcfg.TLS), testOptions(t), time.Minute)
	if kept != nil || res.Status != mailcfg.StatusRefused {
		t.Errorf("refused port: status %s, kept %v", res.Status, kept != nil)
	}
}
