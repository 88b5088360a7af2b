package reliability

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Goroutines is a snapshot of the process's goroutines: id → stack.
type Goroutines map[int64]string

// SnapshotGoroutines records every goroutine with its stack.
func SnapshotGoroutines() Goroutines {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := Goroutines{}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		head, _, _ := strings.Cut(string(g), " [")
		id, err := strconv.ParseInt(strings.TrimPrefix(head, "goroutine "), 10, 64)
		if err == nil {
			out[id] = string(g)
		}
	}
	return out
}

// serverSide marks stacks of the servers the tests run in this process:
// they belong to the test bed, not to the engine under test, and end on
// their own schedule.
var serverSide = []string{
	"mailsetup/internal/testbed.",
	"mailsetup/internal/reliability.(*Server)",
	"mailsetup/internal/reliability.(*StripProxy)",
	"net/http.(*conn).serve",
	"net/http.(*Server).Serve",
	"github.com/miekg/dns.(*Server)",
	// The process's signal watcher, started by the first signal.Notify
	// (the command line's Ctrl-C handling) and kept for good.
	"os/signal.loop",
}

func isServerSide(stack string) bool {
	for _, s := range serverSide {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}

// LeftBehind waits up to within for the goroutines started since before
// to end, ignoring the test servers' own, and returns the stacks of those
// still alive.
func LeftBehind(before Goroutines, within time.Duration) []string {
	deadline := time.Now().Add(within)
	for {
		var left []string
		for id, stack := range SnapshotGoroutines() {
			if _, old := before[id]; !old && !isServerSide(stack) {
				left = append(left, stack)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// OpenFDs counts the process's open file descriptors (Linux), or -1.
func OpenFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// Sampler records the peak of the heap in use, the goroutine count and the
// open descriptors while it runs.
type Sampler struct {
	stop chan struct{}
	done chan struct{}

	mu         sync.Mutex
	baseHeap   uint64
	peakHeap   uint64
	peakGo     int
	peakFDs    int
	baseGo     int
	baseFDs    int
	sampleFDs  bool
	sampleHeap bool
}

// StartSampler collects garbage, takes the baseline and samples every
// interval until Stop. Heap sampling stops the world briefly; descriptor
// counting reads /proc: each can be turned off.
func StartSampler(interval time.Duration, heap, fds bool) *Sampler {
	runtime.GC()
	s := &Sampler{stop: make(chan struct{}), done: make(chan struct{}), sampleHeap: heap, sampleFDs: fds}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s.baseHeap, s.peakHeap = ms.HeapInuse, ms.HeapInuse
	s.baseGo, s.peakGo = runtime.NumGoroutine(), runtime.NumGoroutine()
	if fds {
		s.baseFDs = OpenFDs()
		s.peakFDs = s.baseFDs
	}
	go s.loop(interval)
	return s
}

func (s *Sampler) loop(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.sample()
		select {
		case <-s.stop:
			s.sample()
			return
		case <-t.C:
		}
	}
}

func (s *Sampler) sample() {
	var heap uint64
	if s.sampleHeap {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = ms.HeapInuse
	}
	g := runtime.NumGoroutine() - 1 // the sampler itself
	fds := 0
	if s.sampleFDs {
		fds = OpenFDs()
	}
	s.mu.Lock()
	s.peakHeap = max(s.peakHeap, heap)
	s.peakGo = max(s.peakGo, g)
	s.peakFDs = max(s.peakFDs, fds)
	s.mu.Unlock()
}

// Peaks are what a Sampler saw.
type Peaks struct {
	HeapDelta          uint64 // peak heap in use minus the baseline, bytes
	BaseGoroutines     int
	PeakGoroutines     int
	BaseFDs, PeakFDs   int
	HeapBase, HeapPeak uint64
}

// Stop ends sampling and returns the peaks.
func (s *Sampler) Stop() Peaks {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	p := Peaks{BaseGoroutines: s.baseGo, PeakGoroutines: s.peakGo, BaseFDs: s.baseFDs, PeakFDs: s.peakFDs,
		HeapBase: s.baseHeap, HeapPeak: s.peakHeap}
	if s.peakHeap > s.baseHeap {
		p.HeapDelta = s.peakHeap - s.baseHeap
	}
	return p
}
