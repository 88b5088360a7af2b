package assistant

import (
	"context"
	"sort"
	"time"

	"mailsetup/mailcfg"
)

// Probes start in rank order, as many at once as Options.Concurrency
// allows; when the user chose the incoming protocol, the other protocol's
// probes wait for it (docs/design.md, "Ranking").

// schedule starts queued probes, best-ranked first, up to the concurrency limit.
func (r *run) schedule(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.queue) == 0 || len(r.probing) >= r.e.opts.Concurrency {
		return
	}
	sort.SliceStable(r.queue, func(i, j int) bool {
		return r.key(r.queue[i], true).better(r.key(r.queue[j], true))
	})
	deferOthers, recheck := r.deferOtherProtocolLocked(time.Now())
	r.deferredUntil = time.Time{}
	var later []*Candidate
	for len(r.queue) > 0 && len(r.probing) < r.e.opts.Concurrency {
		c := r.queue[0]
		r.queue = r.queue[1:]
		if r.settled[c.Role] {
			c.Status = mailcfg.StatusAbandoned
			continue
		}
		if deferOthers && c.Role == mailcfg.Incoming && c.Protocol != r.e.opts.Protocol {
			later = append(later, c)
			continue
		}
		r.probing[c] = true
		r.wg.Add(1)
		go r.probe(ctx, c, c.Server())
	}
	if len(later) > 0 {
		r.deferredUntil = recheck
	}
	r.queue = append(later, r.queue...)
}

// deferOtherProtocolLocked says whether the other incoming protocol must
// wait: the user chose one, and it is still being probed without having
// failed everywhere (a usable server of it, or one still pending that has
// not stalled). A tarpit on the chosen protocol's port must not hold the
// other one back until its timeout, so a probe stops counting once its
// step is overdue (grace.go's deferFactor); recheck is the earliest such
// time to come.
func (r *run) deferOtherProtocolLocked(now time.Time) (deferOthers bool, recheck time.Time) {
	if !r.e.opts.ProtocolChosen || r.settled[mailcfg.Incoming] {
		return false, time.Time{}
	}
	for _, c := range r.cands {
		if c.Role != mailcfg.Incoming || c.Protocol != r.e.opts.Protocol {
			continue
		}
		if c.Status.Usable() {
			return true, time.Time{}
		}
		if c.Status != mailcfg.StatusPending {
			continue
		}
		pr := r.progress[c]
		if pr == nil || pr.since.IsZero() {
			return true, time.Time{} // queued: it has not had its chance yet
		}
		if at := r.pace.overdueAt(pr, deferFactor, deferSlack); at.After(now) {
			deferOthers = true
			if recheck.IsZero() || at.Before(recheck) {
				recheck = at
			}
		}
	}
	if deferOthers {
		return true, recheck
	}
	return len(r.running) > 0, time.Time{} // a source may still name one
}
