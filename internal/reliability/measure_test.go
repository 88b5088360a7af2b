package reliability

import (
	"strings"
	"testing"
	"time"
)

// The harness must see what it claims to measure.

func TestLeftBehindSeesALeak(t *testing.T) {
	before := SnapshotGoroutines()
	stop := make(chan struct{})
	go func() { <-stop }()
	if left := LeftBehind(before, 100*time.Millisecond); len(left) != 1 || !strings.Contains(left[0], "TestLeftBehindSeesALeak") {
		t.Fatalf("left behind: %d goroutines, want the one blocked here:\n%s", len(left), strings.Join(left, "\n\n"))
	}
	close(stop)
	if left := LeftBehind(before, 2*time.Second); len(left) != 0 {
		t.Fatalf("%d goroutines left after the leak ended:\n%s", len(left), left[0])
	}
}

func TestLeftBehindIgnoresTestServers(t *testing.T) {
	before := SnapshotGoroutines()
	s, err := Serve("127.0.0.1", func(c netConn) {})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if left := LeftBehind(before, 100*time.Millisecond); len(left) != 0 {
		t.Fatalf("a test server's accept loop counted as a leak:\n%s", left[0])
	}
}

func TestSamplerSeesTheHeapGrow(t *testing.T) {
	s := StartSampler(time.Millisecond, true, true)
	held := make([]byte, 8<<20)
	for i := range held {
		held[i] = byte(i)
	}
	time.Sleep(20 * time.Millisecond)
	p := s.Stop()
	if p.HeapDelta < 8<<20 {
		t.Fatalf("heap delta %d, want at least 8 MiB", p.HeapDelta)
	}
	if p.BaseFDs <= 0 || p.PeakFDs < p.BaseFDs {
		t.Fatalf("descriptors: base %d, peak %d", p.BaseFDs, p.PeakFDs)
	}
	_ = held[len(held)-1]
}

func TestMarkdownMarksFailures(t *testing.T) {
	r := &Results{}
	r.AddRow(Row{Group: "g", Case: "good | case", Expected: "ok", Observed: "ok", Pass: true})
	r.AddRow(Row{Group: "g", Case: "bad", Expected: "ok", Observed: "timeout", Pass: false})
	md := string(r.Markdown(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)))
	for _, want := range []string{`good \| case`, "| **FAIL** |", "1 of 2 cases pass.", "on 2026-01-02", "## Load", "Not run."} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
