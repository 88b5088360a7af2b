package discover

import (
	"context"

	"mailsetup/mailcfg"
)

// GuessSource proposes the usual host names of the address's own domain on
// every standard port. It emits all of them at once; the prober bounds the
// concurrency and the ranking puts them last.
type GuessSource struct{ Env Env }

func (s *GuessSource) Name() SourceName { return SourceGuess }

// guessPrefixes are tried per protocol, in this order; "" is the bare domain.
var guessPrefixes = []struct {
	proto    mailcfg.Protocol
	prefixes []string
}{
	{mailcfg.POP3, []string{"pop3.", "pop.", "mail.", ""}},
	{mailcfg.IMAP, []string{"imap.", "mail.", ""}},
	{mailcfg.SMTP, []string{"smtp.", "mail.", ""}},
}

func (s *GuessSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	for _, g := range guesses(addr) {
		if s.Env.wants(g.Protocol) {
			emit(g)
		}
	}
	return nil
}

// guesses lists every guess for addr, POP3 then IMAP then SMTP.
func guesses(addr mailcfg.Address) []Candidate {
	var out []Candidate
	for _, g := range guessPrefixes {
		for _, prefix := range g.prefixes {
			for _, ep := range mailcfg.StandardEndpoints(g.proto) {
				out = append(out, Candidate{
					Server: mailcfg.Server{Protocol: g.proto, Host: prefix + addr.ASCII, Port: ep.Port,
						Security: ep.Security, Username: addr.ASCIIString()},
					Source:  SourceGuess,
					Trusted: true,
					Detail:  "guessed from the domain name",
				})
			}
		}
	}
	return out
}
