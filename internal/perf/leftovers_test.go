package perf

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSnapshotSeesNewSocketsAndGoroutines(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	before := TakeSnapshot()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	stop := make(chan struct{})
	defer close(stop)
	started := make(chan struct{})
	go lingering(started, stop)
	<-started

	names := map[string]string{ln.Addr().String(): "127.0.0.9:993"}
	gs, socks, what := TakeSnapshot().Since(before, names)
	if gs != 1 || socks != 1 {
		t.Errorf("new since the snapshot: %d goroutines, %d sockets; want 1 and 1: %q", gs, socks, what)
	}
	all := strings.Join(what, "\n")
	if !strings.Contains(all, "perf.TestSnapshotSeesNewSocketsAndGoroutines") {
		t.Errorf("the goroutine's creator is not named:\n%s", all)
	}
	if !strings.Contains(all, "→ 127.0.0.9:993 ESTABLISHED") {
		t.Errorf("the socket is not described with the standard address:\n%s", all)
	}
	c.Close()
	if _, socks, what := TakeSnapshot().Since(before, names); socks != 0 {
		t.Errorf("a closed connection still counts: %q", what)
	}
}

func lingering(started, stop chan struct{}) {
	close(started)
	<-stop
}

func TestProcAddr(t *testing.T) {
	for in, want := range map[string]string{
		"0100007F:0050":                         "127.0.0.1:80",
		"0A00007F:03E1":                         "127.0.0.10:993",
		"00000000000000000000000001000000:01BB": "[::1]:443",
		"nonsense":                              "nonsense",
	} {
		if got := procAddr(in); got != want {
			t.Errorf("procAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadSampler(t *testing.T) {
	s := SampleLoad(50 * time.Millisecond)
	time.Sleep(10 * time.Millisecond)
	r := s.Stop()
	if r.RTT != 50*time.Millisecond || r.Took < 10*time.Millisecond {
		t.Errorf("round %+v", r)
	}
	if _, err := os.Stat("/proc/pressure/cpu"); err == nil && (r.LoadMax < r.LoadMean || r.LoadMean < 0) {
		t.Errorf("load mean %.2f, max %.2f", r.LoadMean, r.LoadMax)
	}
	if got := roundsText([]RoundLoad{{RTT: 0, LoadMean: 3.25}, {RTT: 200 * time.Millisecond, LoadMean: 12}}); got != ", mean during the 0 ms round 3.2, 200 ms round 12.0" {
		t.Errorf("roundsText = %q", got)
	}
}
