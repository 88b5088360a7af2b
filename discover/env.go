package discover

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"

	"mailsetup/dnsx"
	"mailsetup/mailcfg"
)

// DefaultISPDBURL is Thunderbird's ISP database; the domain is appended.
const DefaultISPDBURL = "https://autoconfig.thunderbird.net/v1.1/"

// Resolver is what the DNS-based sources need from the project's resolver.
// An SRV record whose target is "." comes back as an error matching
// dnsx.ErrServiceNotOffered.
type Resolver interface {
	LookupSRV(ctx context.Context, service, proto, name string) ([]dnsx.SRV, error)
	LookupMX(ctx context.Context, name string) ([]dnsx.MX, error)
}

// Env is what the sources share.
type Env struct {
	Resolver Resolver
	// HTTP must dial through the project's resolver; see NewHTTPClient.
	HTTP *http.Client
	// ISPDBURL is the ISP database base URL; empty means DefaultISPDBURL.
	ISPDBURL string
	// Offline skips ISPDB and other third-party look-ups.
	Offline bool
	// Protocols chooses the incoming protocols to emit; nil means POP3 and
	// IMAP. SMTP is always emitted.
	Protocols []mailcfg.Protocol
	// AutoconfigHTTPFallback tries autoconfig over plain HTTP when HTTPS
	// finds nothing; such candidates are untrusted. NewEnv turns it on.
	AutoconfigHTTPFallback bool
}

// NewEnv returns an Env with the defaults: the public ISPDB and the plain
// HTTP autoconfig fallback on.
func NewEnv(r Resolver, client *http.Client) Env {
	return Env{Resolver: r, HTTP: client, ISPDBURL: DefaultISPDBURL, AutoconfigHTTPFallback: true}
}

// Sources returns every source, most trusted first; ISPDB is left out when
// Offline.
func Sources(env Env) []Source {
	out := []Source{
		&BuiltinSource{Env: env},
		&SRVSource{Env: env},
		&AutoconfigSource{Env: env},
	}
	if !env.Offline {
		out = append(out, &ISPDBSource{Env: env})
	}
	return append(out,
		&MXSource{Env: env},
		&AutodiscoverSource{Env: env},
		&GuessSource{Env: env},
	)
}

// wants reports whether candidates of protocol p should be emitted.
func (env Env) wants(p mailcfg.Protocol) bool {
	if p == mailcfg.SMTP {
		return true
	}
	if env.Protocols == nil {
		return p == mailcfg.POP3 || p == mailcfg.IMAP
	}
	return slices.Contains(env.Protocols, p)
}

func (env Env) ispdbURL() string {
	if env.ISPDBURL == "" {
		return DefaultISPDBURL
	}
	return env.ISPDBURL
}

// filtered wraps emit so that only wanted protocols get through, and
// counts what got through so a source can tell whether it found anything.
func (env Env) filtered(emit func(Candidate)) (func(Candidate), func() bool) {
	found := new(atomic.Bool)
	return func(c Candidate) {
		if env.wants(c.Protocol) {
			found.Store(true)
			emit(c)
		}
	}, found.Load
}
