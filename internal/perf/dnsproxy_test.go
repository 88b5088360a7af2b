package perf

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// dnsServer answers every A question with 192.0.2.7, on UDP and TCP.
func dnsServer(t *testing.T) string {
	t.Helper()
	pc, ln, err := listenBoth()
	if err != nil {
		t.Fatal(err)
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: r.Question[0].Name, Rrtype: dns.TypeA,
			Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP("192.0.2.7")})
		w.WriteMsg(m)
	})
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: handler}, {Listener: ln, Handler: handler}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe()
		<-started
		t.Cleanup(func() { srv.Shutdown() })
	}
	return pc.LocalAddr().String()
}

func TestDNSProxyForwardsWithDelay(t *testing.T) {
	p, err := StartDNSProxy(dnsServer(t), testRTT)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, tt := range []struct {
		net  string
		rtts time.Duration // at least this many RTTs: TCP adds its connect
	}{{"udp", 1}, {"tcp", 2}} {
		q := new(dns.Msg)
		q.SetQuestion("mail.example.test.", dns.TypeA)
		c := &dns.Client{Net: tt.net, Timeout: 10 * time.Second}
		start := time.Now()
		m, _, err := c.Exchange(q, p.Addr)
		took := time.Since(start)
		if err != nil {
			t.Fatalf("%s: %v", tt.net, err)
		}
		if len(m.Answer) != 1 || m.Answer[0].(*dns.A).A.String() != "192.0.2.7" {
			t.Errorf("%s: answer %v", tt.net, m.Answer)
		}
		if took < tt.rtts*testRTT {
			t.Errorf("%s: answered after %v, want at least %d RTT", tt.net, took, tt.rtts)
		}
	}
	if n := p.Queries(); n != 2 {
		t.Errorf("the proxy counted %d queries, want 2 (one UDP, one TCP)", n)
	}
}
