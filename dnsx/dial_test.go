package dnsx

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// dialFunc adapts a function to ContextDialer.
type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)

func (f dialFunc) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return f(ctx, network, address)
}

// trackedConn is one end of a pipe that reports its closing.
type trackedConn struct {
	net.Conn
	closed chan struct{}
	once   sync.Once
}

func newTrackedConn(t *testing.T) *trackedConn {
	a, b := net.Pipe()
	t.Cleanup(func() { b.Close() })
	return &trackedConn{Conn: a, closed: make(chan struct{})}
}

func (c *trackedConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

func (c *trackedConn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// fakeNet answers dials per address: "ok", "refused" or "hang" (until the
// context ends). It records the order of attempts.
type fakeNet struct {
	t        *testing.T
	behavior map[string]string
	mu       sync.Mutex
	dialed   []string
	conns    map[string]*trackedConn
}

func (f *fakeNet) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	f.mu.Lock()
	f.dialed = append(f.dialed, address)
	f.mu.Unlock()
	switch f.behavior[address] {
	case "ok":
		c := newTrackedConn(f.t)
		f.mu.Lock()
		f.conns[address] = c
		f.mu.Unlock()
		return c, nil
	case "hang":
		<-ctx.Done()
		return nil, ctx.Err()
	default:
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
}

func (f *fakeNet) attempts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.dialed...)
}

func newFakeNet(t *testing.T, behavior map[string]string) *fakeNet {
	return &fakeNet{t: t, behavior: behavior, conns: map[string]*trackedConn{}}
}

var (
	v6a = netip.MustParseAddr("2001:db8::1")
	v6b = netip.MustParseAddr("2001:db8::2")
	v4a = netip.MustParseAddr("192.0.2.1")
	v4b = netip.MustParseAddr("192.0.2.2")
)

func TestRaceWinner(t *testing.T) {
	tests := []struct {
		name       string
		behavior   map[string]string
		want       netip.Addr
		wantDialed []string
	}{
		{"first answers, the rest are never tried",
			map[string]string{"[2001:db8::1]:993": "ok", "192.0.2.1:993": "ok"},
			v6a, []string{"[2001:db8::1]:993"}},
		{"a failure moves on at once",
			map[string]string{"[2001:db8::1]:993": "refused", "192.0.2.1:993": "ok"},
			v4a, []string{"[2001:db8::1]:993", "192.0.2.1:993"}},
		{"a hanging attempt is overtaken",
			map[string]string{"[2001:db8::1]:993": "hang", "192.0.2.1:993": "ok"},
			v4a, []string{"[2001:db8::1]:993", "192.0.2.1:993"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := newFakeNet(t, tt.behavior)
			conn, won, err := Race(testContext(t), fn, []netip.Addr{v4a, v6a}, 993)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if won != tt.want {
				t.Errorf("winner %v, want %v", won, tt.want)
			}
			fn.mu.Lock()
			winner := fn.conns[net.JoinHostPort(tt.want.String(), "993")]
			fn.mu.Unlock()
			if conn != net.Conn(winner) {
				t.Error("returned connection is not the winner's")
			}
			if got := fn.attempts(); !reflect.DeepEqual(got, tt.wantDialed) {
				t.Errorf("dialed %v, want %v", got, tt.wantDialed)
			}
		})
	}
}

func TestRaceClosesLosers(t *testing.T) {
	late := newTrackedConn(t)
	release := make(chan struct{})
	d := dialFunc(func(ctx context.Context, network, address string) (net.Conn, error) {
		if address == "[2001:db8::1]:993" {
			// Connects only after the race is decided, ignoring the
			// cancellation, as a dial completing at that instant would.
			<-release
			return late, nil
		}
		return newTrackedConn(t), nil
	})
	conn, won, err := Race(testContext(t), d, []netip.Addr{v6a, v4a}, 993)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if won != v4a {
		t.Fatalf("winner %v, want %v", won, v4a)
	}
	close(release)
	select {
	case <-late.closed:
	case <-testContext(t).Done():
		t.Fatal("the losing connection was never closed")
	}
	if conn.(*trackedConn).isClosed() {
		t.Error("the winning connection was closed")
	}
}

func TestRaceAllFail(t *testing.T) {
	fn := newFakeNet(t, nil) // every address refuses
	_, _, err := Race(testContext(t), fn, []netip.Addr{v4a, v4b, v6a, v6b}, 25)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want connection refused", err)
	}
	// Families alternate, IPv6 first, each keeping its order.
	want := []string{"[2001:db8::1]:25", "192.0.2.1:25", "[2001:db8::2]:25", "192.0.2.2:25"}
	if got := fn.attempts(); !reflect.DeepEqual(got, want) {
		t.Errorf("dialed %v, want %v", got, want)
	}
	if _, _, err := Race(testContext(t), fn, nil, 25); err == nil {
		t.Error("no addresses: want an error")
	}
}

func TestRaceContextEnds(t *testing.T) {
	t.Run("canceled while hanging", func(t *testing.T) {
		fn := newFakeNet(t, map[string]string{"[2001:db8::1]:995": "refused", "192.0.2.1:995": "hang"})
		ctx, cancel := context.WithCancel(testContext(t))
		go func() {
			for len(fn.attempts()) < 2 { // until the hanging attempt has started
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, _, err := Race(ctx, fn, []netip.Addr{v6a, v4a}, 995)
		// The context's end is the verdict, the earlier refusal a footnote.
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if !strings.Contains(err.Error(), "refused") {
			t.Errorf("err = %v, want the earlier refusal mentioned", err)
		}
	})
	t.Run("canceled before", func(t *testing.T) {
		fn := newFakeNet(t, map[string]string{"192.0.2.1:995": "ok"})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, _, err := Race(ctx, fn, []netip.Addr{v4a}, 995)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n := len(fn.attempts()); n != 0 {
			t.Errorf("%d dials after cancellation", n)
		}
	})
}

func TestInterleave(t *testing.T) {
	mapped := netip.MustParseAddr("::ffff:192.0.2.9")
	tests := []struct {
		in, want []netip.Addr
	}{
		{nil, []netip.Addr{}},
		{[]netip.Addr{v4a, v4b}, []netip.Addr{v4a, v4b}},
		{[]netip.Addr{v4a, v4b, v6a, v6b}, []netip.Addr{v6a, v4a, v6b, v4b}},
		{[]netip.Addr{v6a, v6b, v4a}, []netip.Addr{v6a, v4a, v6b}},
		{[]netip.Addr{mapped, v6a}, []netip.Addr{v6a, mapped}},
	}
	for _, tt := range tests {
		if got := interleave(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("interleave(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
