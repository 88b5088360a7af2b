package testbed

import (
	"errors"
	"maps"
	"net"
	"os"
	"testing"
	"time"

	"mailsetup/internal/portmap"
	"mailsetup/mailcfg"
)

func TestNewIPIsFreshLoopback(t *testing.T) {
	t.Parallel()
	b := Start(t)
	seen := map[string]bool{}
	for i := 0; i < 600; i++ {
		ip := net.ParseIP(b.NewIP()).To4()
		switch {
		case ip == nil || ip[0] != 127:
			t.Fatalf("%v is not a loopback IPv4 address", ip)
		case ip[3] == 0 || ip[3] == 255 || ip.Equal(net.IPv4(127, 0, 0, 1)):
			t.Fatalf("%v must not be handed out", ip)
		case seen[ip.String()]:
			t.Fatalf("%v handed out twice", ip)
		}
		seen[ip.String()] = true
	}
}

func TestDialMapEnvRoundTrip(t *testing.T) {
	t.Parallel()
	b := Start(t)
	s := b.Scripted(t, "", 995, mailcfg.TLS, mailcfg.POP3, Script{})
	b.Blackhole(s.IP, 465)
	parsed, err := portmap.Parse(b.DialMapEnv())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{hostPort(s.IP, 995): s.Addr, hostPort(s.IP, 465): portmap.Blackhole}
	if !maps.Equal(parsed, want) || !maps.Equal(b.Dialer().Map, want) {
		t.Errorf("env map %v, dialer map %v, want %v", parsed, b.Dialer().Map, want)
	}
	s.Close()
	if _, ok := b.PortMap()[hostPort(s.IP, 995)]; ok {
		t.Error("closed server still mapped")
	}
}

func TestCloseStopsEverything(t *testing.T) {
	t.Parallel()
	b, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.StartScripted("", 143, mailcfg.STARTTLS, mailcfg.IMAP, Script{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := b.StartFault("", 995, Tarpit)
	if err != nil {
		t.Fatal(err)
	}
	// Connections the servers hold open must be closed by Close. (Dialing
	// afterwards proves nothing: another bed may reuse a freed port.)
	var held []net.Conn
	for _, addr := range []string{s.Addr, f.Addr, b.DNSAddr, b.DeadDNSAddr()} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	held[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	held[0].Read(make([]byte, 1)) // the IMAP greeting: the connection is being served
	dir := b.Dir

	b.Close()
	b.Close()
	for i, c := range held {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 512)
		for {
			if _, err := c.Read(buf); err != nil {
				if isTimeout(err) {
					t.Errorf("connection %d is still open after Close", i)
				}
				break
			}
		}
	}
	for _, ln := range []net.Listener{s.srv.ln, f.srv.ln, b.deadDNS.tcp.ln} {
		if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("listener %s: %v, want closed", ln.Addr(), err)
		}
	}
	for _, pc := range []net.PacketConn{b.dns.udp.PacketConn, b.deadDNS.pc} {
		if _, _, err := pc.ReadFrom(make([]byte, 512)); !errors.Is(err, net.ErrClosed) {
			t.Errorf("UDP socket %s: %v, want closed", pc.LocalAddr(), err)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s left behind: %v", dir, err)
	}
	// Starting something on a closed bed stops it at once.
	s2, err := b.StartScripted("", 110, mailcfg.None, mailcfg.POP3, Script{})
	if err == nil {
		if _, err := s2.srv.ln.Accept(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("server started on a closed bed keeps listening: %v", err)
		}
	}
}
