package dnsx

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"testing"
)

func TestResolverDialer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("hello\n"))
			c.Close()
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)

	s := startServer(t,
		"mail.example.test. 300 IN AAAA ::1",
		"mail.example.test. 300 IN A 127.0.0.1",
		"v6only.example.test. 300 IN AAAA ::1",
	)
	r := newTestResolver(t, s.Addr)
	// IPv6 is tried first; blackholing it makes the IPv4 attempt win the race.
	blackholed := net.JoinHostPort("::1", port)
	base := dialFunc(func(ctx context.Context, network, address string) (net.Conn, error) {
		if address == blackholed {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return (&net.Dialer{}).DialContext(ctx, network, address)
	})
	d := r.Dialer(base)
	ctx := testContext(t)

	for _, network := range []string{"tcp", "tcp4"} {
		t.Run(network, func(t *testing.T) {
			conn, won, err := d.DialAddr(ctx, network, net.JoinHostPort("mail.example.test", port))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if want := netip.MustParseAddr("127.0.0.1"); won != want {
				t.Errorf("won %v, want %v", won, want)
			}
			buf := make([]byte, 6)
			if _, err := conn.Read(buf); err != nil || string(buf) != "hello\n" {
				t.Errorf("read %q, %v", buf, err)
			}
		})
	}

	failures := []struct {
		network, address string
		want             error
	}{
		{"tcp", "missing.example.test:25", ErrNXDomain},
		{"tcp4", "v6only.example.test:" + port, nil},
		{"udp", "mail.example.test:53", nil},
		{"tcp", "mail.example.test", nil},
		{"tcp", "mail.example.test:smtp-ish", nil},
	}
	for _, tt := range failures {
		t.Run(tt.network+" "+tt.address, func(t *testing.T) {
			conn, err := d.DialContext(ctx, tt.network, tt.address)
			if err == nil {
				conn.Close()
				t.Fatal("dial succeeded, want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
