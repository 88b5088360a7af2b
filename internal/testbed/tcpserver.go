package testbed

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
)

// TCPServer accepts connections and hands each to handle in a goroutine of
// its own. Close stops accepting, closes every open connection and waits
// for the handlers, so nothing outlives the test.
type TCPServer struct {
	ln       net.Listener
	handle   func(c net.Conn, done <-chan struct{})
	done     chan struct{}
	wg       sync.WaitGroup
	accepted atomic.Int64

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	once   sync.Once
}

// ServeTCP listens on addr ("ip:0" for a random port) and serves handle.
// The handler need not close the connection; done closes when the server
// stops, for handlers that wait. The reliability harness builds its fault
// servers on it too.
func ServeTCP(addr string, handle func(c net.Conn, done <-chan struct{})) (*TCPServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return serveListener(ln, handle), nil
}

func serveListener(ln net.Listener, handle func(c net.Conn, done <-chan struct{})) *TCPServer {
	s := &TCPServer{ln: ln, handle: handle, done: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.acceptLoop()
	return s
}

// Addr is the actual "ip:port".
func (s *TCPServer) Addr() string { return s.ln.Addr().String() }

func (s *TCPServer) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		s.accepted.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				c.Close()
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
			}()
			s.handle(c, s.done)
		}()
	}
}

// Close stops the server and waits for its handlers.
func (s *TCPServer) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		s.ln.Close()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

// holdSilently reads and discards until the peer or the server closes c.
func holdSilently(c net.Conn) {
	buf := make([]byte, 4096)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}
