package dnsx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/idna"
)

// MaxCNAMEHops bounds how many CNAME records a lookup follows.
const MaxCNAMEHops = 8

// Answer is the outcome of Query: the server's final message and what was
// learnt on the way to it.
type Answer struct {
	// Msg is the response holding the records (the last one when a CNAME
	// chain needed several questions).
	Msg *dns.Msg
	// Server is the server that sent Msg, "IP:PORT".
	Server string
	// RTT is the time Msg took to arrive, TCP retry included; for a cached
	// answer it is the time it took originally.
	RTT time.Duration
	// AD is true when every response on the way had the Authenticated Data
	// bit set: the resolver validated them with DNSSEC. Only meaningful
	// when the path to the resolver is trusted.
	AD bool
	// CNAMEs are the aliases followed, in order (lower case, no final dot).
	CNAMEs []string
	// Truncated says the UDP answer was truncated; UsedTCP that Msg came
	// over TCP as a result.
	Truncated, UsedTCP bool
	// Name is the canonical name: the end of the CNAME chain (lower case,
	// no final dot).
	Name string
	// Records are the records of the asked type owned by Name.
	Records []dns.RR
	// Cached says the answer came from the cache.
	Cached bool
}

// Query asks for name's records of type qtype, following CNAME chains. It
// returns an *Error when no records were found (Kind NXDomain or NoData)
// or the lookup failed; for NXDOMAIN and no data the Answer is returned
// too, for its Msg. The Answer is the caller's to modify.
func (r *Resolver) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	a, err := r.query(ctx, name, qtype)
	if a != nil {
		a = a.clone()
	}
	return a, err
}

func (a *Answer) clone() *Answer {
	c := *a
	c.Msg = a.Msg.Copy()
	c.CNAMEs = append([]string(nil), a.CNAMEs...)
	c.Records = make([]dns.RR, len(a.Records))
	for i, rr := range a.Records {
		c.Records[i] = dns.Copy(rr)
	}
	return &c
}

// query is Query without the copy: its Msg and Records may be shared with
// the cache and must not be modified.
func (r *Resolver) query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	return r.follow(ctx, name, qtype, false)
}

// errNotCached ends a cache-only query that would need the network.
var errNotCached = errors.New("not in the cache")

// follow is query; with cacheOnly it fails with errNotCached rather than
// send anything.
func (r *Resolver) follow(ctx context.Context, name string, qtype uint16, cacheOnly bool) (*Answer, error) {
	qt := qtypeName(qtype)
	cur, err := canonicalName(name)
	if err != nil {
		return nil, &Error{Name: name, Qtype: qt, Kind: BadName, Err: err}
	}
	display := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	seen := map[string]bool{cur: true}
	ans := &Answer{AD: true}
	for {
		key := cacheKey{cur, qtype}
		var resp *response
		var cached bool
		if cacheOnly {
			resp, cached = r.cache.get(key, r.now())
			if !cached {
				return nil, errNotCached
			}
			r.cacheHits.Add(1)
		} else {
			resp, cached, err = r.lookup(ctx, key)
		}
		if err != nil {
			var de *Error
			if errors.As(err, &de) {
				e := *de
				e.Name, e.Qtype = display, qt
				return nil, &e
			}
			return nil, err
		}
		ans.Msg, ans.Server, ans.RTT = resp.msg, resp.server, resp.rtt
		ans.Truncated, ans.UsedTCP, ans.Cached = resp.truncated, resp.usedTCP, cached
		ans.AD = ans.AD && resp.msg.AuthenticatedData

		final, records, err := walkChain(resp.msg, cur, qtype, seen, &ans.CNAMEs)
		ans.Name = strings.TrimSuffix(final, ".")
		if err != nil {
			return nil, &Error{Name: display, Qtype: qt, Kind: CNAMELoop, Server: resp.server, Err: err}
		}
		if len(records) > 0 {
			ans.Records = records
			return ans, nil
		}
		if resp.msg.Rcode == dns.RcodeNameError {
			return ans, &Error{Name: display, Qtype: qt, Kind: NXDomain, Server: resp.server, Rcode: dns.RcodeNameError}
		}
		if final == cur {
			return ans, &Error{Name: display, Qtype: qt, Kind: NoData, Server: resp.server}
		}
		// The server gave the alias but not its target's records (an
		// authoritative server outside the target's zone does): ask for
		// the target.
		cur = final
	}
}

// walkChain follows the CNAMEs in msg from name and returns where the chain
// ends and the qtype records found there. seen holds the names already
// visited across messages; chain collects the aliases followed.
func walkChain(msg *dns.Msg, name string, qtype uint16, seen map[string]bool, chain *[]string) (string, []dns.RR, error) {
	cur := name
	for {
		var records []dns.RR
		var target string
		for _, rr := range msg.Answer {
			h := rr.Header()
			if h.Class != dns.ClassINET || !strings.EqualFold(h.Name, cur) {
				continue
			}
			if h.Rrtype == qtype {
				records = append(records, rr)
			} else if c, ok := rr.(*dns.CNAME); ok && target == "" {
				target = strings.ToLower(dns.Fqdn(c.Target))
			}
		}
		if len(records) > 0 || target == "" || qtype == dns.TypeCNAME || qtype == dns.TypeANY {
			return cur, records, nil
		}
		*chain = append(*chain, strings.TrimSuffix(target, "."))
		if seen[target] {
			return cur, nil, fmt.Errorf("%s", strings.Join(append([]string{strings.TrimSuffix(name, ".")}, *chain...), " → "))
		}
		if len(*chain) > MaxCNAMEHops {
			return cur, nil, fmt.Errorf("more than %d aliases", MaxCNAMEHops)
		}
		seen[target] = true
		cur = target
	}
}

// canonicalName returns name as a lower-case FQDN, internationalised
// names in their xn-- form, or an error when it is not a domain name.
func canonicalName(name string) (string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || name == "." {
		return "", errors.New("empty name")
	}
	if !isASCII(name) {
		ascii, err := idna.Lookup.ToASCII(strings.TrimSuffix(name, "."))
		if err != nil {
			return "", err
		}
		name = ascii
	}
	if _, ok := dns.IsDomainName(name); !ok {
		return "", errors.New("an empty label, or a label or the name too long")
	}
	return dns.Fqdn(name), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
