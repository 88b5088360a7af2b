package discover

import (
	"context"
	"errors"
	"net/url"
	"sync"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// AutoconfigSource fetches the provider's own config-v1.1.xml: from
// autoconfig.<domain> and from <domain>/.well-known at once, and, when
// both fail over HTTPS and the Env allows it, from autoconfig.<domain>
// over plain HTTP (untrusted).
type AutoconfigSource struct{ Env Env }

func (s *AutoconfigSource) Name() SourceName { return SourceAutoconfig }

// autoconfigURLs returns the autoconfig-host URL (without a scheme) and the
// well-known URL for addr.
func autoconfigURLs(addr mailcfg.Address) (host, wellKnown string) {
	host = "autoconfig." + addr.ASCII + "/mail/config-v1.1.xml?emailaddress=" + url.QueryEscape(addr.ASCIIString())
	wellKnown = addr.ASCII + "/.well-known/autoconfig/mail/config-v1.1.xml"
	return host, wellKnown
}

func (s *AutoconfigSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	if s.Env.HTTP == nil {
		return ErrNoHTTPClient
	}
	emit, found := s.Env.filtered(emit)
	hostURL, wellKnown := autoconfigURLs(addr)

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, u := range []string{"https://" + hostURL, "https://" + wellKnown} {
		wg.Go(func() {
			if err := s.try(ctx, u, addr, emit); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if found() {
		return nil
	}
	if s.Env.AutoconfigHTTPFallback && ctx.Err() == nil {
		if err := s.try(ctx, "http://"+hostURL, addr, emit); err != nil {
			errs = append(errs, err)
		} else {
			return nil
		}
	}
	return errors.Join(errs...)
}

// try fetches one URL and emits its servers. Anything that began over
// plain HTTP is untrusted, even if it was redirected to HTTPS: the
// redirect itself could have been forged.
func (s *AutoconfigSource) try(ctx context.Context, u string, addr mailcfg.Address, emit func(Candidate)) error {
	cfg, final, err := fetchConfig(ctx, s.Env.HTTP, u, addr)
	if err != nil {
		return err
	}
	c := Candidate{Source: SourceAutoconfig, Trusted: true, URL: final, Detail: "autoconfig document " + final}
	if scheme(u) != "https" || scheme(final) != "https" {
		c.Trusted = false
		c.Why = l10n.M("why.plain_http", "url", final)
	}
	emitConfig(cfg, c, emit)
	return nil
}

func scheme(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Scheme
}
