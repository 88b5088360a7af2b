package testbed

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// client is a raw text-protocol client for checking servers by hand,
// independent of the project's own protocol clients.
type client struct {
	t    testing.TB
	conn net.Conn
	tp   *textproto.Conn
}

// dial connects to ip:stdPort through the bed's port map; with tlsName it
// starts TLS at once, verifying the certificate against the test CA.
func dial(t testing.TB, b *Bed, ip string, stdPort int, tlsName string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := b.Dialer().DialContext(ctx, "tcp", hostPort(ip, stdPort))
	if err != nil {
		t.Fatalf("dial %s:%d: %v", ip, stdPort, err)
	}
	cl := &client{t: t, conn: c, tp: textproto.NewConn(c)}
	t.Cleanup(func() { cl.conn.Close() })
	if tlsName != "" {
		cl.startTLS(b, tlsName)
	}
	return cl
}

func (c *client) startTLS(b *Bed, name string) {
	c.t.Helper()
	tc := tls.Client(c.conn, b.ClientTLS(name))
	tc.SetDeadline(time.Now().Add(5 * time.Second))
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake with %s: %v", name, err)
	}
	tc.SetDeadline(time.Time{})
	c.conn = tc
	c.tp = textproto.NewConn(tc)
}

func (c *client) line() string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := c.tp.ReadLine()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return l
}

func (c *client) send(format string, args ...any) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := c.tp.PrintfLine(format, args...); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// cmd sends a command and returns the first reply line.
func (c *client) cmd(format string, args ...any) string {
	c.t.Helper()
	c.send(format, args...)
	return c.line()
}

// expect fails unless the next line starts with prefix.
func (c *client) expect(prefix string) string {
	c.t.Helper()
	l := c.line()
	if !strings.HasPrefix(l, prefix) {
		c.t.Fatalf("got %q, want %q…", l, prefix)
	}
	return l
}

// untilTagged reads IMAP lines up to the one starting with tag and returns all.
func (c *client) untilTagged(tag string) []string {
	c.t.Helper()
	var lines []string
	for {
		l := c.line()
		lines = append(lines, l)
		if strings.HasPrefix(l, tag+" ") {
			return lines
		}
	}
}

// smtp sends an SMTP command and returns the whole (multi-line) reply.
func (c *client) smtp(code int, format string, args ...any) string {
	c.t.Helper()
	if format != "" {
		c.send(format, args...)
	}
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := c.tp.ReadResponse(code)
	if err != nil {
		c.t.Fatalf("%q: %v", format, err)
	}
	return msg
}

// lookup asks the bed's DNS server over network ("udp" or "tcp").
func lookup(t testing.TB, server, network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Net: network, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, server)
	if err != nil {
		t.Fatalf("%s %s %s: %v", network, name, dns.TypeToString[qtype], err)
	}
	return r
}

// resolveA is the first A record of name in the bed's DNS.
func resolveA(t testing.TB, b *Bed, name string) string {
	t.Helper()
	ip, err := resolve(b, name)
	if err != nil {
		t.Fatal(err)
	}
	return ip
}

func resolve(b *Bed, name string) (string, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, b.DNSAddr)
	if err != nil {
		return "", err
	}
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			return a.A.String(), nil
		}
	}
	return "", fmt.Errorf("%s has no A record (rcode %s)", name, dns.RcodeToString[r.Rcode])
}

func newTextprotoConn(c net.Conn) *textproto.Conn { return textproto.NewConn(c) }

func itoa(i int) string { return strconv.Itoa(i) }
