package assistant

import (
	"context"
	"net"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/dnsx"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// countingDialer counts the connections made to each address and how many
// are still open.
type countingDialer struct {
	base dnsx.ContextDialer
	mu   sync.Mutex
	made map[string]int
	open int
}

func (d *countingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.base.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.made[address]++
	d.open++
	d.mu.Unlock()
	return &countedConn{Conn: c, d: d}, nil
}

func (d *countingDialer) counts(address string) (made, open int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.made[address], d.open
}

type countedConn struct {
	net.Conn
	d    *countingDialer
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() {
		c.d.mu.Lock()
		c.d.open--
		c.d.mu.Unlock()
	})
	return c.Conn.Close()
}

// With the password known up front, each role logs in on the probe's own
// connection: one connection to each recommended server in all; and when
// the check returns, nothing of it is left: no connection, no goroutine.
func TestDiscoverAndCheckOneConnectionPerRole(t *testing.T) {
	for _, id := range []string{"imap/tls", "pop3/starttls"} {
		t.Run(id, func(t *testing.T) {
			ld := loginDomains(t)[id]
			proto := ld.in.Protocol
			d := &countingDialer{base: bed.Dialer(), made: map[string]int{}}
			e := bedEngine(t, Options{Protocol: proto, ProtocolChosen: true, Offline: true})
			e.dialer = d
			before := runtime.NumGoroutine()
			rep, err := e.DiscoverAndCheck(context.Background(), ld.email, LoginRequest{Password: testbed.DefaultPassword})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Login.OK() {
				t.Fatalf("login: %+v / %+v", rep.Login.Incoming, rep.Login.Outgoing)
			}
			for _, srv := range []mailcfg.Server{ld.in, ld.out} {
				// The engine dials the server's address on its standard
				// port; the bed's map takes it on from there.
				if made, _ := d.counts(net.JoinHostPort(ld.ip, strconv.Itoa(srv.Port))); made != 1 {
					t.Errorf("%s: %d connections, want 1 (the probe's, carrying the login)", srv, made)
				}
			}
			if _, open := d.counts(""); open != 0 {
				t.Errorf("%d connections still open after the check", open)
			}
			if n := settledGoroutines(before); n > before {
				t.Errorf("%d goroutines after the check, %d before", n, before)
			}
		})
	}
}

// settledGoroutines waits a little for goroutines that are on their way
// out (a closed connection's reader) and returns how many remain.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 50 && n > want; i++ {
		time.Sleep(20 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// A server that slows repeated failures down, as dovecot does by default
// (2 s for a failure, more for each further one from the same address, at
// times a closed connection): the wrong password is still reported as a
// rejected password, the first and clear one, with a word on the delay.
func TestWrongPasswordOnASlowingServer(t *testing.T) {
	t.Parallel()
	const domain = "penalty.test"
	email := "alice@" + domain
	bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"mail." + domain}, Penalty: true,
		Users: map[string]string{email: testbed.DefaultPassword}, Services: []testbed.Listener{{StdPort: 993}, {StdPort: 465}}})
	e := bedEngine(t, Options{Protocol: mailcfg.IMAP, Offline: true, Timeout: 30 * time.Second})
	rep, err := e.DiscoverAndCheck(context.Background(), email, LoginRequest{Password: wrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []*LoginOutcome{rep.Login.Incoming, rep.Login.Outgoing} {
		if o.OK || !o.AuthFailed || o.Username != email {
			t.Errorf("%s: ok %v, auth failed %v as %q (%s); want the address's clear rejection", o.Server, o.OK, o.AuthFailed, o.Username, o.Error)
		}
		if ids := hintIDs(o.Hints); !slices.Contains(ids, "login_delayed") {
			t.Errorf("%s: hints %v, want login_delayed among them", o.Server, ids)
		}
	}
	if !rep.Login.AuthFailed() {
		t.Error("the report does not say the credentials were refused (exit code 3)")
	}
}

// A server that cuts off the second try (the local part, after the
// address was refused) must not turn a wrong password into "the server
// closed the connection": the first, clear rejection is the answer, and
// its slowness is explained.
func TestWrongPasswordSurvivesACutOff(t *testing.T) {
	t.Parallel()
	const domain = "cutoff.test"
	var mu sync.Mutex
	logins := 0
	refuseThenHangUp := func(_ *testbed.Session, verb, _ string) (string, bool) {
		if verb != "LOGIN" {
			return "", false
		}
		mu.Lock()
		logins++
		n := logins
		mu.Unlock()
		if n == 1 {
			time.Sleep(slowRefusal + 100*time.Millisecond) // slows the failure down, as dovecot does
			return "NO [AUTHENTICATIONFAILED] Authentication failed.", true
		}
		return testbed.HangUp, true
	}
	in := bed.Scripted(t, "", 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{Hook: refuseThenHangUp})
	bed.AddA("imap."+domain, in.IP)
	out := bed.Scripted(t, "", 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{})
	bed.AddA("smtp."+domain, out.IP)
	e := bedEngine(t, Options{Protocol: mailcfg.IMAP, ProtocolChosen: true, Offline: true, Timeout: 20 * time.Second})
	rep, err := e.DiscoverAndCheck(context.Background(), "alice@"+domain, LoginRequest{Password: wrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Login.Incoming
	if o.OK || !o.AuthFailed || !strings.Contains(o.Reply, "AUTHENTICATIONFAILED") || o.Username != "alice@"+domain {
		t.Errorf("incoming: ok %v, auth failed %v, reply %q as %q (%s); want the first, clear rejection", o.OK, o.AuthFailed, o.Reply, o.Username, o.Error)
	}
	if ids := hintIDs(o.Hints); !slices.Contains(ids, "login_delayed") {
		t.Errorf("hints %v, want login_delayed among them", ids)
	}
	if mu.Lock(); logins != 2 {
		t.Errorf("%d logins, want 2 (the address, then the local part)", logins)
	}
	mu.Unlock()
}

// POP3 chosen where 995 is a tarpit and only IMAP answers: IMAP is probed
// once the tarpit has stalled, not after its timeout, and is recommended.
// (Found by the login benchmark: the answer took the probe timeout.)
func TestChosenProtocolTarpitDoesNotHoldTheOther(t *testing.T) {
	t.Parallel()
	const probeTimeout = 25 * time.Second
	e := bedEngine(t, Options{Protocol: mailcfg.POP3, ProtocolChosen: true, Offline: true,
		Timeout: 40 * time.Second, ProbeTimeout: probeTimeout})
	rep, err := e.Discover(context.Background(), scenarios.Tarpit.Email)
	if err != nil {
		t.Fatal(err)
	}
	if in := rep.Recommended.Incoming; in == nil || in.Protocol != mailcfg.IMAP || in.Port != 993 {
		t.Fatalf("incoming %v, want IMAP on 993", in)
	}
	if took := time.Duration(rep.ElapsedMS) * time.Millisecond; took >= probeTimeout/2 {
		t.Errorf("the answer took %v: it waited for the tarpit's timeout", took)
	}
}
