package dnsx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestHealthVerdicts(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	const srv = "192.0.2.53:53"
	tests := []struct {
		name  string
		steps func(h *health) // events in order
		when  time.Time       // asked at
		alive bool
	}{
		{"new server", func(h *health) {}, at(0), true},
		{"two timeouts are not enough", func(h *health) {
			h.timedOut(srv, at(0), at(2000))
			h.timedOut(srv, at(0), at(2000))
		}, at(2000), true},
		{"three timeouts in a row", func(h *health) {
			for range 3 {
				h.timedOut(srv, at(0), at(2000))
			}
		}, at(2001), false},
		{"an answer in between clears the count", func(h *health) {
			h.timedOut(srv, at(0), at(2000))
			h.timedOut(srv, at(0), at(2000))
			h.answered(srv, at(2100))
			h.timedOut(srv, at(2200), at(4200))
		}, at(4201), true},
		{"timeouts of queries sent before an answer do not count", func(h *health) {
			h.answered(srv, at(50)) // a later, easier question was answered
			for range 5 {
				h.timedOut(srv, at(0), at(2000))
			}
		}, at(2001), true},
		{"dead for DeadFor only", func(h *health) {
			for range 3 {
				h.timedOut(srv, at(0), at(2000))
			}
		}, at(2000 + 10000), true},
		{"an answer revives a dead server", func(h *health) {
			for range 3 {
				h.timedOut(srv, at(0), at(2000))
			}
			h.answered(srv, at(2500))
		}, at(2600), true},
		{"reset revives every server", func(h *health) {
			for range 3 {
				h.timedOut(srv, at(0), at(2000))
			}
			h.reset()
		}, at(2001), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHealth(3, 10*time.Second)
			tt.steps(h)
			if _, alive := h.check(srv, tt.when); alive != tt.alive {
				t.Errorf("alive = %v, want %v", alive, tt.alive)
			}
		})
	}
}

// lookupsAtOnce runs one A lookup per name concurrently and returns their errors.
func lookupsAtOnce(r *Resolver, names ...string) []error {
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() { _, errs[i] = r.Query(context.Background(), n, dns.TypeA) })
	}
	wg.Wait()
	return errs
}

func TestSilentServerIsDeclaredNotAnswering(t *testing.T) {
	r, err := New(Options{Server: silentServer(t), Timeout: 50 * time.Millisecond, Attempts: 2, DeadAfter: 3})
	if err != nil {
		t.Fatal(err)
	}
	errs := lookupsAtOnce(r, "a.example.test", "b.example.test", "c.example.test")
	// The third timeout makes the server dead: second attempts already
	// sent give up, those not yet sent are not.
	for _, err := range errs {
		if !errors.Is(err, ErrNotAnswering) || !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrNotAnswering and ErrTimeout", err)
		}
	}
	sent := r.Stats().Queries
	if sent >= 6 {
		t.Errorf("%d queries sent, want fewer than two attempts each", sent)
	}
	_, err = r.Query(context.Background(), "d.example.test", dns.TypeA)
	if !errors.Is(err, ErrNotAnswering) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrNotAnswering and ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "is not answering") {
		t.Errorf("message %q does not say the server is not answering", err)
	}
	if got := r.Stats().Queries; got != sent {
		t.Errorf("%d queries sent, want still %d: a dead server is not asked", got, sent)
	}

	r.ResetHealth()
	_, err = r.Query(context.Background(), "e.example.test", dns.TypeA)
	if errors.Is(err, ErrNotAnswering) || !errors.Is(err, ErrTimeout) {
		t.Errorf("after ResetHealth: err = %v, want a plain timeout", err)
	}
	if got := r.Stats().Queries; got <= sent {
		t.Errorf("after ResetHealth no query was sent")
	}
}

func TestWaitingQueriesGiveUpWhenTheServerIsDeclaredDead(t *testing.T) {
	server := silentServer(t)
	r, err := New(Options{Server: server, Timeout: time.Hour, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := r.Query(testContext(t), "example.test", dns.TypeA)
		done <- err
	}()
	for r.Stats().Queries < 1 {
		time.Sleep(time.Millisecond)
	}
	now := time.Now()
	for range DefaultDeadAfter {
		r.health.timedOut(server, now.Add(-time.Minute), now)
	}
	if err := <-done; !errors.Is(err, ErrNotAnswering) {
		t.Fatalf("err = %v, want ErrNotAnswering", err)
	}
}

func TestDeadServerIsSkippedForTheNext(t *testing.T) {
	silent := silentServer(t)
	good := startServer(t)
	for i := range 5 {
		good.add(t, fmt.Sprintf("n%d.example.test. 300 IN A 192.0.2.%d", i, i+1))
	}
	r, err := New(Options{Server: silent + "," + good.Addr, Timeout: 50 * time.Millisecond, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range lookupsAtOnce(r, "n0.example.test", "n1.example.test", "n2.example.test") {
		if err != nil {
			t.Fatalf("the second server should answer: %v", err)
		}
	}
	before := r.Stats().Queries
	ans, err := r.Query(context.Background(), "n3.example.test", dns.TypeA)
	if err != nil || ans.Server != good.Addr {
		t.Fatalf("answer %+v, err %v: want one from %s", ans, err, good.Addr)
	}
	if sent := r.Stats().Queries - before; sent != 1 {
		t.Errorf("%d queries for one look-up, want 1: the silent server is skipped", sent)
	}
}

func TestHardQuestionsDoNotKillALiveServer(t *testing.T) {
	s := startServer(t, "easy.example.test. 300 IN A 192.0.2.1")
	s.configure(func() {
		s.hook = func(w dns.ResponseWriter, req, resp *dns.Msg) bool {
			return !strings.HasPrefix(req.Question[0].Name, "hard")
		}
	})
	r, err := New(Options{Server: s.Addr, Timeout: 100 * time.Millisecond, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() { r.Query(context.Background(), fmt.Sprintf("hard%d.example.test", i), dns.TypeA) })
	}
	// The easy question is sent after the hard ones and answered at once.
	for r.Stats().Queries < 4 {
		time.Sleep(time.Millisecond)
	}
	if _, err := r.Query(context.Background(), "easy.example.test", dns.TypeA); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if _, alive := r.health.check(s.Addr, time.Now()); !alive {
		t.Error("a server that answers easy questions was declared dead over hard ones")
	}
}
