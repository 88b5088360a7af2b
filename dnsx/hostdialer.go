package dnsx

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// Dialer connects to "host:port" the project's way: host resolved by the
// Resolver (never the system's), addresses raced as RFC 8305 describes,
// each attempt made through the base ContextDialer. It is itself a
// ContextDialer, for http.Transport.DialContext and the probes.
type Dialer struct {
	resolver *Resolver
	base     ContextDialer
}

// Dialer returns a Dialer resolving with r and connecting through base
// (a plain net.Dialer when nil).
func (r *Resolver) Dialer(base ContextDialer) *Dialer {
	if base == nil {
		base = &net.Dialer{}
	}
	return &Dialer{resolver: r, base: base}
}

// DialContext connects to address ("host:port") over network "tcp",
// "tcp4" or "tcp6".
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	conn, _, err := d.DialAddr(ctx, network, address)
	return conn, err
}

// DialAddr is DialContext that also returns the address that won the race.
func (d *Dialer) DialAddr(ctx context.Context, network, address string) (net.Conn, netip.Addr, error) {
	fail := func(err error) (net.Conn, netip.Addr, error) {
		return nil, netip.Addr{}, fmt.Errorf("dial %s %s: %w", network, address, err)
	}
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return fail(fmt.Errorf("network %q is not supported", network))
	}
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return fail(err)
	}
	port, err := parsePort(network, portStr)
	if err != nil {
		return fail(err)
	}
	addrs, err := d.resolver.LookupHost(ctx, host)
	if err != nil {
		return fail(err)
	}
	addrs = filterFamily(addrs, network)
	if len(addrs) == 0 {
		return fail(fmt.Errorf("%s has no %s address", host, network))
	}
	conn, won, err := Race(ctx, d.base, addrs, port)
	if err != nil {
		return fail(err)
	}
	return conn, won, nil
}

func parsePort(network, s string) (int, error) {
	if n, err := strconv.ParseUint(s, 10, 16); err == nil {
		return int(n), nil
	}
	// Service names come from the local services table, not from DNS.
	return net.LookupPort(network, s)
}

func filterFamily(addrs []netip.Addr, network string) []netip.Addr {
	if network == "tcp" {
		return addrs
	}
	var out []netip.Addr
	for _, a := range addrs {
		is4 := a.Is4() || a.Is4In6()
		if is4 == (network == "tcp4") {
			out = append(out, a)
		}
	}
	return out
}
