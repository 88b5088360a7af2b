package assistant

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"mailsetup/dnsx"
	"mailsetup/hints"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/probe"
	"mailsetup/providers"
)

// maxHintsPerRole keeps the explanation of a failed role short.
const maxHintsPerRole = 3

// collectHints explains the report: provider notes first (before any
// login), then why a role has no recommendation, then warnings.
func (r *run) collectHints(ctx context.Context, rep *Report, lang string) []hints.Hint {
	var out hintList
	if r.provider != nil {
		out.add(hints.ProviderNotes(r.provider, lang)...)
	}
	if rep.Recommended.Incoming == nil && rep.Recommended.Outgoing == nil {
		if f, ok := r.domainFacts(ctx); ok {
			out.add(hints.Match(f, lang)...)
		}
	}
	// One certificate shown by several hosts (imap., pop., smtp. of one
	// provider) is explained once, naming them all.
	certHosts := map[string][]string{}
	for _, c := range r.cands {
		if c.result != nil && c.Status == mailcfg.StatusCertInvalid && c.TLS.SHA256 != "" &&
			!slices.Contains(certHosts[c.TLS.SHA256], c.Host) {
			certHosts[c.TLS.SHA256] = append(certHosts[c.TLS.SHA256], c.Host)
		}
	}
	explained := map[string]bool{} // certificates explained
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		best := r.bestLocked(role)
		n := 0
		for _, c := range r.cands {
			if c.Role != role || c.result == nil || c.Status.Usable() || n >= maxHintsPerRole {
				continue
			}
			// With a recommendation, only failures that rank above it matter
			// (a certificate problem on the provider's own host, say).
			if best != nil && !r.key(c, true).beats(r.key(best, false)) {
				continue
			}
			if !c.fromTrustedSource() && uninformative(c) {
				continue
			}
			f := factsFor(c, r.providerID())
			if hosts := certHosts[c.TLS.SHA256]; c.Status == mailcfg.StatusCertInvalid && len(hosts) > 1 {
				if explained[c.TLS.SHA256] {
					continue
				}
				explained[c.TLS.SHA256] = true
				f.Host = joinHosts(hosts, lang)
			}
			if out.add(hints.Match(f, lang)...) {
				n++
			}
		}
		if best != nil && best.Status == mailcfg.StatusInsecure {
			// Recommended as plain text: say so, and how to consent.
			f := factsFor(best, r.providerID())
			f.Stage, f.Security, f.Error = hints.StageGreeting, mailcfg.None, ""
			out.add(hints.Match(f, lang)...)
		}
	}
	for _, c := range r.cands {
		if p, stale, ok := providers.StaleByHost(c.Host); ok && p != nil {
			out.add(hints.Match(hints.Facts{Stage: "discover", Host: c.Host, StaleHost: stale.Host, StaleReason: stale.Reason,
				ProviderID: p.ID}, lang)...)
		}
	}
	return out.list
}

func (r *run) providerID() string {
	if r.provider == nil {
		return ""
	}
	return r.provider.ID
}

func (c *Candidate) fromTrustedSource() bool {
	for _, s := range c.Sources {
		if s != "guess" {
			return true
		}
	}
	return false
}

// uninformative tells guesses whose failure says nothing: a made-up name
// that does not exist, or a port where nothing listens. A timeout on port
// 25 stays: it tells that the network blocks it.
func uninformative(c *Candidate) bool {
	switch c.Status {
	case mailcfg.StatusUnresolved, mailcfg.StatusRefused:
		return true
	case mailcfg.StatusTimeout:
		return c.Port != 25
	}
	return false
}

// domainFacts asks whether the domain exists at all, so that a typo in the
// address is told apart from a DNS server in trouble.
func (r *run) domainFacts(ctx context.Context) (hints.Facts, bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), domainCheckBudget(ctx, time.Now()))
	defer cancel()
	_, err := r.e.resolver.LookupMX(ctx, r.addr.ASCII)
	if err == nil || errors.Is(err, dnsx.ErrServiceNotOffered) {
		return hints.Facts{}, false
	}
	kind := dnsKind(err)
	if kind == "" {
		return hints.Facts{}, false
	}
	return hints.Facts{Stage: "dns", Host: r.addr.ASCII, Error: err.Error(), ProviderID: r.providerID(), DNSError: kind}, true
}

// domainCheckBudget is how long the domain check may take: what is left
// of the run's deadline, within domainCheckTimeout, so that a dead DNS
// server does not push the answer past the timeout by much; but at least
// minDomainCheck, which a working resolver needs for an answer.
func domainCheckBudget(ctx context.Context, now time.Time) time.Duration {
	budget := domainCheckTimeout
	if dl, ok := ctx.Deadline(); ok {
		budget = min(budget, max(dl.Sub(now), minDomainCheck))
	}
	return budget
}

// minDomainCheck is the shortest domain check worth making.
const minDomainCheck = 250 * time.Millisecond

// factsFor describes a probed candidate to the hint catalogue.
func factsFor(c *Candidate, providerID string) hints.Facts {
	f := hints.Facts{Stage: stageOf(c.Status), Status: c.Status, Protocol: c.Protocol, Host: c.Host, Port: c.Port,
		Security: c.Security, ProviderID: providerID, Error: c.Error}
	if res := c.result; res != nil && res.TLS != nil {
		addCertFacts(&f, res.TLS)
	}
	return f
}

func addCertFacts(f *hints.Facts, t *probe.TLSInfo) {
	f.CertProblem = string(t.Problem)
	f.CertSubject = t.Subject
	f.CertIssuer = t.Issuer
	f.CertNames = strings.Join(t.DNSNames, ", ")
	f.CertSHA256 = t.SHA256
	if !t.NotAfter.IsZero() {
		f.CertNotAfter = t.NotAfter.UTC().Format(time.DateOnly)
	}
}

func stageOf(s mailcfg.Status) string {
	switch s {
	case mailcfg.StatusUnresolved:
		return "dns"
	case mailcfg.StatusRefused, mailcfg.StatusTimeout:
		return "connect"
	case mailcfg.StatusCertInvalid, mailcfg.StatusTLSError:
		return "tls"
	case mailcfg.StatusProtocolError:
		return "greeting"
	case mailcfg.StatusInsecure:
		return "starttls"
	case mailcfg.StatusError:
		return "" // the status does not tell where it failed: the words may
	}
	return "discover"
}

// joinHosts lists host names in a sentence: "a, b and c", "a、b和c".
func joinHosts(hosts []string, lang string) string {
	if len(hosts) == 1 {
		return hosts[0]
	}
	last := len(hosts) - 1
	return l10n.Text(lang, "list.and", "items", strings.Join(hosts[:last], l10n.Text(lang, "sep.items")), "last", hosts[last])
}

// hintList keeps hints in order without repeats.
type hintList struct {
	list []hints.Hint
	seen map[string]bool
}

func hintKey(h hints.Hint) string { return h.ID + "\x00" + h.Text }

// add appends the hints not seen yet and reports whether any was new.
func (l *hintList) add(hs ...hints.Hint) bool {
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	added := false
	for _, h := range hs {
		if l.seen[hintKey(h)] {
			continue
		}
		l.seen[hintKey(h)] = true
		l.list = append(l.list, h)
		added = true
	}
	return added
}

// seenOnly marks h as seen without listing it.
func (l *hintList) seenOnly(h hints.Hint) {
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[hintKey(h)] = true
}
