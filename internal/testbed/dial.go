package testbed

import (
	"context"
	"fmt"
	"net"

	"mailsetup/internal/portmap"
)

// Dialer is a portmap.PortMap holding a copy of the current map. Entries the
// bed adds later are still honoured: its Base consults the live map before
// dialing, so a test may take the dialer before starting every server.
func (b *Bed) Dialer() *portmap.PortMap {
	return &portmap.PortMap{Base: &liveDialer{bed: b}, Map: b.PortMap()}
}

// liveDialer redirects through the bed's map as it is at dial time.
type liveDialer struct {
	bed  *Bed
	base net.Dialer
}

func (d *liveDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.bed.mu.Lock()
	to, ok := d.bed.portMap[address]
	d.bed.mu.Unlock()
	if ok {
		if to == portmap.Blackhole {
			<-ctx.Done()
			return nil, fmt.Errorf("dial %s: %w", address, ctx.Err())
		}
		address = to
	}
	return d.base.DialContext(ctx, network, address)
}
