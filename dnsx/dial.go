package dnsx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
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
