package portmap

import (
	"context"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"
)

// dialFunc adapts a function to dnsx.ContextDialer.
type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)

func (f dialFunc) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return f(ctx, network, address)
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPortMap(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()

	var passed []string
	base := dialFunc(func(ctx context.Context, network, address string) (net.Conn, error) {
		passed = append(passed, address)
		return (&net.Dialer{}).DialContext(ctx, network, address)
	})
	m := &PortMap{Base: base, Map: map[string]string{
		"192.0.2.5:995": ln.Addr().String(),
		"192.0.2.5:465": Blackhole,
	}}
	ctx := testContext(t)

	t.Run("mapped", func(t *testing.T) {
		c, err := m.DialContext(ctx, "tcp", "192.0.2.5:995")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if c.RemoteAddr().String() != ln.Addr().String() {
			t.Errorf("connected to %v, want %v", c.RemoteAddr(), ln.Addr())
		}
		(<-accepted).Close()
	})
	t.Run("unmapped passes through", func(t *testing.T) {
		passed = nil
		c, err := m.DialContext(ctx, "tcp", ln.Addr().String())
		if err == nil {
			c.Close()
		}
		if !reflect.DeepEqual(passed, []string{ln.Addr().String()}) {
			t.Errorf("base dialed %v", passed)
		}
	})
	t.Run("blackhole hangs until the context ends", func(t *testing.T) {
		passed = nil
		bctx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() {
			_, err := m.DialContext(bctx, "tcp", "192.0.2.5:465")
			done <- err
		}()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if len(passed) != 0 {
			t.Errorf("blackhole reached the base dialer: %v", passed)
		}
	})
	t.Run("nil base dials directly", func(t *testing.T) {
		direct := &PortMap{Map: map[string]string{"192.0.2.5:995": ln.Addr().String()}}
		go func() {
			if c, err := ln.Accept(); err == nil {
				accepted <- c
			}
		}()
		c, err := direct.DialContext(ctx, "tcp", "192.0.2.5:995")
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		(<-accepted).Close()
	})
}

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr bool
	}{
		{"", map[string]string{}, false},
		{"127.0.0.5:995=127.0.0.1:40001,127.0.0.5:465=blackhole", map[string]string{
			"127.0.0.5:995": "127.0.0.1:40001", "127.0.0.5:465": Blackhole}, false},
		{" [::1]:993=127.0.0.1:40002 , ,", map[string]string{"[::1]:993": "127.0.0.1:40002"}, false},
		{"127.0.0.5:995", nil, true},
		{"127.0.0.5=127.0.0.1:1", nil, true},
		{"127.0.0.5:995=elsewhere", nil, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), Env) {
				t.Errorf("error %q does not name %s", err, Env)
			}
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	base := &net.Dialer{}
	t.Setenv(Env, "")
	if d, err := FromEnv(base); err != nil || d != base {
		t.Errorf("unset: %v, %v; want the base dialer", d, err)
	}
	t.Setenv(Env, "127.0.0.5:995=blackhole")
	d, err := FromEnv(base)
	pm, ok := d.(*PortMap)
	if err != nil || !ok || pm.Base != base || pm.Map["127.0.0.5:995"] != Blackhole {
		t.Errorf("set: %#v, %v", d, err)
	}
	t.Setenv(Env, "nonsense")
	if _, err := FromEnv(base); err == nil {
		t.Error("malformed: want an error")
	}
}
