package dnsx

import (
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Cache policy. Positive answers live for their smallest TTL up to
// MaxCacheTTL; NXDOMAIN and no-data answers for the zone's negative TTL
// (RFC 2308) up to NegativeCacheTTL. Failures are never cached.
const (
	MaxCacheTTL      = 5 * time.Minute
	NegativeCacheTTL = 30 * time.Second
	maxCacheEntries  = 4096
)

type cacheKey struct {
	name  string // lower-case FQDN
	qtype uint16
}

type cacheEntry struct {
	resp    *response
	expires time.Time
}

// cache is a small TTL map; at capacity it drops expired entries, then
// arbitrary ones, which is good enough for the few hundred names one
// discovery run touches.
type cache struct {
	mu      sync.Mutex
	entries map[cacheKey]cacheEntry
	max     int
}

func newCache(max int) *cache {
	return &cache{entries: make(map[cacheKey]cacheEntry), max: max}
}

func (c *cache) get(k cacheKey, now time.Time) (*response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	if !now.Before(e.expires) {
		delete(c.entries, k)
		return nil, false
	}
	return e.resp, true
}

func (c *cache) put(k cacheKey, resp *response, now time.Time) {
	ttl := cacheTTL(resp.msg)
	if ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[k] = cacheEntry{resp: resp, expires: now.Add(ttl)}
}

func (c *cache) evict(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	for k := range c.entries {
		if len(c.entries) < c.max {
			return
		}
		delete(c.entries, k)
	}
}

// cacheTTL is how long msg may be reused.
func cacheTTL(msg *dns.Msg) time.Duration {
	if msg.Rcode == dns.RcodeNameError || len(msg.Answer) == 0 {
		ttl := NegativeCacheTTL
		for _, rr := range msg.Ns {
			if soa, ok := rr.(*dns.SOA); ok {
				ttl = min(ttl, seconds(soa.Hdr.Ttl), seconds(soa.Minttl))
			}
		}
		return ttl
	}
	ttl := MaxCacheTTL
	for _, rr := range msg.Answer {
		ttl = min(ttl, seconds(rr.Header().Ttl))
	}
	return ttl
}

func seconds(s uint32) time.Duration { return time.Duration(s) * time.Second }
