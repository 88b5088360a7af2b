package testbed

import (
	"context"
	"errors"
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestDNSAnswers(t *testing.T) {
	t.Parallel()
	b := Start(t)
	b.AddA("mail.example.test", "127.0.0.42")
	b.AddA("MAIL.example.test.", "127.0.0.43") // case and dot do not matter
	b.AddAAAA("mail.example.test", "::1")
	b.AddMX("example.test", "mx2.example.test", 20)
	b.AddMX("example.test", "mx1.example.test", 10)
	b.AddSRV("_imaps._tcp.example.test", "mail.example.test", 993, 0, 1)
	b.AddSRV("_pop3._tcp.example.test", ".", 0, 0, 0)
	b.AddCNAME("alias.example.test", "mail.example.test")
	b.AddTXT("example.test", "v=spf1 -all")
	b.AddA("servfail.example.test", "127.0.0.44")
	b.AddA("x.broken.test", "127.0.0.45")
	b.SetRcode("broken.test", dns.RcodeRefused)

	tests := []struct {
		name  string
		qtype uint16
		rcode int
		want  []string // answer data, sorted
	}{
		{"mail.example.test", dns.TypeA, dns.RcodeSuccess, []string{"127.0.0.42", "127.0.0.43"}},
		{"mail.example.test", dns.TypeAAAA, dns.RcodeSuccess, []string{"::1"}},
		{"example.test", dns.TypeMX, dns.RcodeSuccess, []string{"10 mx1.example.test.", "20 mx2.example.test."}},
		{"_imaps._tcp.example.test", dns.TypeSRV, dns.RcodeSuccess, []string{"0 1 993 mail.example.test."}},
		{"_pop3._tcp.example.test", dns.TypeSRV, dns.RcodeSuccess, []string{"0 0 0 ."}},
		{"alias.example.test", dns.TypeA, dns.RcodeSuccess, []string{"127.0.0.42", "127.0.0.43", "mail.example.test."}},
		{"example.test", dns.TypeTXT, dns.RcodeSuccess, []string{`"v=spf1 -all"`}},
		{"example.test", dns.TypeSOA, dns.RcodeSuccess, []string{"ns.example.test. hostmaster.example.test. 1 3600 600 86400 60"}},
		{"_tcp.example.test", dns.TypeSRV, dns.RcodeSuccess, nil},          // empty non-terminal: NODATA
		{"mail.example.test", dns.TypeMX, dns.RcodeSuccess, nil},           // NODATA
		{"nothing.example.test", dns.TypeA, dns.RcodeNameError, nil},       // in the zone, unknown
		{"nxdomain.test", dns.TypeA, dns.RcodeNameError, nil},              // no zone at all
		{"servfail.example.test", dns.TypeA, dns.RcodeServerFailure, nil},  // the marker label
		{"a.servfail.other.test", dns.TypeMX, dns.RcodeServerFailure, nil}, // marker anywhere
		{"x.broken.test", dns.TypeA, dns.RcodeRefused, nil},                // SetRcode on an ancestor
	}
	for _, network := range []string{"udp", "tcp"} {
		for _, tt := range tests {
			t.Run(network+"/"+tt.name+"/"+dns.TypeToString[tt.qtype], func(t *testing.T) {
				r := lookup(t, b.DNSAddr, network, tt.name, tt.qtype)
				if r.Rcode != tt.rcode {
					t.Fatalf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[tt.rcode])
				}
				var got []string
				for _, rr := range r.Answer {
					hdr := rr.Header().String()
					got = append(got, strings.TrimSpace(strings.TrimPrefix(rr.String(), hdr)))
				}
				sort.Strings(got)
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Errorf("answer %q, want %q", got, tt.want)
				}
				if tt.rcode == dns.RcodeSuccess && !r.Authoritative {
					t.Error("answer not authoritative")
				}
			})
		}
	}
}

func TestDNSTruncatesOverUDP(t *testing.T) {
	t.Parallel()
	b := Start(t)
	for i := 1; i <= 60; i++ {
		b.AddA("many.example.test", net.IPv4(127, 1, 0, byte(i)).String())
	}
	udp := lookup(t, b.DNSAddr, "udp", "many.example.test", dns.TypeA)
	if !udp.Truncated || len(udp.Answer) >= 60 {
		t.Errorf("UDP: truncated=%v with %d answers, want TC and fewer than 60", udp.Truncated, len(udp.Answer))
	}
	tcp := lookup(t, b.DNSAddr, "tcp", "many.example.test", dns.TypeA)
	if tcp.Truncated || len(tcp.Answer) != 60 {
		t.Errorf("TCP: truncated=%v with %d answers, want all 60", tcp.Truncated, len(tcp.Answer))
	}
}

func TestDeadDNSNeverAnswers(t *testing.T) {
	t.Parallel()
	b := Start(t)
	for _, network := range []string{"udp", "tcp"} {
		m := new(dns.Msg)
		m.SetQuestion("example.test.", dns.TypeA)
		c := &dns.Client{Net: network, Timeout: 300 * time.Millisecond}
		_, _, err := c.Exchange(m, b.DeadDNSAddr())
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("%s: got %v, want a timeout", network, err)
		}
	}
	// The dead server is reachable (it accepts TCP), it only keeps silent.
	c, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", b.DeadDNSAddr())
	if err != nil {
		t.Fatalf("dead DNS does not accept TCP: %v", err)
	}
	c.Close()
}
