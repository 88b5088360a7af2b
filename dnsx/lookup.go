package dnsx

import (
	"cmp"
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// SRV is one service location (RFC 2782).
type SRV struct {
	Target   string // host name, lower case, no final dot
	Port     uint16
	Priority uint16
	Weight   uint16
}

// LookupSRV returns the _service._proto.name records (service "imaps",
// proto "tcp"), lowest priority first; within a priority, higher weight
// first, then by target and port, so the order is deterministic. An empty
// service and proto look name up as it is. A lone "." target means the
// domain does not offer the service: the result is empty and the error
// matches ErrServiceNotOffered.
func (r *Resolver) LookupSRV(ctx context.Context, service, proto, name string) ([]SRV, error) {
	qname := name
	if service != "" || proto != "" {
		qname = "_" + service + "._" + proto + "." + name
	}
	ans, err := r.query(ctx, qname, dns.TypeSRV)
	if err != nil {
		return nil, err
	}
	var out []SRV
	dots := 0
	for _, rr := range ans.Records {
		s, ok := rr.(*dns.SRV)
		if !ok {
			continue
		}
		target := hostName(s.Target)
		if target == "" {
			dots++
			continue
		}
		out = append(out, SRV{Target: target, Port: s.Port, Priority: s.Priority, Weight: s.Weight})
	}
	if len(out) == 0 && dots > 0 {
		return nil, &Error{Name: strings.TrimSuffix(strings.ToLower(qname), "."), Qtype: "SRV", Server: ans.Server, Kind: ServiceNotOffered}
	}
	slices.SortFunc(out, func(a, b SRV) int {
		return cmp.Or(
			cmp.Compare(a.Priority, b.Priority),
			cmp.Compare(b.Weight, a.Weight),
			cmp.Compare(a.Target, b.Target),
			cmp.Compare(a.Port, b.Port),
		)
	})
	return out, nil
}

// MX is one mail exchanger.
type MX struct {
	Host string // lower case, no final dot
	Pref uint16
}

// LookupMX returns name's mail exchangers, lowest preference first (then
// by host). A null MX (RFC 7505, host ".") yields an empty result and an
// error matching ErrServiceNotOffered.
func (r *Resolver) LookupMX(ctx context.Context, name string) ([]MX, error) {
	ans, err := r.query(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	var out []MX
	null := false
	for _, rr := range ans.Records {
		m, ok := rr.(*dns.MX)
		if !ok {
			continue
		}
		host := hostName(m.Mx)
		if host == "" {
			null = true
			continue
		}
		out = append(out, MX{Host: host, Pref: m.Preference})
	}
	if len(out) == 0 && null {
		return nil, &Error{Name: strings.TrimSuffix(strings.ToLower(name), "."), Qtype: "MX", Server: ans.Server, Kind: ServiceNotOffered}
	}
	slices.SortFunc(out, func(a, b MX) int {
		return cmp.Or(cmp.Compare(a.Pref, b.Pref), cmp.Compare(a.Host, b.Host))
	})
	return out, nil
}

// hostName normalises a target: lower case, no final dot; "" for the root.
func hostName(s string) string {
	return strings.TrimSuffix(strings.ToLower(s), ".")
}

// LookupHost returns name's addresses, IPv6 first, then IPv4, each in the
// server's order. A and AAAA are asked in parallel; the lookup fails only
// when neither yields an address. An IP literal (brackets allowed) is
// returned as it is; "localhost" and names under it are the loopback
// addresses (RFC 6761) without asking anyone.
func (r *Resolver) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil {
		return []netip.Addr{ip}, nil
	}
	if n := hostName(name); n == "localhost" || strings.HasSuffix(n, ".localhost") {
		return []netip.Addr{netip.IPv6Loopback(), netip.AddrFrom4([4]byte{127, 0, 0, 1})}, nil
	}

	// Answers already cached need no goroutines.
	v6, err6 := r.lookupAddrs(ctx, name, dns.TypeAAAA, true)
	v4, err4 := r.lookupAddrs(ctx, name, dns.TypeA, true)
	var wg sync.WaitGroup
	if err6 == errNotCached {
		wg.Go(func() { v6, err6 = r.lookupAddrs(ctx, name, dns.TypeAAAA, false) })
	}
	if err4 == errNotCached {
		wg.Go(func() { v4, err4 = r.lookupAddrs(ctx, name, dns.TypeA, false) })
	}
	wg.Wait()

	addrs := append(v6, v4...)
	if len(addrs) > 0 {
		return addrs, nil
	}
	return nil, pickHostError(err4, err6)
}

// pickHostError chooses the more telling of the A and AAAA failures: a
// name that does not exist says it all; a real failure (timeout, SERVFAIL)
// explains more than one family having no records.
func pickHostError(err4, err6 error) error {
	switch {
	case errors.Is(err4, ErrNXDomain):
		return err4
	case errors.Is(err6, ErrNXDomain):
		return err6
	case err4 != nil && !IsNotFound(err4):
		return err4
	case err6 != nil && !IsNotFound(err6):
		return err6
	case err4 != nil:
		var e *Error
		if errors.As(err4, &e) && e.Kind == NoData {
			c := *e
			c.Qtype = "A or AAAA"
			return &c
		}
		return err4
	}
	return err6
}

func (r *Resolver) lookupAddrs(ctx context.Context, name string, qtype uint16, cacheOnly bool) ([]netip.Addr, error) {
	ans, err := r.follow(ctx, name, qtype, cacheOnly)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, rr := range ans.Records {
		var ip netip.Addr
		var ok bool
		switch rr := rr.(type) {
		case *dns.A:
			ip, ok = netip.AddrFromSlice(rr.A.To4())
		case *dns.AAAA:
			ip, ok = netip.AddrFromSlice(rr.AAAA.To16())
		}
		if ok && !slices.Contains(out, ip) {
			out = append(out, ip)
		}
	}
	if len(out) == 0 {
		return nil, &Error{Name: hostName(name), Qtype: qtypeName(qtype), Server: ans.Server, Kind: NoData}
	}
	return out, nil
}
