package perf

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Machine describes where the figures were taken.
type Machine struct {
	CPUs      int
	CPUModel  string
	Kernel    string
	GoVersion string
	Dovecot   string
	Date      time.Time
	// LoadBefore and LoadAfter are /proc/loadavg's 1-minute figure: the
	// runs share the machine with whatever else runs on it.
	LoadBefore, LoadAfter string
	// PressureBefore and PressureAfter are the share of the last minute in
	// which some task waited for a CPU (/proc/pressure/cpu, "some avg60").
	PressureBefore, PressureAfter string
	// Nice is the benchmark's scheduling priority (scripts/bench.sh runs
	// it at -10 as root); the bed's servers inherit it.
	Nice int
	// Commit is `git describe --always --dirty` of the working directory:
	// the engine the figures are of.
	Commit string
	// Rounds is the machine's load during each RTT's round of runs.
	Rounds []RoundLoad `json:",omitempty"`
}

// RoundLoad is how busy the machine was while one RTT's runs took place:
// the 1-minute load average and the CPU pressure of the last 10 s,
// sampled every LoadSampleEvery.
type RoundLoad struct {
	RTT                       time.Duration
	Took                      time.Duration
	LoadMean, LoadMax         float64
	PressureMean, PressureMax float64 // percent of time some task waited for a CPU
}

// LoadSampleEvery is how often a LoadSampler looks.
const LoadSampleEvery = 5 * time.Second

// LoadSampler watches the machine's load until Stop.
type LoadSampler struct {
	rtt   time.Duration
	start time.Time
	stop  chan struct{}
	done  chan RoundLoad
}

// SampleLoad starts watching the load for the round of rtt.
func SampleLoad(rtt time.Duration) *LoadSampler {
	s := &LoadSampler{rtt: rtt, start: time.Now(), stop: make(chan struct{}), done: make(chan RoundLoad, 1)}
	go s.run()
	return s
}

func (s *LoadSampler) run() {
	r := RoundLoad{RTT: s.rtt}
	var loadSum, pressSum float64
	n := 0
	t := time.NewTicker(LoadSampleEvery)
	defer t.Stop()
	for {
		if l, ok := parseFloat(LoadAverage()); ok {
			if p, ok := parseFloat(strings.TrimSuffix(cpuPressure("avg10="), " %")); ok {
				n++
				loadSum, pressSum = loadSum+l, pressSum+p
				r.LoadMax, r.PressureMax = max(r.LoadMax, l), max(r.PressureMax, p)
			}
		}
		select {
		case <-s.stop:
			if n > 0 {
				r.LoadMean, r.PressureMean = loadSum/float64(n), pressSum/float64(n)
			}
			r.Took = time.Since(s.start)
			s.done <- r
			return
		case <-t.C:
		}
	}
}

// Stop ends the watch and sums it up.
func (s *LoadSampler) Stop() RoundLoad {
	close(s.stop)
	return <-s.done
}

func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// CurrentMachine gathers the facts of this machine.
func CurrentMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), Date: time.Now().UTC(),
		LoadBefore: LoadAverage(), PressureBefore: CPUPressure()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	// The raw getpriority(2) value is 20 - nice.
	if raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0); err == nil {
		m.Nice = 20 - raw
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := exec.Command("git", "describe", "--always", "--dirty").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("/usr/sbin/dovecot", "--version").Output(); err == nil {
		m.Dovecot = strings.TrimSpace(string(out))
	}
	return m
}

// CPUPressure is the kernel's CPU pressure over the last minute: the
// percentage of time some runnable task waited for a CPU, or "?".
func CPUPressure() string { return cpuPressure("avg60=") }

// cpuPressure is the "some" line's figure with the given key ("avg10=").
func cpuPressure(key string) string {
	b, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return "?"
	}
	for _, f := range strings.Fields(string(b)) {
		if v, ok := strings.CutPrefix(f, key); ok {
			return v + " %"
		}
	}
	return "?"
}

// LoadAverage is the 1-minute load average, or "?".
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}
