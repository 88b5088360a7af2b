package discover

import (
	"context"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// SourceName names where a candidate came from; the strings are part of the
// JSON contract in docs/design.md.
type SourceName string

const (
	SourceBuiltin      SourceName = "builtin"
	SourceSRV          SourceName = "srv"
	SourceAutoconfig   SourceName = "autoconfig"
	SourceISPDB        SourceName = "ispdb"
	SourceMX           SourceName = "mx"
	SourceAutodiscover SourceName = "autodiscover"
	SourceGuess        SourceName = "guess"
)

// AllSources lists every source name, most trusted first.
var AllSources = []SourceName{SourceBuiltin, SourceSRV, SourceAutoconfig, SourceISPDB,
	SourceMX, SourceAutodiscover, SourceGuess}

// Trust ranks a source: higher is more trusted; unknown names rank 0.
func Trust(s SourceName) int {
	for i, n := range AllSources {
		if n == s {
			return len(AllSources) - i
		}
	}
	return 0
}

// Candidate is one server a source suggests.
type Candidate struct {
	// Server's Username is the login the source names (the provider's form,
	// a document's placeholders), or else the full address.
	mailcfg.Server
	Source SourceName
	// Trusted is false when the channel could have been tampered with: an
	// autoconfig document fetched over plain HTTP, an SRV target outside the
	// address's domain. Such candidates may be probed, but the user is asked
	// before a password goes there.
	Trusted bool
	// Why says why the candidate is untrusted, e.g. "SRV target
	// mail.other.net is outside example.com"; empty when trusted.
	Why l10n.Message
	// Detail says how the source found it, e.g. "SRV _imaps._tcp.example.com"
	// or "MX mxbiz1.qq.com belongs to Tencent Exmail", for verbose output.
	Detail string
	// URL is the document the candidate came from, if any.
	URL string
	// Auth lists the authentication methods a document named (autoconfig,
	// ISPDB): password-cleartext, OAuth2, …
	Auth []string
	// Route says how the source reached the candidate (Autodiscover: which
	// of its routes, and every redirect); nil when there is nothing to add
	// to Source and URL.
	Route *Route
	// ProviderID names the built-in provider the source recognised on the
	// way, e.g. "microsoft365" when Autodiscover ends at Exchange Online;
	// "" when none.
	ProviderID string
}

// Source finds candidates for an address.
type Source interface {
	Name() SourceName
	// Find calls emit for each candidate as soon as it is known, possibly
	// from several goroutines at once, so emit must be cheap and safe for
	// concurrent use. Find returns when the source is done. Its error is
	// informational: the source failed (SERVFAIL, HTTP 404, …) and found
	// nothing; a source that found something reports no error.
	Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error
}
