package assistant

import (
	"context"
	"time"

	"mailsetup/hints"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// report turns the run's state into the Report.
func (r *run) report(ctx context.Context) *Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	lang := l10n.Normalize(r.e.opts.Lang)
	rep := &Report{Email: r.addr.String(), ElapsedMS: r.elapsed().Milliseconds(), Protocol: r.e.opts.Protocol, ProtocolChosen: r.e.opts.ProtocolChosen,
		Candidates: []Candidate{}, Hints: []string{}, Notes: []hints.Hint{}, Sources: []Source{}}
	if r.provider != nil {
		rep.Provider = &ProviderRef{ID: r.provider.ID, Name: r.provider.DisplayName(lang)}
	}
	for _, s := range r.sources {
		rep.Sources = append(rep.Sources, *s)
	}
	sorted := append([]*Candidate(nil), r.cands...)
	SortCandidates(sorted, r.e.preference())
	for _, c := range sorted {
		rep.Candidates = append(rep.Candidates, *c)
	}
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		best := r.bestLocked(role)
		if best == nil {
			continue
		}
		srv := recommendedServer(best)
		if best.Status == mailcfg.StatusInsecure {
			rep.Insecure = true
		}
		auth := authMethods(r.provider, best)
		if role == mailcfg.Incoming {
			rep.Recommended.Incoming, rep.Recommended.IncomingAuth = &srv, auth
		} else {
			rep.Recommended.Outgoing, rep.Recommended.OutgoingAuth = &srv, auth
		}
	}
	if notes := r.collectHints(ctx, rep, lang); notes != nil {
		rep.Notes = notes
	}
	for _, h := range rep.Notes {
		rep.Hints = append(rep.Hints, h.Text)
	}
	return rep
}

// domainCheckTimeout bounds the look-up that tells a domain that does not
// exist from one whose servers failed, when nothing usable was found.
const domainCheckTimeout = 2 * time.Second
