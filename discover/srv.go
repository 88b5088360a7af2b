package discover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"mailsetup/dnsx"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// SRVSource reads the RFC 6186 / RFC 8314 service records of the domain.
type SRVSource struct{ Env Env }

func (s *SRVSource) Name() SourceName { return SourceSRV }

// srvService is one service label and what a record of it means.
type srvService struct {
	Service  string
	Protocol mailcfg.Protocol
	Security mailcfg.Security
}

// srvServices are queried in parallel; the order is only for reading.
var srvServices = []srvService{
	{"submissions", mailcfg.SMTP, mailcfg.TLS},
	{"submission", mailcfg.SMTP, mailcfg.STARTTLS},
	{"imaps", mailcfg.IMAP, mailcfg.TLS},
	{"imap", mailcfg.IMAP, mailcfg.STARTTLS},
	{"pop3s", mailcfg.POP3, mailcfg.TLS},
	{"pop3", mailcfg.POP3, mailcfg.STARTTLS},
}

func (s *SRVSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	if s.Env.Resolver == nil {
		return ErrNoResolver
	}
	emit, found := s.Env.filtered(emit)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, svc := range srvServices {
		if !s.Env.wants(svc.Protocol) {
			continue
		}
		wg.Go(func() {
			if err := s.lookup(ctx, svc, addr, emit); err != nil {
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
	return errors.Join(errs...)
}

// lookup queries one service and emits its usable records, best first.
// A missing record or an explicit "." is not an error.
func (s *SRVSource) lookup(ctx context.Context, svc srvService, addr mailcfg.Address, emit func(Candidate)) error {
	records, err := s.Env.Resolver.LookupSRV(ctx, svc.Service, "tcp", addr.ASCII)
	if err != nil {
		if errors.Is(err, dnsx.ErrServiceNotOffered) || dnsx.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("SRV _%s._tcp.%s: %w", svc.Service, addr.ASCII, err)
	}
	records = slices.Clone(records)
	slices.SortStableFunc(records, func(a, b dnsx.SRV) int {
		if c := cmp.Compare(a.Priority, b.Priority); c != 0 {
			return c
		}
		return cmp.Compare(b.Weight, a.Weight)
	})
	name := "_" + svc.Service + "._tcp." + addr.ASCII
	for _, r := range records {
		host, ok := cleanHost(r.Target)
		if !ok || r.Port == 0 {
			continue // "." (service not offered), or unusable
		}
		c := Candidate{
			Server: mailcfg.Server{Protocol: svc.Protocol, Host: host, Port: int(r.Port),
				Security: svc.Security, Username: addr.ASCIIString()},
			Source:  SourceSRV,
			Trusted: true,
			Detail:  "SRV " + name + " → " + host + ":" + strconv.Itoa(int(r.Port)),
		}
		if !inDomain(host, addr.ASCII) {
			c.Trusted = false
			c.Why = l10n.M("why.srv_outside", "host", host, "domain", addr.ASCII)
		}
		emit(c)
	}
	return nil
}
