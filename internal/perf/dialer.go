package perf

import (
	"context"
	"net"
	"sync/atomic"
	"time"

	"mailsetup/dnsx"
)

// Dialer is a dnsx.ContextDialer that puts a link of round-trip time RTT
// between the caller and whatever Base reaches:
//
//   - a connect takes one RTT (SYN out, SYN-ACK back); a refused one too
//     (the RST comes back); a blackholed one hangs as Base makes it hang;
//   - the server sees the connection half an RTT later still (the final
//     ACK), so a greeting it sends at once arrives one RTT after the
//     connect returned, as on a real network;
//   - every byte then takes RTT/2 in each direction.
//
// Base is dialed at once and the lag is applied to the stream, so servers
// that speak first are modelled faithfully. A zero RTT returns Base's
// connections untouched.
type Dialer struct {
	Base dnsx.ContextDialer
	RTT  time.Duration

	dials atomic.Int64
}

// Dials is how many connections were asked for so far (refused and
// blackholed ones too).
func (d *Dialer) Dials() int64 { return d.dials.Load() }

// DialContext connects through Base and wraps the connection in the link.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.dials.Add(1)
	base := d.Base
	if base == nil {
		base = &net.Dialer{}
	}
	if d.RTT <= 0 {
		return base.DialContext(ctx, network, address)
	}
	start := time.Now()
	real, err := base.DialContext(ctx, network, address)
	if waitErr := sleepUntil(ctx, start.Add(d.RTT)); waitErr != nil {
		if real != nil {
			real.Close()
		}
		if err == nil {
			err = waitErr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	oneWay := d.RTT / 2
	client, inner := net.Pipe()
	go relay(inner, real, oneWay, time.Time{})
	go relay(real, inner, oneWay, start.Add(d.RTT+oneWay))
	return &linkConn{Conn: client, local: real.LocalAddr(), remote: real.RemoteAddr()}, nil
}

// linkConn is the caller's end of the link; it reports the real addresses.
type linkConn struct {
	net.Conn
	local, remote net.Addr
}

func (c *linkConn) LocalAddr() net.Addr  { return c.local }
func (c *linkConn) RemoteAddr() net.Addr { return c.remote }

// sleepUntil waits until t or the end of ctx.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
