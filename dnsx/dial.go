package dnsx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// ContextDialer is the one injection point for outgoing connections: a
// net.Dialer, a SOCKS5 proxy (golang.org/x/net/proxy) or a test port map.
// It is always given an IP literal and a port, never a name, so that name
// resolution stays with the project's resolver.
type ContextDialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// RaceDelay is how long a connection attempt gets before the next address
// is tried in parallel (RFC 8305 recommends 250 ms).
const RaceDelay = 250 * time.Millisecond

// Race connects to port on the first of addrs that answers, starting a new
// attempt every RaceDelay (or at once when one fails), alternating address
// families as RFC 8305 describes. It returns the connection and the address
// that won; the losers are closed.
func Race(ctx context.Context, d ContextDialer, addrs []netip.Addr, port int) (net.Conn, netip.Addr, error) {
	if len(addrs) == 0 {
		return nil, netip.Addr{}, errors.New("no addresses to connect to")
	}
	if err := ctx.Err(); err != nil {
		return nil, netip.Addr{}, err
	}
	addrs = interleave(addrs)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make(chan outcome, len(addrs))
	start := func(a netip.Addr) {
		go func() {
			c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(a.String(), strconv.Itoa(port)))
			results <- outcome{c, a, err}
		}()
	}

	next, pending := 0, 0
	var firstErr error
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			if next < len(addrs) {
				start(addrs[next])
				next++
				pending++
				timer.Reset(RaceDelay)
			}
		case r := <-results:
			pending--
			if r.err == nil {
				cancel()
				go drain(results, pending) // close late winners
				return r.conn, r.addr, nil
			}
			if firstErr == nil {
				firstErr = r.err
			}
			if next < len(addrs) {
				timer.Reset(0) // a failure starts the next attempt at once
			} else if pending == 0 {
				return nil, netip.Addr{}, firstErr
			}
		case <-ctx.Done():
			go drain(results, pending)
			// The context's end is the verdict (a timeout, say); an
			// earlier fast failure, such as an unreachable IPv6 network,
			// is only a footnote.
			if firstErr != nil {
				return nil, netip.Addr{}, fmt.Errorf("%w (earlier attempt: %w)", ctx.Err(), firstErr)
			}
			return nil, netip.Addr{}, ctx.Err()
		}
	}
}

type outcome struct {
	conn net.Conn
	addr netip.Addr
	err  error
}

// drain waits for the n attempts still running and closes any that connected.
func drain(results <-chan outcome, n int) {
	for ; n > 0; n-- {
		if r := <-results; r.conn != nil {
			r.conn.Close()
		}
	}
}

// interleave orders addresses IPv6, IPv4, IPv6, … keeping each family's order.
func interleave(addrs []netip.Addr) []netip.Addr {
	var v6, v4 []netip.Addr
	for _, a := range addrs {
		if a.Is4() || a.Is4In6() {
			v4 = append(v4, a)
		} else {
			v6 = append(v6, a)
		}
	}
	out := make([]netip.Addr, 0, len(addrs))
	for i := 0; i < len(v6) || i < len(v4); i++ {
		if i < len(v6) {
			out = append(out, v6[i])
		}
		if i < len(v4) {
			out = append(out, v4[i])
		}
	}
	return out
}

// PortMap is a ContextDialer that redirects chosen "ip:port" destinations to
// other addresses before dialing with Base. Tests use it to reach servers
// that listen on high ports as if they were on 995 or 465; the target
// "blackhole" makes the connection hang until the context ends, as a
// firewall that drops SYNs would.
type PortMap struct {
	Base ContextDialer
	Map  map[string]string
}

// Blackhole is the PortMap target that never connects.
const Blackhole = "blackhole"

// DialContext dials the mapped address, or address itself when unmapped.
func (m *PortMap) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if to, ok := m.Map[address]; ok {
		if to == Blackhole {
			<-ctx.Done()
			return nil, fmt.Errorf("dial %s: %w", address, ctx.Err())
		}
		address = to
	}
	base := m.Base
	if base == nil {
		base = &net.Dialer{}
	}
	return base.DialContext(ctx, network, address)
}

// DialMapEnv names the environment variable that sets a PortMap for the
// binary, so tests outside the process can point it at a test bed:
// "127.0.0.5:995=127.0.0.1:40001,127.0.0.5:465=blackhole".
const DialMapEnv = "MAILSETUP_DIAL_MAP"

// ParsePortMap parses the DialMapEnv format.
func ParsePortMap(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		from, to, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("%s: %q is not FROM=TO", DialMapEnv, pair)
		}
		if _, _, err := net.SplitHostPort(from); err != nil {
			return nil, fmt.Errorf("%s: %q: %v", DialMapEnv, from, err)
		}
		if to != Blackhole {
			if _, _, err := net.SplitHostPort(to); err != nil {
				return nil, fmt.Errorf("%s: %q: %v", DialMapEnv, to, err)
			}
		}
		m[from] = to
	}
	return m, nil
}

// DialerFromEnv wraps base in a PortMap when DialMapEnv is set.
func DialerFromEnv(base ContextDialer) (ContextDialer, error) {
	s := os.Getenv(DialMapEnv)
	if s == "" {
		return base, nil
	}
	m, err := ParsePortMap(s)
	if err != nil {
		return nil, err
	}
	return &PortMap{Base: base, Map: m}, nil
}
