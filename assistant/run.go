package assistant

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"mailsetup/discover"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/probe"
	"mailsetup/providers"
)

// Discover finds and probes the settings for an address. It returns as
// soon as the best server of each role is settled (see the package doc);
// the error is non-nil only for a malformed address (a
// *mailcfg.AddressError).
func (e *Engine) Discover(ctx context.Context, email string) (*Report, error) {
	addr, err := mailcfg.ParseAddress(email)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	// A DNS server found dead by an earlier discovery gets another chance.
	e.resolver.ResetHealth()
	r := newRun(e, addr)
	r.execute(ctx)
	return r.report(ctx), nil
}

// run is the state of one discovery.
type run struct {
	e     *Engine
	addr  mailcfg.Address
	start time.Time
	wake  chan struct{} // poked whenever something changed

	mu       sync.Mutex
	cands    []*Candidate
	byKey    map[string]*Candidate
	queue    []*Candidate        // named, not yet probing
	probing  map[*Candidate]bool // probing now
	sources  []*Source           // in discover.Sources order
	running  map[discover.SourceName]bool
	settled  map[mailcfg.Role]bool      // the recommendation for the role is final
	usableAt map[mailcfg.Role]time.Time // when the role first had a usable candidate
	progress map[*Candidate]*progress   // where each started probe stands
	pace     pace                       // round-trip times seen so far
	provider *providers.Provider
	early    *earlyLogin // logins as roles settle (DiscoverAndCheck); nil for Discover
	// deferredUntil is when the other protocol's deferred probes should be
	// reconsidered (a chosen-protocol probe stalls then); zero for none.
	deferredUntil time.Time

	wg sync.WaitGroup
}

func newRun(e *Engine, addr mailcfg.Address) *run {
	return &run{
		e: e, addr: addr, start: time.Now(), wake: make(chan struct{}, 1),
		byKey: map[string]*Candidate{}, probing: map[*Candidate]bool{},
		running: map[discover.SourceName]bool{}, settled: map[mailcfg.Role]bool{}, usableAt: map[mailcfg.Role]time.Time{},
		progress: map[*Candidate]*progress{},
	}
}

func (r *run) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *run) emit(ev Event) {
	ev.Time = time.Since(r.start)
	r.e.emit(ev)
}

func (r *run) env() discover.Env {
	return discover.Env{Resolver: r.e.resolver, HTTP: r.e.http, ISPDBURL: r.e.opts.ISPDBURL, Offline: r.e.opts.Offline,
		AutoconfigHTTPFallback: true}
}

// execute runs sources and probes until both roles are settled or ctx ends.
func (r *run) execute(ctx context.Context) {
	work, stop := context.WithCancel(ctx)
	defer func() {
		stop()
		r.wg.Wait() // every probe and source honours its context: this is quick
	}()

	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		p, _ := discover.FindProvider(work, r.env(), r.addr)
		r.mu.Lock()
		if p != nil || r.provider == nil { // the table or MX beats what a source recognised
			r.provider = p
		}
		r.mu.Unlock()
	}()

	for _, src := range discover.Sources(r.env()) {
		s := &Source{Name: src.Name()}
		r.mu.Lock()
		r.sources = append(r.sources, s)
		r.running[s.Name] = true
		r.mu.Unlock()
		r.wg.Add(1)
		go r.runSource(work, src, s)
	}

	for {
		r.schedule(work)
		wait, done := r.evaluate(time.Now())
		if done {
			r.abandonPending()
			return
		}
		timer := time.NewTimer(wait)
		select {
		case <-r.wake:
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			r.abandonPending()
			return
		}
		timer.Stop()
	}
}

func (r *run) runSource(ctx context.Context, src discover.Source, s *Source) {
	defer r.wg.Done()
	r.emit(Event{Kind: SourceStarted, Source: s.Name})
	began := time.Now()
	err := src.Find(ctx, r.addr, func(c discover.Candidate) { r.add(s, c) })
	r.mu.Lock()
	s.Done = true
	s.ElapsedMS = time.Since(began).Milliseconds()
	if err != nil && !errors.Is(err, context.Canceled) {
		s.Error = err.Error()
	}
	delete(r.running, s.Name)
	r.mu.Unlock()
	r.emit(Event{Kind: SourceFinished, Source: s.Name, Error: s.Error})
	r.poke()
}

// add records a candidate named by a source; a server already known gains
// one more source instead of a second probe.
func (r *run) add(s *Source, dc discover.Candidate) {
	if dc.Server.Validate() != nil {
		return
	}
	key := dc.Server.Key()
	r.mu.Lock()
	s.Candidates++
	if dc.ProviderID != "" && r.provider == nil {
		r.provider = providers.ByID(dc.ProviderID) // e.g. Exchange Online, recognised by Autodiscover
	}
	c, known := r.byKey[key]
	if known {
		if !containsSource(c.Sources, dc.Source) {
			c.Sources = append(c.Sources, dc.Source)
			sort.SliceStable(c.Sources, func(i, j int) bool { return discover.Trust(c.Sources[i]) > discover.Trust(c.Sources[j]) })
		}
		if dc.Trusted && !c.Trusted {
			c.Trusted, c.Why, c.WhyReason = true, "", l10n.Message{}
		}
		c.addRoute(dc.Route)
	} else {
		c = &Candidate{Role: dc.Server.Role(), Protocol: dc.Server.Protocol, Host: dc.Server.Host, Port: dc.Server.Port,
			Security: dc.Server.Security, Username: dc.Server.Username, Sources: []discover.SourceName{dc.Source},
			Status: mailcfg.StatusPending, Trusted: dc.Trusted, Why: dc.Why.String(), WhyReason: dc.Why, Capabilities: []string{}, AuthMechanisms: []string{}}
		if c.Username == "" {
			c.Username = r.addr.ASCIIString()
		}
		c.addRoute(dc.Route)
		r.cands = append(r.cands, c)
		r.byKey[key] = c
		if !r.settled[c.Role] {
			r.queue = append(r.queue, c)
		} else {
			c.Status = mailcfg.StatusAbandoned
		}
	}
	snapshot := *c
	r.mu.Unlock()
	r.emit(Event{Kind: CandidateAdded, Source: dc.Source, Candidate: &snapshot})
	r.poke()
}

// addRoute records how a source reached the candidate, once.
func (c *Candidate) addRoute(rt *discover.Route) {
	if rt == nil {
		return
	}
	for _, have := range c.Routes {
		if have.Equal(*rt) {
			return
		}
	}
	c.Routes = append(c.Routes, *rt)
}

func containsSource(list []discover.SourceName, s discover.SourceName) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *run) probe(ctx context.Context, c *Candidate, srv mailcfg.Server) {
	defer r.wg.Done()
	opts := probe.Options{
		Resolver: r.e.resolver, Dialer: r.e.dialer, RootCAs: r.e.roots, Trusted: r.e.opts.Trust,
		Timeout: r.e.opts.ProbeTimeout, Transcript: r.e.opts.Transcript,
		SessionCache: r.e.sessions,
		OnPhase: func(p probe.Phase) {
			r.notePhase(c, p, time.Now())
			r.emit(Event{Kind: ProbePhase, Candidate: &Candidate{Role: srv.Role(), Protocol: srv.Protocol, Host: srv.Host,
				Port: srv.Port, Security: srv.Security}, Phase: string(p)})
		},
	}
	var res probe.Result
	var conn *probe.Conn
	if r.early != nil {
		res, conn = probe.Open(ctx, srv, opts, keepIdle)
	} else {
		res = probe.Probe(ctx, srv, opts)
	}
	r.mu.Lock()
	delete(r.probing, c)
	if c.Status == mailcfg.StatusAbandoned {
		r.mu.Unlock()
		if conn != nil {
			conn.Close()
		}
		return // the answer went out without it
	}
	c.applyResult(&res)
	var drop []*probe.Conn
	if r.early != nil {
		drop = r.keepLocked(c, conn)
	}
	snapshot := *c
	r.mu.Unlock()
	for _, d := range drop {
		d.Close()
	}
	r.emit(Event{Kind: ProbeFinished, Candidate: &snapshot, Error: res.Error})
	r.poke()
}

// abandonPending marks what is still queued or probing as abandoned.
func (r *run) abandonPending() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.cands {
		if c.Status == mailcfg.StatusPending {
			c.Status = mailcfg.StatusAbandoned
			c.Reason = l10n.M("status.abandoned.why")
			c.Error = c.Reason.String()
		}
	}
	r.queue = nil
}

// evaluate settles the roles it can and says how long to wait before
// looking again (a grace deadline) and whether the run is over.
func (r *run) evaluate(now time.Time) (wait time.Duration, done bool) {
	r.mu.Lock()
	wait = time.Hour
	if at := r.deferredUntil; at.After(now) {
		wait = at.Sub(now)
	}
	allDone := true
	var settledNow []mailcfg.Role
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		if r.settled[role] {
			continue
		}
		best := r.bestLocked(role)
		if best == nil {
			if r.pendingLocked(role) || len(r.running) > 0 {
				allDone = false
				continue
			}
		} else if until := r.waitLocked(role, best, now); now.Before(until) {
			allDone = false
			wait = min(wait, until.Sub(now))
			continue
		}
		r.settled[role] = true
		settledNow = append(settledNow, role)
	}
	r.mu.Unlock()
	for _, role := range settledNow {
		r.emit(Event{Kind: RoleSettled, Phase: string(role), Role: role})
		if r.early != nil {
			r.loginEarly(role)
		}
	}
	return wait, allDone
}

func (r *run) bestLocked(role mailcfg.Role) *Candidate {
	var best *Candidate
	for _, c := range r.cands {
		if c.Role != role || !c.Status.Usable() {
			continue
		}
		if best == nil || r.key(c, false).better(r.key(best, false)) {
			best = c
		}
	}
	return best
}

func (r *run) pendingLocked(role mailcfg.Role) bool {
	for _, c := range r.cands {
		if c.Role == role && c.Status == mailcfg.StatusPending {
			return true
		}
	}
	return false
}

// beats is better() without the latency tie-break: a pending candidate of
// the same class as best cannot improve the answer enough to wait for.
func (a rankKey) beats(b rankKey) bool {
	if a.usable != b.usable {
		return a.usable > b.usable
	}
	return a.outranksIgnoringLatency(b)
}

func (r *run) elapsed() time.Duration { return time.Since(r.start) }
