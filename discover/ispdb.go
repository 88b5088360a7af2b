package discover

import (
	"context"
	"net/url"

	"mailsetup/mailcfg"
)

// ISPDBSource asks Thunderbird's ISP database (Env.ISPDBURL) about the
// address's domain. It does nothing when Env.Offline.
type ISPDBSource struct{ Env Env }

func (s *ISPDBSource) Name() SourceName { return SourceISPDB }

func (s *ISPDBSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	if s.Env.Offline {
		return nil
	}
	if s.Env.HTTP == nil {
		return ErrNoHTTPClient
	}
	cfg, final, err := fetchConfig(ctx, s.Env.HTTP, ispdbURL(s.Env, addr.ASCII), addr)
	if err != nil {
		return err
	}
	emit, _ = s.Env.filtered(emit)
	emitConfig(cfg, Candidate{Source: SourceISPDB, Trusted: true, URL: final,
		Detail: "ISPDB entry " + final}, emit)
	return nil
}

// ispdbURL is the database URL for domain.
func ispdbURL(env Env, domain string) string {
	return env.ispdbURL() + url.PathEscape(domain)
}
