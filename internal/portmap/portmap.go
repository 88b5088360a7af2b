// Package portmap redirects connections for tests: servers of the test bed
// listen on random high ports of their own loopback addresses, and a PortMap
// makes "127.0.0.10:995" reach "127.0.0.10:40001". It is test wiring only:
// the release binary never imports it (see internal/testhooks).
package portmap

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"

	"mailsetup/dnsx"
)

// PortMap is a dnsx.ContextDialer that redirects chosen "ip:port"
// destinations to other addresses before dialing with Base. The target
// Blackhole makes the connection hang until the context ends, as a firewall
// that drops SYNs would.
type PortMap struct {
	Base dnsx.ContextDialer
	Map  map[string]string
}

// Blackhole is the PortMap target that never connects.
const Blackhole = "blackhole"

// DialContext dials the mapped address, or address itself when unmapped.
func (m *PortMap) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if to, ok := m.Map[address]; ok {
		if to == Blackhole {
			return Hang(ctx, address)
		}
		address = to
	}
	base := m.Base
	if base == nil {
		base = &net.Dialer{}
	}
	return base.DialContext(ctx, network, address)
}

// Hang waits for the end of ctx, as a dial into a black hole does.
func Hang(ctx context.Context, address string) (net.Conn, error) {
	<-ctx.Done()
	return nil, fmt.Errorf("dial %s: %w", address, ctx.Err())
}

// Env names the environment variable that carries a PortMap to a child
// process built with -tags testhooks:
// "127.0.0.5:995=127.0.0.1:40001,127.0.0.5:465=blackhole".
const Env = "MAILSETUP_DIAL_MAP"

// Parse reads the Env format.
func Parse(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		from, to, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("%s: %q is not FROM=TO", Env, pair)
		}
		if _, _, err := net.SplitHostPort(from); err != nil {
			return nil, fmt.Errorf("%s: %q: %v", Env, from, err)
		}
		if to != Blackhole {
			if _, _, err := net.SplitHostPort(to); err != nil {
				return nil, fmt.Errorf("%s: %q: %v", Env, to, err)
			}
		}
		m[from] = to
	}
	return m, nil
}

// FromEnv wraps base in a PortMap when Env is set, and returns base as it
// is otherwise.
func FromEnv(base dnsx.ContextDialer) (dnsx.ContextDialer, error) {
	s := os.Getenv(Env)
	if s == "" {
		return base, nil
	}
	m, err := Parse(s)
	if err != nil {
		return nil, err
	}
	return &PortMap{Base: base, Map: m}, nil
}
