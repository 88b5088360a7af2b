package dnsx

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// testServer is an in-process DNS server on 127.0.0.1, UDP and TCP on the
// same random port, answering from a small zone like a recursive resolver.
type testServer struct {
	Addr string

	mu      sync.Mutex
	zone    map[string][]dns.RR // by lower-case FQDN
	rcodes  map[string]int      // forced response codes by FQDN
	counts  map[string]int      // "udp A example.test." → queries seen
	hook    func(w dns.ResponseWriter, req, resp *dns.Msg) bool
	gate    chan struct{} // when set, answers wait until it is closed
	noChase bool          // answer a CNAME without its target's records
	ad      bool          // set the AD bit on answers
}

// startServer serves the records given in zone-file syntax.
func startServer(t testing.TB, records ...string) *testServer {
	t.Helper()
	s := &testServer{zone: map[string][]dns.RR{}, rcodes: map[string]int{}, counts: map[string]int{}}
	for _, text := range records {
		s.add(t, text)
	}
	var pc net.PacketConn
	var ln net.Listener
	for try := 0; ; try++ {
		var err error
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln, err = net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			break
		}
		pc.Close()
		if try == 20 {
			t.Fatalf("no port free for both UDP and TCP: %v", err)
		}
	}
	s.Addr = pc.LocalAddr().String()
	for _, srv := range []*dns.Server{
		{PacketConn: pc, Handler: dns.HandlerFunc(s.serve)},
		{Listener: ln, Handler: dns.HandlerFunc(s.serve)},
	} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe()
		<-started
		t.Cleanup(func() { srv.Shutdown() })
	}
	return s
}

func (s *testServer) add(t testing.TB, text string) {
	t.Helper()
	rr, err := dns.NewRR(text)
	if err != nil {
		t.Fatalf("bad test record %q: %v", text, err)
	}
	name := strings.ToLower(rr.Header().Name)
	s.mu.Lock()
	s.zone[name] = append(s.zone[name], rr)
	s.mu.Unlock()
}

// configure changes the server's behaviour under its lock.
func (s *testServer) configure(change func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change()
}

func (s *testServer) setRcode(name string, rcode int) {
	s.mu.Lock()
	s.rcodes[dns.Fqdn(name)] = rcode
	s.mu.Unlock()
}

// count returns how many queries for name and type arrived over network
// ("udp", "tcp", or "" for both).
func (s *testServer) count(network, name string, qtype uint16) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if network == "" {
		return s.counts[countKey("udp", name, qtype)] + s.counts[countKey("tcp", name, qtype)]
	}
	return s.counts[countKey(network, name, qtype)]
}

func countKey(network, name string, qtype uint16) string {
	return fmt.Sprintf("%s %s %s", network, qtypeName(qtype), dns.Fqdn(strings.ToLower(name)))
}

func isTCP(w dns.ResponseWriter) bool {
	_, ok := w.RemoteAddr().(*net.TCPAddr)
	return ok
}

func (s *testServer) serve(w dns.ResponseWriter, req *dns.Msg) {
	reply, gate := s.answer(w, req)
	if gate != nil {
		<-gate
	}
	if reply != nil {
		w.WriteMsg(reply)
	}
}

// answer counts the query and builds the reply (nil: stay silent).
func (s *testServer) answer(w dns.ResponseWriter, req *dns.Msg) (*dns.Msg, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(req.Question) != 1 {
		return nil, s.gate
	}
	q := req.Question[0]
	network := "udp"
	if isTCP(w) {
		network = "tcp"
	}
	s.counts[countKey(network, q.Name, q.Qtype)]++

	resp := new(dns.Msg)
	resp.SetReply(req)
	resp.RecursionAvailable = true
	resp.AuthenticatedData = s.ad
	if rc, ok := s.rcodes[strings.ToLower(q.Name)]; ok {
		resp.Rcode = rc
	} else {
		s.resolve(resp, strings.ToLower(q.Name), q.Qtype)
	}
	if s.hook != nil && !s.hook(w, req, resp) {
		return nil, s.gate
	}
	return resp, s.gate
}

// resolve fills resp as a recursive resolver would, chasing CNAMEs.
func (s *testServer) resolve(resp *dns.Msg, name string, qtype uint16) {
	for hop := 0; hop < 10; hop++ {
		rrs, exists := s.zone[name]
		if !exists {
			resp.Rcode = dns.RcodeNameError
			return
		}
		var cname *dns.CNAME
		found := false
		for _, rr := range rrs {
			switch {
			case rr.Header().Rrtype == qtype:
				resp.Answer = append(resp.Answer, rr)
				found = true
			case rr.Header().Rrtype == dns.TypeCNAME:
				cname = rr.(*dns.CNAME)
			}
		}
		if found || cname == nil {
			return
		}
		resp.Answer = append(resp.Answer, cname)
		if s.noChase {
			return
		}
		name = strings.ToLower(cname.Target)
	}
}

// newTestResolver returns a resolver for the given servers with short
// timeouts, so that failures are quick.
func newTestResolver(t testing.TB, servers ...string) *Resolver {
	t.Helper()
	r, err := New(Options{Server: strings.Join(servers, ","), Timeout: 300 * time.Millisecond, Attempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// silentServer returns the address of a UDP socket that never answers.
func silentServer(t testing.TB) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String()
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
