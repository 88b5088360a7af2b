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
	return assistant.New(assistant.Options{
		DNS:      l.DNS.Addr,
		Dialer:   l.Dialer,
		CAFile:   e.Bed.CAFile,
		ISPDBURL: e.Scenarios.ISPDBURL,
		Timeout:  30 * time.Second,
		OnEvent:  onEvent,
	})
}

// Run is one discover: how long it took and whether it got the right answer.
type Run struct {
	Took  time.Duration
	Wrong string // why the recommendation is not the expected one; "" when right
}

// Discover runs one discover of c with a fresh engine.
func (e *Env) Discover(ctx context.Context, l *Link, c Case) (Run, error) {
	eng, err := e.Engine(l, nil)
	if err != nil {
		return Run{}, err
	}
	start := time.Now()
	rep, err := eng.Discover(ctx, c.Email)
	took := time.Since(start)
	if err != nil {
		return Run{}, err
	}
	return Run{Took: took, Wrong: check(c, rep)}, nil
}

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

// Result sums up the runs of one case at one RTT.
type Result struct {
	Case     string
	Slow     bool
	RTT      time.Duration
	Runs     int
	Wrong    int    // runs with an unexpected recommendation
	WrongWhy string // the first such
	P50, P95 time.Duration
	Floor    time.Duration
	FloorRTT float64
	Critical string // the critical path
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

// Target is the p50 ratio the issue asks for at a non-zero RTT.
func (r Result) Target() float64 {
	if r.Slow {
		return 2.0
	}
	return 1.3
}

// Measure runs c n times over l, one run at a time, after one warm-up run
// that is not counted (it pays for dovecot's first login processes).
func (e *Env) Measure(ctx context.Context, l *Link, c Case, n int) (Result, error) {
	res := Result{Case: c.Name, Slow: c.Slow, RTT: l.RTT, Runs: n, Floor: c.Floor.At(l.RTT),
		FloorRTT: c.Floor.RTTs(), Critical: c.Floor.Critical().String()}
	if _, err := e.Discover(ctx, l, c); err != nil {
		return res, err
	}
	took := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		run, err := e.Discover(ctx, l, c)
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
	}
	res.P50, res.P95 = Percentile(took, 50), Percentile(took, 95)
	return res, nil
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
