package testbed

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// dnsServer serves a zoneDB on UDP and TCP at the same 127.0.0.1 port.
type dnsServer struct {
	addr     string
	udp, tcp *dns.Server
}

// listenUDPAndTCP binds the same port on UDP and TCP, retrying when another
// process holds the TCP side of the port the kernel chose for UDP.
func listenUDPAndTCP(ip string) (net.PacketConn, net.Listener, error) {
	var lastErr error
	for try := 0; try < 20; try++ {
		pc, err := net.ListenPacket("udp", hostPort(ip, 0))
		if err != nil {
			return nil, nil, err
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		ln, err := net.Listen("tcp", hostPort(ip, port))
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		lastErr = err
	}
	return nil, nil, fmt.Errorf("no port free on both UDP and TCP: %w", lastErr)
}

func startDNS(zone *zoneDB) (*dnsServer, error) {
	pc, ln, err := listenUDPAndTCP("127.0.0.1")
	if err != nil {
		return nil, err
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		zone.answer(m)
		size := dns.MinMsgSize
		if opt := r.IsEdns0(); opt != nil {
			m.SetEdns0(opt.UDPSize(), false)
			size = int(opt.UDPSize())
		}
		// Over UDP an oversized answer is cut and flagged TC, so resolvers
		// must retry over TCP as real ones do.
		if _, isUDP := w.RemoteAddr().(*net.UDPAddr); isUDP {
			m.Truncate(size)
		}
		w.WriteMsg(m)
	})
	s := &dnsServer{
		addr: ln.Addr().String(),
		udp:  &dns.Server{PacketConn: pc, Handler: handler},
		tcp:  &dns.Server{Listener: ln, Handler: handler, ReadTimeout: 5 * time.Second, IdleTimeout: func() time.Duration { return 5 * time.Second }},
	}
	if err := activate(s.udp); err != nil {
		ln.Close()
		return nil, err
	}
	if err := activate(s.tcp); err != nil {
		s.udp.Shutdown()
		return nil, err
	}
	return s, nil
}

// activate starts srv and returns once it serves, so that Shutdown can
// never race ahead of the start and leave a goroutine behind.
func activate(srv *dns.Server) error {
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	failed := make(chan error, 1)
	go func() {
		if err := srv.ActivateAndServe(); err != nil {
			failed <- err
		}
	}()
	select {
	case <-started:
		return nil
	case err := <-failed:
		return err
	}
}

func (s *dnsServer) Close() {
	s.udp.Shutdown()
	s.tcp.Shutdown()
}

// deadDNSServer reads queries on UDP and TCP and never answers.
type deadDNSServer struct {
	addr string
	pc   net.PacketConn
	tcp  *TCPServer
	wg   sync.WaitGroup
}

func startDeadDNS() (*deadDNSServer, error) {
	pc, ln, err := listenUDPAndTCP("127.0.0.1")
	if err != nil {
		return nil, err
	}
	s := &deadDNSServer{addr: ln.Addr().String(), pc: pc}
	s.tcp = serveListener(ln, func(c net.Conn, _ <-chan struct{}) { holdSilently(c) })
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		buf := make([]byte, 65536)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil && errors.Is(err, net.ErrClosed) {
				return
			}
		}
	}()
	return s, nil
}

func (s *deadDNSServer) Close() {
	s.pc.Close()
	s.tcp.Close()
	s.wg.Wait()
}
