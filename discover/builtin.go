package discover

import (
	"context"

	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// BuiltinSource looks the address's domain up in the built-in provider table.
type BuiltinSource struct{ Env Env }

func (s *BuiltinSource) Name() SourceName { return SourceBuiltin }

func (s *BuiltinSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	p := providers.ByDomain(addr.ASCII)
	if p == nil {
		return nil
	}
	emitProvider(p, addr, SourceBuiltin, "built-in table: "+p.DisplayName("en"), s.Env, emit)
	return nil
}

// emitProvider emits every server of p in table order, all trusted.
func emitProvider(p *providers.Provider, addr mailcfg.Address, src SourceName, detail string, env Env, emit func(Candidate)) {
	for _, list := range [][]providers.Server{p.Incoming, p.Outgoing} {
		for _, ps := range list {
			if !env.wants(ps.Protocol) {
				continue
			}
			emit(Candidate{
				Server: mailcfg.Server{Protocol: ps.Protocol, Host: ps.Host, Port: ps.Port,
					Security: ps.Security, Username: p.UsernameForServer(ps, addr)},
				Source:  src,
				Trusted: true,
				Detail:  detail,
			})
		}
	}
}

// FindProvider names the address's provider: by its domain in the built-in
// table (SourceBuiltin), else by the domain's MX hosts (SourceMX). It
// returns nil and "" when the provider is unknown or the MX look-up fails.
func FindProvider(ctx context.Context, env Env, addr mailcfg.Address) (*providers.Provider, SourceName) {
	if p := providers.ByDomain(addr.ASCII); p != nil {
		return p, SourceBuiltin
	}
	if env.Resolver == nil {
		return nil, ""
	}
	hosts, _ := mxHosts(ctx, env.Resolver, addr.ASCII)
	if p, _ := firstProvider(hosts); p != nil {
		return p, SourceMX
	}
	return nil, ""
}
