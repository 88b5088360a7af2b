package discover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"mailsetup/dnsx"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// MXSource finds the provider that hosts the domain's mail from its MX
// hosts: a known provider of the built-in table, or else, as Thunderbird
// does, the ISPDB entry of the first MX host's registered domain.
type MXSource struct{ Env Env }

func (s *MXSource) Name() SourceName { return SourceMX }

func (s *MXSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	if s.Env.Resolver == nil {
		return ErrNoResolver
	}
	hosts, err := mxHosts(ctx, s.Env.Resolver, addr.ASCII)
	if err != nil || len(hosts) == 0 {
		return err
	}
	if p, h := firstProvider(hosts); p != nil {
		emitProvider(p, addr, SourceMX, fmt.Sprintf("MX %s belongs to %s", h, p.DisplayName("en")), s.Env, emit)
		// No ISPDB look-up on top: the MX host's registered domain may be
		// the provider's consumer service (mxbiz1.qq.com is Tencent Exmail,
		// while qq.com's ISPDB entry is QQ Mail).
		return nil
	}
	if s.Env.Offline {
		return nil
	}
	base, err := publicsuffix.EffectiveTLDPlusOne(hosts[0])
	if err != nil || base == addr.ASCII {
		return nil // the ISPDB source already asked about the domain itself
	}
	if s.Env.HTTP == nil {
		return ErrNoHTTPClient
	}
	cfg, final, err := fetchConfig(ctx, s.Env.HTTP, ispdbURL(s.Env, base), addr)
	if err != nil {
		var st *HTTPStatusError
		if errors.As(err, &st) && st.Status == 404 {
			return nil // ISPDB does not know the MX host's domain: nothing to say
		}
		return err
	}
	emit, _ = s.Env.filtered(emit)
	emitConfig(cfg, Candidate{Source: SourceMX, Trusted: true, URL: final,
		Detail: fmt.Sprintf("MX %s → ISPDB entry for %s", hosts[0], base)}, emit)
	return nil
}

// mxHosts returns the domain's MX hosts, most preferred first. A domain
// without MX records, or with a null MX (RFC 7505), has none; that is not
// an error.
func mxHosts(ctx context.Context, r Resolver, domain string) ([]string, error) {
	records, err := r.LookupMX(ctx, domain)
	if err != nil {
		if errors.Is(err, dnsx.ErrServiceNotOffered) || dnsx.IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("MX %s: %w", domain, err)
	}
	records = slices.Clone(records)
	slices.SortStableFunc(records, func(a, b dnsx.MX) int { return cmp.Compare(a.Pref, b.Pref) })
	var hosts []string
	for _, rec := range records {
		if h, ok := cleanHost(rec.Host); ok && !slices.Contains(hosts, h) && strings.Contains(h, ".") {
			hosts = append(hosts, h)
		}
	}
	return hosts, nil
}

// firstProvider returns the built-in provider of the first host that
// matches one, and that host.
func firstProvider(hosts []string) (*providers.Provider, string) {
	for _, h := range hosts {
		if p := providers.ByMX(h); p != nil {
			return p, h
		}
	}
	return nil, ""
}
