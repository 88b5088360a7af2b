package dnsx

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// fakeClock is the cache's clock in tests: it moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func withFakeClock(r *Resolver) *fakeClock {
	c := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	r.now = c.Now
	return c
}

func TestCacheHonoursTTL(t *testing.T) {
	s := startServer(t,
		"short.example.test. 60 IN A 192.0.2.1",
		"long.example.test. 86400 IN A 192.0.2.2",
		"nodata.example.test. 60 IN TXT \"x\"",
		"soa.example.test. 60 IN TXT \"x\"",
	)
	s.configure(func() {
		s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool {
			if req.Question[0].Name == "soa.example.test." {
				resp.Ns = []dns.RR{mustRR(t, "example.test. 3600 IN SOA ns.example.test. host.example.test. 1 7200 3600 1209600 10")}
			}
			return true
		}
	})
	s.setRcode("servfail.example.test.", dns.RcodeServerFailure)
	tests := []struct {
		name      string
		qtype     uint16
		stillUsed time.Duration // the answer is reused this long after…
		expired   time.Duration // …and asked again after this
	}{
		{"short.example.test", dns.TypeA, 59 * time.Second, 60 * time.Second},
		{"long.example.test", dns.TypeA, MaxCacheTTL - time.Second, MaxCacheTTL},
		{"missing.example.test", dns.TypeA, NegativeCacheTTL - time.Second, NegativeCacheTTL},
		{"nodata.example.test", dns.TypeA, NegativeCacheTTL - time.Second, NegativeCacheTTL},
		{"soa.example.test", dns.TypeA, 9 * time.Second, 10 * time.Second},
		{"servfail.example.test", dns.TypeA, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestResolver(t, s.Addr)
			clock := withFakeClock(r)
			ctx := testContext(t)
			ask := func() int {
				r.Query(ctx, tt.name, tt.qtype)
				return int(r.Stats().Queries)
			}
			first := ask()
			if first == 0 {
				t.Fatal("no query sent")
			}
			if tt.expired == 0 { // failures are not cached
				if again := ask(); again != 2*first {
					t.Errorf("second ask sent %d queries in all, want %d", again, 2*first)
				}
				return
			}
			clock.Advance(tt.stillUsed)
			if n := ask(); n != first {
				t.Errorf("after %v: %d queries, want the cached answer", tt.stillUsed, n)
			}
			clock.Advance(tt.expired - tt.stillUsed)
			if n := ask(); n != first+1 {
				t.Errorf("after %v: %d queries, want a new one", tt.expired, n)
			}
		})
	}
}

func TestConcurrentLookupsShareOneQuery(t *testing.T) {
	s := startServer(t,
		"mail.example.test. 300 IN A 192.0.2.1",
		"mail.example.test. 300 IN AAAA 2001:db8::1",
	)
	gate := make(chan struct{})
	s.configure(func() { s.gate = gate })
	r := newTestResolver(t, s.Addr)
	ctx := testContext(t)

	const callers = 10
	results := make([][]netip.Addr, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { results[i], errs[i] = r.LookupHost(ctx, "mail.example.test") })
	}
	// Hold the answers until every caller waits on the two flights.
	for r.Stats().Shared < 2*(callers-1) && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	close(gate)
	wg.Wait()

	want := []netip.Addr{netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("192.0.2.1")}
	for i := range callers {
		if errs[i] != nil || !reflect.DeepEqual(results[i], want) {
			t.Errorf("caller %d: %v, %v", i, results[i], errs[i])
		}
	}
	for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
		if n := s.count("", "mail.example.test", qtype); n != 1 {
			t.Errorf("%s queries: %d, want 1", qtypeName(qtype), n)
		}
	}
	// Later callers are served from the cache.
	if _, err := r.LookupHost(ctx, "mail.example.test"); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Queries != 2 || st.CacheHits != 2 {
		t.Errorf("stats %+v, want 2 queries and 2 cache hits", st)
	}
}

func TestWaiterGivingUpDoesNotFailOthers(t *testing.T) {
	s := startServer(t, "example.test. 300 IN A 192.0.2.1")
	gate := make(chan struct{})
	s.configure(func() { s.gate = gate })
	r := newTestResolver(t, s.Addr)

	impatient, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := r.Query(impatient, "example.test", dns.TypeA)
		done <- err
	}()
	for r.Stats().Queries == 0 {
		time.Sleep(time.Millisecond)
	}
	patient := make(chan error)
	go func() {
		_, err := r.Query(testContext(t), "example.test", dns.TypeA)
		patient <- err
	}()
	for r.Stats().Shared == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("impatient caller: %v, want context.Canceled", err)
	}
	close(gate)
	if err := <-patient; err != nil {
		t.Errorf("patient caller: %v", err)
	}
	if n := s.count("", "example.test", dns.TypeA); n != 1 {
		t.Errorf("%d queries, want 1", n)
	}
}

func TestAbandonedFlightIsCanceled(t *testing.T) {
	r, err := New(Options{Server: silentServer(t), Timeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := r.Query(ctx, "example.test", dns.TypeA)
		done <- err
	}()
	for r.Stats().Queries == 0 {
		time.Sleep(time.Millisecond)
	}
	r.flights.mu.Lock()
	f := r.flights.m[cacheKey{"example.test.", dns.TypeA}]
	r.flights.mu.Unlock()
	if f == nil {
		t.Fatal("no flight for the query")
	}
	cancel()
	<-done
	// Without its last waiter the flight stops instead of waiting an hour.
	select {
	case <-f.done:
	case <-testContext(t).Done():
		t.Fatal("abandoned flight still running")
	}
	if !errors.Is(f.err, ErrCanceled) {
		t.Errorf("flight ended with %v, want ErrCanceled", f.err)
	}
}

func TestCacheEvictsAtCapacity(t *testing.T) {
	c := newCache(2)
	now := time.Now()
	msg := new(dns.Msg)
	msg.Answer = []dns.RR{mustRR(t, "example.test. 60 IN A 192.0.2.1")}
	resp := &response{msg: msg}
	for _, name := range []string{"a.", "b.", "c."} {
		c.put(cacheKey{name, dns.TypeA}, resp, now)
	}
	if len(c.entries) != 2 {
		t.Errorf("%d entries, want the cap of 2", len(c.entries))
	}
	if _, ok := c.get(cacheKey{"c.", dns.TypeA}, now); !ok {
		t.Error("newest entry missing")
	}
}

func BenchmarkLookupHostCached(b *testing.B) {
	s := startServer(b,
		"mail.example.test. 300 IN A 192.0.2.1",
		"mail.example.test. 300 IN AAAA 2001:db8::1",
	)
	r := newTestResolver(b, s.Addr)
	ctx := context.Background()
	if _, err := r.LookupHost(ctx, "mail.example.test"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.LookupHost(ctx, "mail.example.test"); err != nil {
			b.Fatal(err)
		}
	}
}
