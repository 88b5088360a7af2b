package perf

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
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
func CPUPressure() string {
	b, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return "?"
	}
	for _, f := range strings.Fields(string(b)) {
		if v, ok := strings.CutPrefix(f, "avg60="); ok {
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
