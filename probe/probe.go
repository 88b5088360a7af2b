package probe

import (
	"context"

	"mailsetup/mailcfg"
)

// Probe connects to one server and reports what it found; it never sends
// credentials. The whole probe is bounded by o.Timeout.
func Probe(ctx context.Context, srv mailcfg.Server, o Options) Result {
	ctx, cancel := context.WithTimeout(ctx, o.timeout(DefaultTimeout))
	defer cancel()
	s, res := open(ctx, srv, &o)
	if s != nil {
		// The result is known: neither a server that never answers the
		// goodbye nor the round trip of one that does may hold it back.
		s.hangUp()
	}
	return res
}
