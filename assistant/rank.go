package assistant

import (
	"sort"

	"mailsetup/discover"
	"mailsetup/mailcfg"
)

// Preference is the incoming protocol the ranking puts first, and whether
// the user chose it (check --protocol, the window's radio button) rather
// than taking the default. A chosen protocol outranks security: the user
// asked for IMAP, so IMAP with STARTTLS beats POP3 over TLS, and the other
// protocol's servers, probed only once the chosen one has nothing usable,
// are never waited for while it has.
type Preference struct {
	Protocol mailcfg.Protocol
	Chosen   bool
}

// rankKey orders candidates per docs/design.md: usable first (ok before
// insecure), then the chosen incoming protocol, then security, then the
// preferred incoming protocol, then the outgoing port (465 > 587 > 25),
// then source trust, then latency.
type rankKey struct {
	usable   int // 2 ok, 1 insecure, 0 unusable
	chosen   int // 1 for the protocol the user chose (Preference.Chosen)
	security int
	protocol int
	port     int
	trust    int
	latency  int64 // ms; lower is better
}

// better reports whether a outranks b.
func (a rankKey) better(b rankKey) bool {
	if a.usable != b.usable {
		return a.usable > b.usable
	}
	return a.outranksIgnoringLatency(b) || (a.sameClass(b) && a.latency < b.latency)
}

// outranksIgnoringLatency compares every field but usability and latency.
func (a rankKey) outranksIgnoringLatency(b rankKey) bool {
	switch {
	case a.chosen != b.chosen:
		return a.chosen > b.chosen
	case a.security != b.security:
		return a.security > b.security
	case a.protocol != b.protocol:
		return a.protocol > b.protocol
	case a.port != b.port:
		return a.port > b.port
	}
	return a.trust > b.trust
}

func (a rankKey) sameClass(b rankKey) bool {
	return a.chosen == b.chosen && a.security == b.security && a.protocol == b.protocol && a.port == b.port && a.trust == b.trust
}

func usability(s mailcfg.Status) int {
	switch s {
	case mailcfg.StatusOK:
		return 2
	case mailcfg.StatusInsecure:
		return 1
	}
	return 0
}

// trustOf is the best trust among a candidate's sources; an untrusted
// candidate (plain HTTP, out-of-domain SRV) ranks below every trusted one.
func trustOf(c *Candidate) int {
	best := 0
	for _, s := range c.Sources {
		if t := discover.Trust(s); t > best {
			best = t
		}
	}
	if !c.Trusted {
		return best - 100
	}
	return best
}

func (r *run) key(c *Candidate, assumeOK bool) rankKey { return keyOf(c, r.e.preference(), assumeOK) }

// preference is the ranking's Preference from the engine's options.
func (e *Engine) preference() Preference {
	return Preference{Protocol: e.opts.Protocol, Chosen: e.opts.ProtocolChosen}
}

// keyOf ranks c for a user of preference pref; assumeOK ranks a pending
// candidate as the best it could turn out to be.
func keyOf(c *Candidate, pref Preference, assumeOK bool) rankKey {
	k := rankKey{security: c.Security.Rank(), port: mailcfg.PortRank(c.Protocol, c.Port), trust: trustOf(c), latency: c.ElapsedMS}
	if c.Protocol == pref.Protocol {
		k.protocol = 1
		if pref.Chosen {
			k.chosen = 1
		}
	}
	if assumeOK {
		// The best a pending candidate could turn out to be.
		k.usable, k.latency = 2, 0
		if c.Security == mailcfg.None {
			k.usable = 1
		}
	} else {
		k.usable = usability(c.Status)
		if c.Status == mailcfg.StatusInsecure {
			k.security = 0 // a STARTTLS port that offers no STARTTLS is plain text
		}
	}
	return k
}

// SortCandidates puts candidates in the order the report lists them:
// incoming before outgoing, then each role best first, as the engine ranks
// them for a user of preference pref. Candidates
// still being probed rank after every settled usable one. The window
// orders its live list with it, so both faces show the engine's order.
func SortCandidates(cands []*Candidate, pref Preference) {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.Role != b.Role {
			return a.Role == mailcfg.Incoming
		}
		return keyOf(a, pref, false).better(keyOf(b, pref, false))
	})
}

// Collapsed tells a guessed host name that turned out not to exist: noise
// that the faces count instead of listing.
func (c *Candidate) Collapsed() bool {
	if c.Status != mailcfg.StatusUnresolved || len(c.Sources) == 0 {
		return false
	}
	for _, s := range c.Sources {
		if s != discover.SourceGuess {
			return false
		}
	}
	return true
}
