package perf

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"mailsetup/internal/portmap"
)

// The delays are checked from below only: a sleep never ends early, while
// an upper bound would depend on the machine's load.
const testRTT = 40 * time.Millisecond

// greeter greets on accept, then echoes each line upper-cased, until QUIT.
func greeter(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.WriteString(c, "+OK hello\r\n")
				sc := bufio.NewScanner(c)
				sc.Buffer(make([]byte, 1<<20), 1<<20)
				for sc.Scan() {
					if sc.Text() == "QUIT" {
						return
					}
					io.WriteString(c, strings.ToUpper(sc.Text())+"\r\n")
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestDialerDelaysLikeALink(t *testing.T) {
	addr := greeter(t)
	d := &Dialer{RTT: testRTT}
	start := time.Now()
	c, err := d.DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if took := time.Since(start); took < testRTT {
		t.Errorf("connect took %v, want at least one RTT (%v)", took, testRTT)
	}
	if c.RemoteAddr().String() != addr {
		t.Errorf("remote address %v, want %s", c.RemoteAddr(), addr)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil || line != "+OK hello\r\n" {
		t.Fatalf("greeting %q, %v", line, err)
	}
	// The server greets once its side of the handshake is done (1.5 RTT);
	// the greeting needs half an RTT more to arrive.
	if took := time.Since(start); took < 2*testRTT {
		t.Errorf("greeting after %v, want at least 2 RTT (%v)", took, 2*testRTT)
	}
	for _, word := range []string{"capa", strings.Repeat("x", 100<<10)} {
		sent := time.Now()
		io.WriteString(c, word+"\r\n")
		line, err = r.ReadString('\n')
		if err != nil || line != strings.ToUpper(word)+"\r\n" {
			t.Fatalf("echo of %d bytes: %d bytes back, %v", len(word), len(line), err)
		}
		if took := time.Since(sent); took < testRTT {
			t.Errorf("a command took %v, want at least one RTT", took)
		}
	}
	io.WriteString(c, "QUIT\r\n")
	if _, err := r.ReadString('\n'); !errors.Is(err, io.EOF) {
		t.Errorf("after QUIT: %v, want EOF", err)
	}
}

func TestDialerRefusedCostsARoundTrip(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	start := time.Now()
	d := &Dialer{RTT: testRTT}
	_, err = d.DialContext(context.Background(), "tcp", addr)
	if err == nil {
		t.Fatal("connected to a closed port")
	}
	if took := time.Since(start); took < testRTT {
		t.Errorf("refusal after %v, want one RTT", took)
	}
	if d.Dials() != 1 {
		t.Errorf("a refused connect counts as %d dials, want 1", d.Dials())
	}
}

func TestDialerBlackholeWaitsForTheContext(t *testing.T) {
	base := &portmap.PortMap{Map: map[string]string{"192.0.2.1:465": portmap.Blackhole}}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := (&Dialer{Base: base, RTT: testRTT}).DialContext(ctx, "tcp", "192.0.2.1:465")
		errc <- err
	}()
	time.Sleep(2 * testRTT)
	select {
	case err := <-errc:
		t.Fatalf("a blackholed dial returned before its context ended: %v", err)
	default:
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestDialerZeroRTTIsTransparent(t *testing.T) {
	addr := greeter(t)
	d := &Dialer{}
	c, err := d.DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.(*net.TCPConn); !ok {
		t.Errorf("zero RTT gave a %T, want the plain *net.TCPConn", c)
	}
	if d.Dials() != 1 {
		t.Errorf("zero RTT counts %d dials, want 1", d.Dials())
	}
}
