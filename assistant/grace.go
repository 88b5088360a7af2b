package assistant

import (
	"time"

	"mailsetup/discover"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// Once a role has a usable candidate, the run waits for better-ranked ones
// still pending only while they could still answer. The yardstick is the
// run itself: the slowest exchange any probe has completed so far (a TCP
// connect, a TLS handshake, a greeting, a command), which is one round trip
// plus the server's work, and grows when the network, the server or this
// machine is slow. A pending probe whose current exchange has gone
// unanswered for stallFactor such exchanges plus stallSlack is written off:
// the server is a tarpit, the port blackholed, the packets lost. A probe
// that keeps moving is waited for up to the grace cap.
const (
	// stallFactor is how many of the slowest exchanges seen a step may
	// take before its answer counts as overdue.
	stallFactor = 3
	// stallSlack is allowed on top for a server slower than those seen
	// (a TLS signature, spawning a login process) and for scheduling noise.
	stallSlack = 200 * time.Millisecond
	// graceRTTs, graceMin and graceMax bound the whole wait: a slow but
	// live server gets graceRTTs exchanges, never less than graceMin nor
	// more than graceMax.
	graceRTTs = 8
	graceMin  = 500 * time.Millisecond
	graceMax  = 2 * time.Second
	// deferFactor and deferSlack judge sooner whether a probe of the
	// protocol the user chose still holds the other protocol's probes
	// back: starting those early costs a connection, not the answer.
	deferFactor = 2
	deferSlack  = 50 * time.Millisecond
)

// progress is where a probe stands: its current phase and since when.
type progress struct {
	phase probe.Phase
	since time.Time
}

// pace holds the exchange times observed during a run.
type pace struct {
	stepMax    time.Duration // slowest connect, handshake, greeting or command of any probe
	resolveMax time.Duration // slowest DNS look-up of a probe
}

// notePhase records that c's probe entered phase p; the phase it leaves
// gives a measure of the network.
func (r *run) notePhase(c *Candidate, p probe.Phase, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pr := r.progress[c]
	if pr == nil {
		pr = &progress{}
		r.progress[c] = pr
	}
	if !pr.since.IsZero() {
		took := now.Sub(pr.since)
		switch pr.phase {
		case probe.PhaseResolve:
			r.pace.resolveMax = max(r.pace.resolveMax, took)
		case probe.PhaseStartTLS:
			r.pace.stepMax = max(r.pace.stepMax, took/2) // the command, then the handshake
		default:
			r.pace.stepMax = max(r.pace.stepMax, took)
		}
	}
	pr.phase, pr.since = p, now
}

// stallAt is when the step c's probe is in becomes overdue.
func (p *pace) stallAt(pr *progress) time.Time { return p.overdueAt(pr, stallFactor, stallSlack) }

// overdueAt is when the step c's probe is in has taken factor times the
// slowest exchange seen, plus slack.
func (p *pace) overdueAt(pr *progress, factor int, slack time.Duration) time.Time {
	step, n := p.stepMax, 1
	switch pr.phase {
	case probe.PhaseResolve:
		// Other look-ups may have come from the cache: the slowest
		// exchange is the floor of the estimate.
		step = max(p.resolveMax, p.stepMax)
	case probe.PhaseStartTLS:
		n = 2
	}
	return pr.since.Add(time.Duration(n*factor)*step + slack)
}

// graceCap bounds the wait for better candidates, from the observed RTT.
func (p *pace) graceCap() time.Duration {
	return min(max(graceRTTs*p.stepMax, graceMin), graceMax)
}

// waitLocked says until when the role's answer should wait for something
// that could beat best; a time not after now means settle now.
func (r *run) waitLocked(role mailcfg.Role, best *Candidate, now time.Time) time.Time {
	since, ok := r.usableAt[role]
	if !ok {
		since = now
		r.usableAt[role] = now
	}
	fixed := r.e.opts.Grace > 0
	limit := since.Add(r.pace.graceCap())
	if fixed {
		limit = since.Add(r.e.opts.Grace)
	}
	cands, sourceCould := r.contendersLocked(role, r.key(best, false))
	if sourceCould {
		return limit // a source still looking could name something better
	}
	var until time.Time
	for _, c := range cands {
		pr := r.progress[c]
		if fixed || pr == nil || pr.since.IsZero() {
			return limit // not started yet, or no judging: wait it out
		}
		if at := r.pace.stallAt(pr); at.After(until) {
			until = at
		}
	}
	if until.After(limit) {
		return limit
	}
	return until
}

// couldBeatLocked reports whether a pending candidate, or a source still
// running, could still produce something better than best.
func (r *run) couldBeatLocked(role mailcfg.Role, best rankKey) bool {
	cands, sourceCould := r.contendersLocked(role, best)
	return sourceCould || len(cands) > 0
}

// contendersLocked lists the pending candidates that could beat best, and
// says whether a running source could still name one.
func (r *run) contendersLocked(role mailcfg.Role, best rankKey) (cands []*Candidate, sourceCould bool) {
	for _, c := range r.cands {
		if c.Role == role && c.Status == mailcfg.StatusPending && r.key(c, true).beats(best) {
			cands = append(cands, c)
		}
	}
	for name := range r.running {
		top := rankKey{usable: 2, security: mailcfg.TLS.Rank(), protocol: 1, trust: discover.Trust(name)}
		if role == mailcfg.Outgoing {
			top.port = mailcfg.PortRank(mailcfg.SMTP, 465)
		} else if r.e.opts.ProtocolChosen {
			top.chosen = 1
		}
		if top.beats(best) {
			sourceCould = true
		}
	}
	return cands, sourceCould
}
