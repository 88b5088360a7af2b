package perf

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// DNSProxy forwards DNS over UDP and TCP from one 127.0.0.1 port to an
// upstream server across a link of round-trip time RTT: a UDP query and
// its answer take one RTT more than upstream needs; a TCP query pays one
// more RTT for the connect. The engine is pointed at Addr (Options.DNS).
type DNSProxy struct {
	Addr string // "127.0.0.1:port", UDP and TCP

	upstream string
	rtt      time.Duration
	pc       net.PacketConn
	ln       net.Listener
	wg       sync.WaitGroup
	closed   chan struct{}
	queries  atomic.Int64
}

// Queries is how many queries reached the proxy so far: UDP datagrams and
// TCP connections (the engine's resolver sends one query per TCP
// connection).
func (p *DNSProxy) Queries() int64 { return p.queries.Load() }

// upstreamTimeout bounds how long the proxy waits for upstream's answer
// to one UDP query (a dead upstream never gives one).
const upstreamTimeout = 10 * time.Second

// StartDNSProxy listens on a free 127.0.0.1 port (the same on UDP and TCP).
func StartDNSProxy(upstream string, rtt time.Duration) (*DNSProxy, error) {
	pc, ln, err := listenBoth()
	if err != nil {
		return nil, err
	}
	p := &DNSProxy{Addr: ln.Addr().String(), upstream: upstream, rtt: rtt, pc: pc, ln: ln, closed: make(chan struct{})}
	p.wg.Add(2)
	go p.serveUDP()
	go p.serveTCP()
	return p, nil
}

func listenBoth() (net.PacketConn, net.Listener, error) {
	var last error
	for try := 0; try < 20; try++ {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		last = err
	}
	return nil, nil, fmt.Errorf("no port free on both UDP and TCP: %w", last)
}

// Close stops the proxy and waits for its queries in flight.
func (p *DNSProxy) Close() {
	close(p.closed)
	p.pc.Close()
	p.ln.Close()
	p.wg.Wait()
}

// pause waits d, or less when the proxy closes; it reports whether to go on.
func (p *DNSProxy) pause(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-p.closed:
		return false
	}
}

func (p *DNSProxy) serveUDP() {
	defer p.wg.Done()
	for {
		buf := make([]byte, 65536)
		n, from, err := p.pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.queries.Add(1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.forwardUDP(buf[:n], from)
		}()
	}
}

// forwardUDP carries one query out and its answer back, each way taking
// half the RTT.
func (p *DNSProxy) forwardUDP(query []byte, client net.Addr) {
	if !p.pause(p.rtt / 2) {
		return
	}
	up, err := net.Dial("udp", p.upstream)
	if err != nil {
		return
	}
	defer up.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-p.closed:
			up.Close()
		case <-stop:
		}
	}()
	up.SetDeadline(time.Now().Add(upstreamTimeout))
	if _, err := up.Write(query); err != nil {
		return
	}
	answer := make([]byte, 65536)
	n, err := up.Read(answer)
	if err != nil {
		return
	}
	if !p.pause(p.rtt / 2) {
		return
	}
	p.pc.WriteTo(answer[:n], client)
}

func (p *DNSProxy) serveTCP() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.queries.Add(1)
		accepted := time.Now()
		up, err := net.Dial("tcp", p.upstream)
		if err != nil {
			c.Close()
			continue
		}
		p.wg.Add(2)
		// The client's connect returned at once; on the modelled link it
		// would have taken an RTT, so what it sends leaves no earlier.
		go func() { defer p.wg.Done(); relay(c, up, p.rtt/2, accepted.Add(p.rtt)) }()
		go func() { defer p.wg.Done(); relay(up, c, p.rtt/2, time.Time{}) }()
		go func() { <-p.closed; c.Close(); up.Close() }()
	}
}
