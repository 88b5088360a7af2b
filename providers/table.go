package providers

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"mailsetup/mailcfg"
)

// builtinData is the curated table. It is parsed on first use; a test loads
// it with Load, so a broken file fails the build's tests, not a user's run.
//
//go:embed providers.json
var builtinData []byte

var (
	builtinOnce  sync.Once
	builtinTable *table
)

func builtin() *table {
	builtinOnce.Do(func() {
		t, err := newTable(builtinData)
		if err != nil {
			panic(fmt.Sprintf("embedded providers.json is invalid: %v", err))
		}
		builtinTable = t
	})
	return builtinTable
}

// All returns every provider in table order. The Providers are shared:
// callers must not modify them.
func All() []*Provider { return append([]*Provider(nil), builtin().all...) }

// ByID returns the provider with the given ID, or nil.
func ByID(id string) *Provider { return builtin().byID[id] }

// ByDomain returns the provider serving exactly this domain, or nil. Case,
// surrounding spaces and a trailing dot are ignored; a Unicode domain is
// converted to punycode first.
func ByDomain(domain string) *Provider { return builtin().byDomain[normalizeHost(domain)] }

// ByMX returns the provider whose MX pattern matches host most specifically,
// or nil: an exact pattern beats any wildcard, and a wildcard with a longer
// suffix beats a shorter one.
func ByMX(host string) *Provider { return builtin().lookupMX(host) }

// StaleByHost reports whether some provider names host as stale, and why.
func StaleByHost(host string) (*Provider, StaleHost, bool) { return builtin().lookupStale(host) }

// table is a validated provider list with its lookup indexes.
type table struct {
	all      []*Provider
	byID     map[string]*Provider
	byDomain map[string]*Provider
	mxExact  map[string]*Provider
	mxSuffix map[string]*Provider // "*.a.b" is stored as "a.b"
	stale    map[string]staleEntry

	issuers    map[string]*OAuthIssuer
	issuerList []*OAuthIssuer
}

type staleEntry struct {
	provider *Provider
	host     StaleHost
}

// newTable decodes, validates and indexes data; cross-entry rules
// (duplicate IDs, domains, MX patterns, stale hosts) are checked here.
func newTable(data []byte) (*table, error) {
	f, err := decode(data)
	if err != nil {
		return nil, err
	}
	t := &table{
		byID:     make(map[string]*Provider),
		byDomain: make(map[string]*Provider),
		mxExact:  make(map[string]*Provider),
		mxSuffix: make(map[string]*Provider),
		stale:    make(map[string]staleEntry),
	}
	c := &checker{}
	t.issuers = make(map[string]*OAuthIssuer)
	for i, o := range f.OAuthIssuers {
		c.entry = fmt.Sprintf("oauth_issuers#%d", i+1)
		if o == nil {
			c.add("", "null issuer")
			continue
		}
		if validID(o.ID) {
			c.entry = "oauth_issuers:" + o.ID
		}
		c.checkIssuer(o)
		if _, dup := t.issuers[o.ID]; dup {
			c.add("id", "duplicate issuer")
			continue
		}
		t.issuers[o.ID] = o
		t.issuerList = append(t.issuerList, o)
	}
	liveHosts := make(map[string]string) // host → provider ID
	for i, p := range f.Providers {
		c.entry = fmt.Sprintf("#%d", i+1)
		if p == nil {
			c.add("", "null entry")
			continue
		}
		if validID(p.ID) {
			c.entry = p.ID
		}
		c.checkProvider(p)
		c.checkSignIn(p, t.issuers)
		if prev, dup := t.byID[p.ID]; dup {
			c.add("id", "duplicate of entry %s", prev.ID)
		} else {
			t.byID[p.ID] = p
		}
		for i, d := range p.Domains {
			if prev, dup := t.byDomain[d]; dup {
				c.add(fmt.Sprintf("domains[%d]", i), "%q is already served by %s", d, prev.ID)
				continue
			}
			t.byDomain[d] = p
		}
		for i, m := range p.MX {
			index, key := t.mxExact, m
			if suffix, ok := strings.CutPrefix(m, "*."); ok {
				index, key = t.mxSuffix, suffix
			}
			if prev, dup := index[key]; dup {
				c.add(fmt.Sprintf("mx[%d]", i), "pattern %q already belongs to %s", m, prev.ID)
				continue
			}
			index[key] = p
		}
		for _, list := range [][]Server{p.Incoming, p.Outgoing} {
			for _, s := range list {
				liveHosts[s.Host] = p.ID
			}
		}
		for i, s := range p.Stale {
			if prev, dup := t.stale[s.Host]; dup {
				c.add(fmt.Sprintf("stale[%d]", i), "%q is already listed by %s", s.Host, prev.provider.ID)
				continue
			}
			t.stale[s.Host] = staleEntry{provider: p, host: s}
		}
		t.all = append(t.all, p)
	}
	// A host cannot be both recommended and called stale.
	for _, p := range t.all {
		c.entry = p.ID
		for i, s := range p.Stale {
			if owner, live := liveHosts[s.Host]; live {
				c.add(fmt.Sprintf("stale[%d]", i), "%q is a live server of %s", s.Host, owner)
			}
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *table) lookupMX(host string) *Provider {
	h := normalizeHost(host)
	if p := t.mxExact[h]; p != nil {
		return p
	}
	// Try the suffixes after each dot, longest first, so the most
	// specific wildcard wins; the host must have a label before the suffix.
	for i := strings.IndexByte(h, '.'); i >= 0; {
		if p := t.mxSuffix[h[i+1:]]; p != nil {
			return p
		}
		next := strings.IndexByte(h[i+1:], '.')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return nil
}

func (t *table) lookupStale(host string) (*Provider, StaleHost, bool) {
	e, ok := t.stale[normalizeHost(host)]
	return e.provider, e.host, ok
}

// normalizeHost brings a domain or host to the table's form: trimmed, lower
// case, no trailing dot, punycode.
func normalizeHost(s string) string {
	s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	if !isASCII(s) {
		// ParseAddress owns the project's IDNA rules; borrow them.
		if a, err := mailcfg.ParseAddress("x@" + s); err == nil {
			return a.ASCII
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
