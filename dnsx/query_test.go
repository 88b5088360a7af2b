package dnsx

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestTruncatedRetriesOverTCP(t *testing.T) {
	s := startServer(t, "big.example.test. 300 IN A 192.0.2.1")
	// Over UDP the server claims truncation and sends a decoy address;
	// only TCP gets the real one.
	s.configure(func() {
		s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool {
			if !isTCP(w) {
				resp.Truncated = true
				resp.Answer = []dns.RR{mustRR(t, "big.example.test. 300 IN A 192.0.2.66")}
			}
			return true
		}
	})
	r := newTestResolver(t, s.Addr)
	ans, err := r.Query(testContext(t), "big.example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Truncated || !ans.UsedTCP {
		t.Errorf("Truncated=%v UsedTCP=%v, want both", ans.Truncated, ans.UsedTCP)
	}
	if got := ans.Records[0].(*dns.A).A.String(); got != "192.0.2.1" {
		t.Errorf("address %s, want the TCP answer 192.0.2.1", got)
	}
	if s.count("udp", "big.example.test", dns.TypeA) != 1 || s.count("tcp", "big.example.test", dns.TypeA) != 1 {
		t.Errorf("want one UDP and one TCP query")
	}
}

func TestQueryUsesEDNS(t *testing.T) {
	s := startServer(t, "example.test. 300 IN A 192.0.2.1")
	var bufsize uint16
	s.configure(func() {
		s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool {
			if opt := req.IsEdns0(); opt != nil {
				bufsize = opt.UDPSize()
			}
			return true
		}
	})
	r := newTestResolver(t, s.Addr)
	if _, err := r.Query(testContext(t), "example.test", dns.TypeA); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if bufsize != EDNSBufSize {
		t.Errorf("EDNS0 buffer size %d, want %d", bufsize, EDNSBufSize)
	}
}

func TestFormErrRetriesWithoutEDNS(t *testing.T) {
	s := startServer(t, "old.example.test. 300 IN A 192.0.2.1")
	s.configure(func() {
		s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool {
			if req.IsEdns0() != nil {
				resp.Answer = nil
				resp.Rcode = dns.RcodeFormatError
			}
			return true
		}
	})
	r := newTestResolver(t, s.Addr)
	ans, err := r.Query(testContext(t), "old.example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Records) != 1 {
		t.Errorf("records %v", ans.Records)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	r, err := New(Options{Server: silentServer(t), Timeout: 50 * time.Millisecond, Attempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Query(testContext(t), "example.test", dns.TypeA)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	var de *Error
	if !errors.As(err, &de) || !de.Timeout() || de.Name != "example.test" || de.Qtype != "A" {
		t.Errorf("error = %+v", de)
	}
	if got := r.Stats().Queries; got != 2 {
		t.Errorf("%d queries sent, want one per attempt (2)", got)
	}
}

func TestContextEndsLookup(t *testing.T) {
	// The per-query timeout is long; only the context can end the lookup.
	newResolver := func(t *testing.T) *Resolver {
		r, err := New(Options{Server: silentServer(t), Timeout: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	t.Run("deadline", func(t *testing.T) {
		r := newResolver(t)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := r.LookupHost(ctx, "example.test")
		if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrTimeout wrapping context.DeadlineExceeded", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		r := newResolver(t)
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			// Cancel once the query is on the wire.
			for r.Stats().Queries < 1 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, err := r.LookupMX(ctx, "example.test")
		if !errors.Is(err, ErrCanceled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want ErrCanceled wrapping context.Canceled", err)
		}
	})
}

func TestRcodesDistinguished(t *testing.T) {
	s := startServer(t, "ok.example.test. 300 IN A 192.0.2.1")
	s.setRcode("servfail.example.test.", dns.RcodeServerFailure)
	s.setRcode("refused.example.test.", dns.RcodeRefused)
	s.setRcode("notimp.example.test.", dns.RcodeNotImplemented)
	r := newTestResolver(t, s.Addr)
	tests := []struct {
		name     string
		want     error
		kind     Kind
		rcode    int
		notFound bool
		message  string
	}{
		{"missing.example.test", ErrNXDomain, NXDomain, dns.RcodeNameError, true,
			"missing.example.test: no such domain (NXDOMAIN) from " + s.Addr},
		{"ok.example.test", ErrNoData, NoData, dns.RcodeSuccess, true,
			"ok.example.test: no MX records (NODATA) from " + s.Addr},
		{"servfail.example.test", ErrServFail, ServFail, dns.RcodeServerFailure, false,
			"servfail.example.test: the DNS server could not answer (SERVFAIL) from " + s.Addr},
		{"refused.example.test", ErrRefused, Refused, dns.RcodeRefused, false,
			"refused.example.test: the DNS server refused to answer (REFUSED) from " + s.Addr},
		{"notimp.example.test", nil, OtherRcode, dns.RcodeNotImplemented, false,
			"notimp.example.test: DNS error NOTIMP from " + s.Addr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Query(testContext(t), tt.name, dns.TypeMX)
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if de.Kind != tt.kind || de.Rcode != tt.rcode || de.Server != s.Addr {
				t.Errorf("Kind=%v Rcode=%d Server=%q", de.Kind, de.Rcode, de.Server)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.want)
			}
			for _, other := range []error{ErrNXDomain, ErrNoData, ErrServFail, ErrRefused, ErrTimeout} {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("errors.Is(%v, %v) = true", err, other)
				}
			}
			if IsNotFound(err) != tt.notFound {
				t.Errorf("IsNotFound = %v", !tt.notFound)
			}
			if err.Error() != tt.message {
				t.Errorf("message %q\n         want %q", err.Error(), tt.message)
			}
		})
	}
}

func TestFallbackToNextServer(t *testing.T) {
	tests := []struct {
		name  string
		first func(t *testing.T) (addr string, count func() int)
	}{
		{"servfail", func(t *testing.T) (string, func() int) {
			s := startServer(t)
			s.setRcode("example.test.", dns.RcodeServerFailure)
			return s.Addr, func() int { return s.count("", "example.test", dns.TypeA) }
		}},
		{"refused", func(t *testing.T) (string, func() int) {
			s := startServer(t)
			s.setRcode("example.test.", dns.RcodeRefused)
			return s.Addr, func() int { return s.count("", "example.test", dns.TypeA) }
		}},
		{"silent", func(t *testing.T) (string, func() int) {
			return silentServer(t), func() int { return 1 }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, firstCount := tt.first(t)
			second := startServer(t, "example.test. 300 IN A 192.0.2.1")
			r := newTestResolver(t, first, second.Addr)
			if got := r.Servers(); !reflect.DeepEqual(got, []string{first, second.Addr}) {
				t.Fatalf("Servers() = %v", got)
			}
			ans, err := r.Query(testContext(t), "example.test", dns.TypeA)
			if err != nil {
				t.Fatal(err)
			}
			if ans.Server != second.Addr {
				t.Errorf("answer from %s, want the second server %s", ans.Server, second.Addr)
			}
			if firstCount() != 1 {
				t.Errorf("first server asked %d times, want 1", firstCount())
			}
		})
	}
}

func TestAllServersFailReturnsLastError(t *testing.T) {
	a := startServer(t)
	a.setRcode("example.test.", dns.RcodeServerFailure)
	b := startServer(t)
	b.setRcode("example.test.", dns.RcodeRefused)
	r := newTestResolver(t, a.Addr, b.Addr)
	_, err := r.Query(testContext(t), "example.test", dns.TypeA)
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("err = %v, want REFUSED from the last server", err)
	}
	// Two attempts through both servers.
	if a.count("", "example.test", dns.TypeA) != 2 || b.count("", "example.test", dns.TypeA) != 2 {
		t.Errorf("queries: a=%d b=%d, want 2 each", a.count("", "example.test", dns.TypeA), b.count("", "example.test", dns.TypeA))
	}
}

func TestCNAMEChain(t *testing.T) {
	records := []string{
		"mail.example.test. 300 IN CNAME Alias1.example.test.",
		"alias1.example.test. 300 IN CNAME alias2.example.test.",
		"alias2.example.test. 300 IN A 192.0.2.7",
		"dangling.example.test. 300 IN CNAME gone.example.test.",
	}
	for _, chase := range []bool{true, false} {
		name := "server follows"
		if !chase {
			name = "we follow"
		}
		t.Run(name, func(t *testing.T) {
			s := startServer(t, records...)
			s.configure(func() { s.noChase = !chase })
			r := newTestResolver(t, s.Addr)
			ans, err := r.Query(testContext(t), "mail.example.test", dns.TypeA)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"alias1.example.test", "alias2.example.test"}; !reflect.DeepEqual(ans.CNAMEs, want) {
				t.Errorf("CNAMEs %v, want %v", ans.CNAMEs, want)
			}
			if ans.Name != "alias2.example.test" || len(ans.Records) != 1 {
				t.Errorf("Name %q Records %v", ans.Name, ans.Records)
			}
			addrs, err := r.LookupHost(testContext(t), "mail.example.test")
			if err != nil || len(addrs) != 1 || addrs[0].String() != "192.0.2.7" {
				t.Errorf("LookupHost = %v, %v", addrs, err)
			}
			_, err = r.LookupHost(testContext(t), "dangling.example.test")
			if !errors.Is(err, ErrNXDomain) {
				t.Errorf("dangling alias: err = %v, want NXDOMAIN", err)
			}
		})
	}
}

func TestCNAMELoop(t *testing.T) {
	tests := []struct {
		name    string
		records []string
		noChase bool
	}{
		{"in one answer", []string{
			"a.example.test. 300 IN CNAME b.example.test.",
			"b.example.test. 300 IN CNAME a.example.test.",
		}, false},
		{"across answers", []string{
			"a.example.test. 300 IN CNAME b.example.test.",
			"b.example.test. 300 IN CNAME c.example.test.",
			"c.example.test. 300 IN CNAME a.example.test.",
		}, true},
		{"too long", func() []string {
			var rrs []string
			for i := 0; i < MaxCNAMEHops+2; i++ {
				rrs = append(rrs, fmt.Sprintf("a%d.example.test. 300 IN CNAME a%d.example.test.", i, i+1))
			}
			return rrs
		}(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, tt.records...)
			s.configure(func() { s.noChase = tt.noChase })
			r := newTestResolver(t, s.Addr)
			first := strings.Fields(tt.records[0])[0]
			_, err := r.LookupHost(testContext(t), first)
			if !errors.Is(err, ErrCNAMELoop) {
				t.Fatalf("err = %v, want ErrCNAMELoop", err)
			}
		})
	}
}

func TestADBit(t *testing.T) {
	for _, ad := range []bool{true, false} {
		s := startServer(t, "example.test. 300 IN A 192.0.2.1")
		s.configure(func() { s.ad = ad })
		var asked bool
		s.configure(func() {
			s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool {
				asked = req.AuthenticatedData
				return true
			}
		})
		r := newTestResolver(t, s.Addr)
		ans, err := r.Query(testContext(t), "example.test", dns.TypeA)
		if err != nil {
			t.Fatal(err)
		}
		if ans.AD != ad {
			t.Errorf("AD = %v, want %v", ans.AD, ad)
		}
		s.mu.Lock()
		if !asked {
			t.Error("query did not set AD to ask for the validation verdict")
		}
		s.mu.Unlock()
	}
}

func TestMismatchedAnswer(t *testing.T) {
	// Over UDP a mismatched answer may be a forgery: it is skipped and the
	// real one awaited (here in vain). Over TCP it can only be the
	// server's doing: the answer is malformed.
	tests := []struct {
		network string
		want    error
	}{
		{"udp", ErrTimeout},
		{"tcp", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.network, func(t *testing.T) {
			s := startServer(t, "example.test. 300 IN A 192.0.2.1")
			s.configure(func() {
				s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool {
					if tt.network == "tcp" && !isTCP(w) {
						resp.Truncated = true
						return true
					}
					resp.Question[0].Name = "other.test."
					return true
				}
			})
			r, err := New(Options{Server: s.Addr, Timeout: 100 * time.Millisecond, Attempts: 1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Query(testContext(t), "example.test", dns.TypeA)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestQueryReturnsPrivateCopy(t *testing.T) {
	s := startServer(t, "example.test. 300 IN A 192.0.2.1")
	r := newTestResolver(t, s.Addr)
	ans, err := r.Query(testContext(t), "example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	ans.Records[0].(*dns.A).A[3] = 99
	ans.Msg.Answer = nil
	again, err := r.Query(testContext(t), "example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Cached || again.Records[0].(*dns.A).A.String() != "192.0.2.1" || len(again.Msg.Answer) != 1 {
		t.Errorf("cached answer was changed through an earlier Answer: %v", again.Msg.Answer)
	}
}

func mustRR(t testing.TB, s string) dns.RR {
	t.Helper()
	rr, err := dns.NewRR(s)
	if err != nil {
		t.Fatal(err)
	}
	return rr
}

func TestBrokenAnswers(t *testing.T) {
	packed := func(t *testing.T, m *dns.Msg) []byte {
		b, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		hook func(t *testing.T, w dns.ResponseWriter, resp *dns.Msg) bool
		want error // nil: the real answer gets through
	}{
		{"garbled datagram before the answer", func(t *testing.T, w dns.ResponseWriter, resp *dns.Msg) bool {
			b := packed(t, resp)
			w.Write(b[:len(b)-3]) // same ID, cut short
			w.Write([]byte{1, 2, 3})
			return true
		}, nil},
		{"garbled answer over TCP", func(t *testing.T, w dns.ResponseWriter, resp *dns.Msg) bool {
			if !isTCP(w) {
				resp.Truncated = true
				return true
			}
			b := packed(t, resp)
			w.Write(b[:len(b)-3])
			return false
		}, ErrMalformed},
		{"TCP closed without an answer", func(t *testing.T, w dns.ResponseWriter, resp *dns.Msg) bool {
			if !isTCP(w) {
				resp.Truncated = true
				return true
			}
			w.Close()
			return false
		}, ErrNetwork},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, "example.test. 300 IN A 192.0.2.1")
			s.configure(func() {
				s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool { return tt.hook(t, w, resp) }
			})
			r, err := New(Options{Server: s.Addr, Timeout: time.Second, Attempts: 1})
			if err != nil {
				t.Fatal(err)
			}
			ans, err := r.Query(testContext(t), "example.test", dns.TypeA)
			if tt.want == nil {
				if err != nil || len(ans.Records) != 1 {
					t.Fatalf("got %v, %v; want the answer", ans, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
