package perf

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// Link is the injected latency for one round of measurements: a DNS proxy
// and a dialer with the same RTT in front of the bed.
type Link struct {
	RTT    time.Duration
	DNS    *DNSProxy
	Dialer *Dialer
}

// NewLink starts a DNS proxy of the given RTT in front of the bed's DNS
// server and a dialer of the same RTT over the bed's dialer.
func (e *Env) NewLink(rtt time.Duration) (*Link, error) {
	p, err := StartDNSProxy(e.Bed.DNSAddr, rtt)
	if err != nil {
		return nil, err
	}
	return &Link{RTT: rtt, DNS: p, Dialer: &Dialer{Base: e.Bed.Dialer(), RTT: rtt}}, nil
}

// Close stops the DNS proxy.
func (l *Link) Close() { l.DNS.Close() }

// Engine is a fresh engine across the link: nothing cached from earlier runs.
func (e *Env) Engine(l *Link, onEvent func(assistant.Event)) (*assistant.Engine, error) {
	return e.engine(l, "", onEvent)
}

// engine is Engine for a user who chose incoming protocol p, as with
// `check --protocol` ("" for the engine's default).
func (e *Env) engine(l *Link, p mailcfg.Protocol, onEvent func(assistant.Event)) (*assistant.Engine, error) {
	return assistant.New(assistant.Options{
		Protocol:       p,
		ProtocolChosen: p != "",
		DNS:            l.DNS.Addr,
		Dialer:         l.Dialer,
		CAFile:         e.Bed.CAFile,
		ISPDBURL:       e.Scenarios.ISPDBURL,
		Timeout:        30 * time.Second,
		OnEvent:        onEvent,
	})
}

// Run is one timed run: how long it took and whether it got the right answer.
type Run struct {
	Took  time.Duration
	Wrong string // why the outcome is not the expected one; "" when right
	// Dials and Queries are the connections dialled and the DNS queries
	// sent across the link during the run.
	Dials, Queries int64
}

// Discover runs one discover of c with a fresh engine.
func (e *Env) Discover(ctx context.Context, l *Link, c Case) (Run, error) {
	return e.Run(ctx, l, c, ModeDiscover)
}

// Run runs c once in mode m with a fresh engine: a discover, or in the
// login modes a discover that logs in on each role's server as it
// settles (Engine.DiscoverAndCheck, as `mailsetup check` does), with the
// bed user's password or, for ModeRejected, a wrong one. The time runs
// from the call until both logins are decided.
func (e *Env) Run(ctx context.Context, l *Link, c Case, m Mode) (Run, error) {
	eng, err := e.engine(l, c.Protocol, nil)
	if err != nil {
		return Run{}, err
	}
	dials, queries := l.Dialer.Dials(), l.DNS.Queries()
	start := time.Now()
	var rep *assistant.Report
	if m == ModeDiscover {
		rep, err = eng.Discover(ctx, c.Email)
	} else {
		rep, err = eng.DiscoverAndCheck(ctx, c.Email, assistant.LoginRequest{Password: passwordFor(c, m)})
	}
	took := time.Since(start)
	if err != nil {
		return Run{}, err
	}
	run := Run{Took: took, Wrong: check(c, rep), Dials: l.Dialer.Dials() - dials, Queries: l.DNS.Queries() - queries}
	if run.Wrong == "" && m != ModeDiscover {
		run.Wrong = checkLogin(rep.Login, m)
	}
	return run, nil
}

// check says how rep's recommendation differs from c's, or "".
func check(c Case, rep *assistant.Report) string {
	same := func(got *mailcfg.Server, want mailcfg.Server) bool {
		return got != nil && got.Protocol == want.Protocol && got.Host == want.Host &&
			got.Port == want.Port && got.Security == want.Security
	}
	if !same(rep.Recommended.Incoming, c.Incoming) {
		return fmt.Sprintf("incoming %v, want %v", rep.Recommended.Incoming, c.Incoming)
	}
	if !same(rep.Recommended.Outgoing, c.Outgoing) {
		return fmt.Sprintf("outgoing %v, want %v", rep.Recommended.Outgoing, c.Outgoing)
	}
	return ""
}

// passwordFor is the password a run of mode m types.
func passwordFor(c Case, m Mode) string {
	if m == ModeRejected {
		return "not-" + c.Password
	}
	return c.Password
}

// checkLogin says what is wrong with the logins of a run of mode m, or "".
func checkLogin(l *assistant.LoginReport, m Mode) string {
	if l == nil || l.Incoming == nil || l.Outgoing == nil {
		return "no login outcome"
	}
	for _, o := range []struct {
		role string
		out  *assistant.LoginOutcome
	}{{"incoming", l.Incoming}, {"outgoing", l.Outgoing}} {
		switch {
		case m == ModeLogin && !o.out.OK:
			return fmt.Sprintf("%s login failed: %s", o.role, o.out.Error)
		case m == ModeRejected && !o.out.AuthFailed:
			return fmt.Sprintf("%s login not rejected for the password (ok=%v): %s", o.role, o.out.OK, o.out.Error)
		}
	}
	return ""
}

// Result sums up the runs of one case at one RTT in one mode.
type Result struct {
	Case     string           `json:"case"`
	Mode     Mode             `json:"mode,omitempty"`     // "" in older files: discover
	Protocol mailcfg.Protocol `json:"protocol,omitempty"` // incoming protocol preferred (login modes)
	Slow     bool             `json:"slow,omitempty"`
	RTT      time.Duration    `json:"rtt"`
	Runs     int              `json:"runs"`
	Wrong    int              `json:"wrong,omitempty"`     // runs with an unexpected outcome
	WrongWhy string           `json:"wrong_why,omitempty"` // the first such
	P50      time.Duration    `json:"p50"`
	P95      time.Duration    `json:"p95"`
	Floor    time.Duration    `json:"floor"`
	FloorRTT float64          `json:"floor_rtt"`
	Critical string           `json:"critical"` // the critical path
	// Dials and Queries are the medians, over the runs, of the
	// connections dialled and the DNS queries sent.
	Dials   int64 `json:"dials"`
	Queries int64 `json:"dns_queries"`
}

// ModeOrDiscover is the result's mode; results written before there were
// modes are discovers.
func (r Result) ModeOrDiscover() Mode {
	if r.Mode == "" {
		return ModeDiscover
	}
	return r.Mode
}

// Ratio50 is p50 over the floor; NaN when the floor is zero.
func (r Result) Ratio50() float64 { return ratio(r.P50, r.Floor) }

// Ratio95 is p95 over the floor; NaN when the floor is zero.
func (r Result) Ratio95() float64 { return ratio(r.P95, r.Floor) }

func ratio(t, floor time.Duration) float64 {
	if floor <= 0 {
		return math.NaN()
	}
	return float64(t) / float64(floor)
}

// Target is the p50 ratio an issue asks for at a non-zero RTT: for a
// recommendation 1.3 (2 where better-ranked ports are blackholed or
// tarpitted), for a verified login 1.15 (1.5). A rejected password has
// none: NaN.
func (r Result) Target() float64 {
	switch r.ModeOrDiscover() {
	case ModeLogin:
		if r.Slow {
			return 1.5
		}
		return 1.15
	case ModeRejected:
		return math.NaN()
	}
	if r.Slow {
		return 2.0
	}
	return 1.3
}

// Measure runs c's discover n times over l (MeasureMode).
func (e *Env) Measure(ctx context.Context, l *Link, c Case, n int) (Result, error) {
	return e.MeasureMode(ctx, l, c, ModeDiscover, n)
}

// MeasureMode runs c in mode m n times over l, one run at a time, after
// one warm-up run that is not counted (it pays for dovecot's first login
// processes).
func (e *Env) MeasureMode(ctx context.Context, l *Link, c Case, m Mode, n int) (Result, error) {
	floor := c.FloorOf(m)
	res := Result{Case: c.Name, Mode: m, Protocol: c.Protocol, Slow: c.Slow, RTT: l.RTT, Runs: n, Floor: floor.At(l.RTT),
		FloorRTT: floor.RTTs(), Critical: floor.Critical().String()}
	if _, err := e.Run(ctx, l, c, m); err != nil {
		return res, err
	}
	took := make([]time.Duration, 0, n)
	var dials, queries []int64
	for i := 0; i < n; i++ {
		run, err := e.Run(ctx, l, c, m)
		if err != nil {
			return res, err
		}
		if run.Wrong != "" {
			if res.Wrong == 0 {
				res.WrongWhy = run.Wrong
			}
			res.Wrong++
		}
		took = append(took, run.Took)
		dials, queries = append(dials, run.Dials), append(queries, run.Queries)
	}
	res.P50, res.P95 = Percentile(took, 50), Percentile(took, 95)
	res.Dials, res.Queries = median(dials), median(queries)
	return res, nil
}

func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// Percentile is the nearest-rank percentile p (0-100] of samples.
func Percentile(samples []time.Duration, p float64) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = min(max(rank, 1), len(s))
	return s[rank-1]
}
