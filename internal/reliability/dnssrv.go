package reliability

import (
	"net"
	"strings"

	"github.com/miekg/dns"
)

// AliasServer is an authoritative DNS server (UDP) that answers each
// question with exactly one hop of its CNAME table and nothing else, as an
// authoritative server does for an alias whose target lies in another
// zone; the resolver must follow the chain itself, and notice a loop.
// Names not in the table answer NXDOMAIN.
type AliasServer struct {
	Addr string
	srv  *dns.Server
}

// StartAliasServer serves aliases (name → target, without final dots).
func StartAliasServer(aliases map[string]string) (*AliasServer, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	table := map[string]string{}
	for k, v := range aliases {
		table[dns.Fqdn(strings.ToLower(k))] = dns.Fqdn(strings.ToLower(v))
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		if len(r.Question) == 1 {
			q := r.Question[0]
			if target, ok := table[strings.ToLower(q.Name)]; ok {
				m.Answer = append(m.Answer, &dns.CNAME{
					Hdr:    dns.RR_Header{Name: q.Name, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 60},
					Target: target,
				})
			} else {
				m.Rcode = dns.RcodeNameError
			}
		}
		w.WriteMsg(m)
	})
	started := make(chan struct{})
	s := &AliasServer{Addr: pc.LocalAddr().String(),
		srv: &dns.Server{PacketConn: pc, Handler: handler, NotifyStartedFunc: func() { close(started) }}}
	failed := make(chan error, 1)
	go func() { failed <- s.srv.ActivateAndServe() }()
	select {
	case <-started:
		return s, nil
	case err := <-failed:
		return nil, err
	}
}

// Close stops the server.
func (s *AliasServer) Close() { s.srv.Shutdown() }
