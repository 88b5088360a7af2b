package testbed

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// recordTTL is short: tests never wait on caches, but resolvers see a sane value.
const recordTTL = 60

// ServfailLabel marks names the DNS server fails on: any name with this
// label (servfail.example.test, x.servfail.test) gets SERVFAIL.
const ServfailLabel = "servfail"

// zoneDB is the DNS server's data. A zone exists once a record is added
// under it; its apex is the last two labels of the owner (or set with
// AddZone). The server answers authoritatively for every zone, and
// NXDOMAIN for names that are neither in a zone nor above a record.
type zoneDB struct {
	mu     sync.RWMutex
	rrs    map[string][]dns.RR // owner (lower-case FQDN) → records
	zones  map[string]bool     // apex FQDNs
	rcodes map[string]int      // name → forced rcode for it and below
}

func newZoneDB() *zoneDB {
	return &zoneDB{rrs: map[string][]dns.RR{}, zones: map[string]bool{}, rcodes: map[string]int{}}
}

func fqdn(name string) string { return dns.Fqdn(strings.ToLower(strings.TrimSpace(name))) }

// apexOf is the default zone apex of an owner name: its last two labels.
func apexOf(owner string) string {
	labels := dns.SplitDomainName(owner)
	if len(labels) <= 2 {
		return owner
	}
	return dns.Fqdn(strings.Join(labels[len(labels)-2:], "."))
}

func (z *zoneDB) add(rr dns.RR) {
	h := rr.Header()
	h.Name = fqdn(h.Name)
	h.Class = dns.ClassINET
	h.Ttl = recordTTL
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.zoneOfLocked(h.Name) == "" {
		z.zones[apexOf(h.Name)] = true
	}
	for _, old := range z.rrs[h.Name] {
		if dns.IsDuplicate(old, rr) {
			return
		}
	}
	z.rrs[h.Name] = append(z.rrs[h.Name], rr)
}

// zoneOfLocked is the longest zone apex that name lies in, or "".
func (z *zoneDB) zoneOfLocked(name string) string {
	for n := name; ; {
		if z.zones[n] {
			return n
		}
		i, end := dns.NextLabel(n, 0)
		if end {
			return ""
		}
		n = n[i:]
	}
}

// forcedRcodeLocked is the rcode set for name or one of its ancestors.
func (z *zoneDB) forcedRcodeLocked(name string) (int, bool) {
	for _, label := range dns.SplitDomainName(name) {
		if label == ServfailLabel {
			return dns.RcodeServerFailure, true
		}
	}
	for n := name; ; {
		if rc, ok := z.rcodes[n]; ok {
			return rc, true
		}
		i, end := dns.NextLabel(n, 0)
		if end {
			return 0, false
		}
		n = n[i:]
	}
}

// existsLocked reports whether name owns records or lies above one (an
// empty non-terminal such as _tcp.example.test answers NODATA, not NXDOMAIN).
func (z *zoneDB) existsLocked(name string) bool {
	if len(z.rrs[name]) > 0 {
		return true
	}
	suffix := "." + name
	for owner := range z.rrs {
		if strings.HasSuffix(owner, suffix) {
			return true
		}
	}
	return false
}

func soa(apex string) dns.RR {
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: apex, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: recordTTL},
		Ns:      "ns." + apex,
		Mbox:    "hostmaster." + apex,
		Serial:  1,
		Refresh: 3600, Retry: 600, Expire: 86400, Minttl: recordTTL,
	}
}

// answer fills m (already SetReply'd) for its question.
func (z *zoneDB) answer(m *dns.Msg) {
	m.Authoritative = true
	if len(m.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		return
	}
	q := m.Question[0]
	name := strings.ToLower(q.Name)
	z.mu.RLock()
	defer z.mu.RUnlock()

	if rc, ok := z.forcedRcodeLocked(name); ok {
		m.Rcode = rc
		return
	}
	apex := z.zoneOfLocked(name)
	if apex == "" {
		m.Authoritative = false
		m.Rcode = dns.RcodeNameError
		return
	}
	if q.Qtype == dns.TypeSOA && name == apex {
		m.Answer = append(m.Answer, soa(apex))
		return
	}
	// Follow CNAMEs inside our data, as a recursive resolver would.
	for hops := 0; hops < 8; hops++ {
		rrs := z.rrs[name]
		var cname *dns.CNAME
		for _, rr := range rrs {
			if c, ok := rr.(*dns.CNAME); ok {
				cname = c
			}
		}
		if cname != nil && q.Qtype != dns.TypeCNAME {
			m.Answer = append(m.Answer, dns.Copy(cname))
			name = strings.ToLower(cname.Target)
			if z.zoneOfLocked(name) == "" {
				return
			}
			continue
		}
		before := len(m.Answer)
		for _, rr := range rrs {
			if q.Qtype == dns.TypeANY || rr.Header().Rrtype == q.Qtype {
				c := dns.Copy(rr)
				c.Header().Name = q.Name // keep the asker's case, as servers do
				if hops > 0 {
					c.Header().Name = name
				}
				m.Answer = append(m.Answer, c)
			}
		}
		if len(m.Answer) == before {
			if !z.existsLocked(name) {
				m.Rcode = dns.RcodeNameError
			}
			if a := z.zoneOfLocked(name); a != "" {
				m.Ns = append(m.Ns, soa(a))
			}
		}
		return
	}
	m.Rcode = dns.RcodeServerFailure // a CNAME loop
}

// AddZone makes the bed authoritative for apex (a name with no records in
// it then answers NXDOMAIN). Adding a record does this for the record's
// last two labels already; AddZone is for deeper apexes.
func (b *Bed) AddZone(apex string) {
	b.zone.mu.Lock()
	b.zone.zones[fqdn(apex)] = true
	b.zone.mu.Unlock()
}

// AddA adds an A record; it panics if ip is not an IPv4 address.
func (b *Bed) AddA(name, ip string) {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		panic(fmt.Sprintf("testbed: AddA(%q, %q): not an IPv4 address", name, ip))
	}
	b.zone.add(&dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA}, A: a.AsSlice()})
}

// AddAAAA adds an AAAA record; it panics if ip is not an IPv6 address.
func (b *Bed) AddAAAA(name, ip string) {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() {
		panic(fmt.Sprintf("testbed: AddAAAA(%q, %q): not an IPv6 address", name, ip))
	}
	b.zone.add(&dns.AAAA{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeAAAA}, AAAA: a.AsSlice()})
}

// AddMX adds an MX record for domain.
func (b *Bed) AddMX(domain, host string, pref int) {
	b.zone.add(&dns.MX{Hdr: dns.RR_Header{Name: domain, Rrtype: dns.TypeMX}, Preference: uint16(pref), Mx: fqdn(host)})
}

// AddSRV adds an SRV record; service is the full owner name, such as
// "_imaps._tcp.example.test", and target "." means "no such service".
func (b *Bed) AddSRV(service, target string, port, prio, weight int) {
	b.zone.add(&dns.SRV{Hdr: dns.RR_Header{Name: service, Rrtype: dns.TypeSRV},
		Priority: uint16(prio), Weight: uint16(weight), Port: uint16(port), Target: fqdn(target)})
}

// AddCNAME adds a CNAME record; the server follows it for other types.
func (b *Bed) AddCNAME(name, target string) {
	b.zone.add(&dns.CNAME{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeCNAME}, Target: fqdn(target)})
}

// AddTXT adds a TXT record holding the given strings.
func (b *Bed) AddTXT(name string, txt ...string) {
	b.zone.add(&dns.TXT{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeTXT}, Txt: txt})
}

// SetRcode makes every query for name, or a name below it, fail with rcode
// (dns.RcodeServerFailure, dns.RcodeRefused, …). dns.RcodeSuccess clears it.
func (b *Bed) SetRcode(name string, rcode int) {
	b.zone.mu.Lock()
	defer b.zone.mu.Unlock()
	if rcode == dns.RcodeSuccess {
		delete(b.zone.rcodes, fqdn(name))
		return
	}
	b.zone.rcodes[fqdn(name)] = rcode
}
