package testbed

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rawDial connects to ip:stdPort through the bed's map without any protocol.
func rawDial(t *testing.T, b *Bed, ip string, stdPort int) (net.Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := b.Dialer().DialContext(ctx, "tcp", hostPort(ip, stdPort))
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestFaults(t *testing.T) {
	t.Parallel()
	b := Start(t)
	const quiet = 300 * time.Millisecond // how long "says nothing" is watched

	tests := []struct {
		kind  FaultKind
		port  int
		check func(t *testing.T, c net.Conn)
	}{
		{Tarpit, 995, func(t *testing.T, c net.Conn) {
			c.SetReadDeadline(time.Now().Add(quiet))
			if n, err := c.Read(make([]byte, 1)); n != 0 || !isTimeout(err) {
				t.Errorf("read %d bytes, %v; want silence", n, err)
			}
		}},
		{GreetThenSilence, 110, func(t *testing.T, c net.Conn) {
			r := bufio.NewReader(c)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if l, _ := r.ReadString('\n'); !strings.HasPrefix(l, "+OK") {
				t.Errorf("greeting %q", l)
			}
			io.WriteString(c, "CAPA\r\n")
			c.SetReadDeadline(time.Now().Add(quiet))
			if _, err := r.ReadByte(); !isTimeout(err) {
				t.Errorf("answered CAPA: %v", err)
			}
		}},
		{GreetThenSilence, 993, func(t *testing.T, c net.Conn) {
			tc := tls.Client(c, b.ClientTLS("imap.fault.test")) // any name: SNI picks the certificate
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if l, err := bufio.NewReader(tc).ReadString('\n'); err != nil || !strings.HasPrefix(l, "* OK") {
				t.Errorf("greeting over TLS %q, %v", l, err)
			}
		}},
		{Garbage, 110, func(t *testing.T, c net.Conn) {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			buf := make([]byte, 512)
			n, _ := io.ReadFull(c, buf)
			binary := 0
			for _, ch := range buf[:n] {
				if ch < 0x20 || ch > 0x7e {
					binary++
				}
			}
			if n < 512 || binary < 100 {
				t.Errorf("read %d bytes, %d non-printable: not garbage", n, binary)
			}
		}},
		{HugeLine, 143, func(t *testing.T, c net.Conn) {
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			data, err := io.ReadAll(io.LimitReader(c, HugeLineSize))
			if err != nil || len(data) != HugeLineSize || strings.ContainsAny(string(data), "\r\n") {
				t.Errorf("read %d bytes (%v), newline inside: %v", len(data), err, strings.ContainsAny(string(data), "\r\n"))
			}
		}},
		{SlowDrip, 25, func(t *testing.T, c net.Conn) {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			first := make([]byte, 10)
			n, err := c.Read(first)
			if err != nil || string(first[:n]) != "2" {
				t.Fatalf("first read %q, %v; want the single byte \"2\"", first[:n], err)
			}
			c.SetReadDeadline(time.Now().Add(quiet))
			if _, err := c.Read(first); !isTimeout(err) {
				t.Errorf("second byte came within %v: %v", quiet, err)
			}
		}},
		{WrongProtocol, 110, func(t *testing.T, c net.Conn) {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if l, _ := bufio.NewReader(c).ReadString('\n'); !strings.HasPrefix(l, "220 ") {
				t.Errorf("greeting %q, want SMTP's on a POP3 port", l)
			}
		}},
		{WrongProtocol, 465, func(t *testing.T, c net.Conn) {
			tc := tls.Client(c, b.ClientTLS("smtp.fault.test"))
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if l, _ := bufio.NewReader(tc).ReadString('\n'); !strings.HasPrefix(l, "* OK") {
				t.Errorf("greeting %q, want IMAP's on an SMTP port", l)
			}
		}},
		{ResetAfterAccept, 995, func(t *testing.T, c net.Conn) {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := c.Read(make([]byte, 1)); !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("read: %v, want connection reset", err)
			}
		}},
		{TLSHandshakeFail, 995, func(t *testing.T, c net.Conn) {
			tc := tls.Client(c, b.ClientTLS("pop.fault.test"))
			c.SetDeadline(time.Now().Add(5 * time.Second))
			if err := tc.Handshake(); err == nil || !strings.Contains(err.Error(), "handshake failure") {
				t.Errorf("handshake: %v, want a handshake_failure alert", err)
			}
		}},
		{TLSHandshakeFail, 587, func(t *testing.T, c net.Conn) {
			cl := &client{t: t, conn: c}
			cl.tp = newTextprotoConn(c)
			cl.smtp(220, "")
			if ehlo := cl.smtp(250, "EHLO client.test"); !strings.Contains(ehlo, "STARTTLS") {
				t.Fatalf("EHLO: %q", ehlo)
			}
			cl.smtp(220, "STARTTLS")
			tc := tls.Client(c, b.ClientTLS("smtp.fault.test"))
			c.SetDeadline(time.Now().Add(5 * time.Second))
			if err := tc.Handshake(); err == nil || !strings.Contains(err.Error(), "handshake failure") {
				t.Errorf("handshake: %v, want a handshake_failure alert", err)
			}
		}},
		{HTTPOnMailPort, 995, func(t *testing.T, c net.Conn) {
			tc := tls.Client(c, b.ClientTLS("pop.fault.test"))
			c.SetDeadline(time.Now().Add(5 * time.Second))
			var rh tls.RecordHeaderError
			if err := tc.Handshake(); !errors.As(err, &rh) || !strings.HasPrefix(string(rh.RecordHeader[:]), "HTTP/") {
				t.Errorf("handshake: %v, want an HTTP answer to the ClientHello", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String()+"/"+itoa(tt.port), func(t *testing.T) {
			t.Parallel()
			f := b.Fault(t, "", tt.port, tt.kind)
			c, err := rawDial(t, b, f.IP, tt.port)
			switch {
			case err == nil:
				tt.check(t, c)
			case tt.kind == ResetAfterAccept && errors.Is(err, syscall.ECONNRESET):
				// On loopback the reset can beat connect's return.
			default:
				t.Fatal(err)
			}
			if f.Accepted() != 1 {
				t.Errorf("accepted %d connections, want 1", f.Accepted())
			}
		})
	}
}

func TestBlackholeNeverConnects(t *testing.T) {
	t.Parallel()
	b := Start(t)
	ip := b.NewIP()
	d := b.Dialer() // taken before the entry exists: the live map still applies
	b.Blackhole(ip, 465)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", hostPort(ip, 465))
	if err == nil {
		c.Close()
		t.Fatal("connected to a blackholed port")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the context's deadline", err)
	}
	if got := b.PortMap()[hostPort(ip, 465)]; got != "blackhole" {
		t.Errorf("map entry %q", got)
	}
}
