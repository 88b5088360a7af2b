package dnsx

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/miekg/dns"
)

// wineUDPError is what a UDP dial gives under Wine 8.0: Go's runtime sets
// SIO_UDP_CONNRESET on the new socket and Wine answers WSAEOPNOTSUPP
// (10045), before any packet is sent.
func wineUDPError(string) error {
	return &net.OpError{Op: "dial", Net: "udp", Addr: &net.UDPAddr{}, Err: os.NewSyscallError("wsaioctl", syscall.Errno(10045))}
}

// failingUDP makes r's UDP dials fail with fail(address) and counts them;
// TCP dials reach the real server.
func failingUDP(r *Resolver, fail func(addr string) error) *atomic.Int32 {
	var udpDials atomic.Int32
	real := r.dial
	r.dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		if network == "udp" {
			udpDials.Add(1)
			return nil, fail(address)
		}
		return real(ctx, network, address)
	}
	return &udpDials
}

func TestNoUDPSocketFallsBackToTCP(t *testing.T) {
	s := startServer(t,
		"mail.example.test. 300 IN A 192.0.2.1",
		"example.test. 300 IN MX 10 mail.example.test.")
	r := newTestResolver(t, s.Addr)
	udpDials := failingUDP(r, wineUDPError)

	ans, err := r.Query(testContext(t), "mail.example.test", dns.TypeA)
	if err != nil {
		t.Fatalf("query with UDP unusable: %v", err)
	}
	if got := ans.Records[0].(*dns.A).A.String(); got != "192.0.2.1" {
		t.Errorf("address %s, want 192.0.2.1", got)
	}
	if !ans.UsedTCP || ans.Truncated {
		t.Errorf("UsedTCP=%v Truncated=%v, want TCP without truncation", ans.UsedTCP, ans.Truncated)
	}
	if !r.TCPOnly() {
		t.Error("TCPOnly() = false after a local UDP socket failure")
	}
	// The resolver remembers: the next question does not try UDP again.
	if _, err := r.Query(testContext(t), "example.test", dns.TypeMX); err != nil {
		t.Fatalf("second query: %v", err)
	}
	if n := udpDials.Load(); n != 1 {
		t.Errorf("%d UDP dials, want 1 (UDP is given up after the first failure)", n)
	}
	if n := s.count("tcp", "example.test", dns.TypeMX); n != 1 {
		t.Errorf("server saw %d MX queries over TCP, want 1", n)
	}
}

// Failures that say nothing about UDP on this system keep the resolver on
// UDP: a route problem at connect(2), a timeout, an unrecognised error.
func TestOtherUDPFailuresKeepUDP(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"connect fails", &net.OpError{Op: "dial", Net: "udp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}},
		{"timeout", &net.OpError{Op: "dial", Net: "udp", Err: os.ErrDeadlineExceeded}},
		{"plain error", errors.New("something else")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, "mail.example.test. 300 IN A 192.0.2.1")
			r := newTestResolver(t, s.Addr)
			failingUDP(r, func(string) error { return tt.err })
			if _, err := r.Query(testContext(t), "mail.example.test", dns.TypeA); err == nil {
				t.Fatal("query succeeded although UDP failed")
			}
			if r.TCPOnly() {
				t.Error("TCPOnly() = true")
			}
			if n := s.count("tcp", "mail.example.test", dns.TypeA); n != 0 {
				t.Errorf("%d TCP queries, want none", n)
			}
		})
	}
}

// A server that never answers over UDP times out; that is the server's
// doing, not this system's, and must not switch the resolver to TCP.
func TestSilentUDPServerKeepsUDP(t *testing.T) {
	r := newTestResolver(t, silentServer(t))
	if _, err := r.Query(testContext(t), "example.test", dns.TypeA); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if r.TCPOnly() {
		t.Error("TCPOnly() = true after a timeout")
	}
}

func TestLocalSocketFailure(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{wineUDPError("127.0.0.1:53"), true},
		{&net.OpError{Op: "dial", Net: "udp", Err: os.NewSyscallError("socket", syscall.EAFNOSUPPORT)}, true},
		{&net.OpError{Op: "dial", Net: "udp", Err: os.NewSyscallError("setsockopt", syscall.EPERM)}, true},
		{&net.OpError{Op: "dial", Net: "udp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}, false},
		{&net.OpError{Op: "dial", Net: "udp", Err: os.ErrDeadlineExceeded}, false},
		{context.DeadlineExceeded, false},
	}
	for _, tt := range tests {
		if got := localSocketFailure(tt.err); got != tt.want {
			t.Errorf("localSocketFailure(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestUnconfiguredSiteLocal(t *testing.T) {
	for addr, want := range map[string]bool{
		"fec0:0:0:ffff::1": true,
		"fec0:0:0:ffff::3": true,
		"fec0:0:0:ffff::4": false,
		"fec0::1":          false,
		"fe80::1":          false,
		"2001:db8::1":      false,
		"192.0.2.1":        false,
	} {
		if got := isUnconfiguredSiteLocal(netip.MustParseAddr(addr)); got != want {
			t.Errorf("isUnconfiguredSiteLocal(%s) = %v, want %v", addr, got, want)
		}
	}
}
