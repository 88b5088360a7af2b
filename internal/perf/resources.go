package perf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"mailsetup/assistant"
	"mailsetup/internal/portmap"
)

// Usage is what one discover cost the process that ran it.
type Usage struct {
	Case            string        `json:"case"`
	GoroutinesIdle  int           `json:"goroutines_idle"` // before the discover
	GoroutinesPeak  int           `json:"goroutines_peak"` // most seen during it
	MaxRSSKiB       int64         `json:"max_rss_kib"`     // peak resident set of the whole process
	Took            time.Duration `json:"took"`
	Wrong           string        `json:"wrong,omitempty"`
	BinaryMaxRSSKiB int64         `json:"binary_max_rss_kib"` // `mailsetup discover --json` on the same case
}

// ChildRequest tells an engine-only child process what to discover: the
// child is this same program started with ChildEnv set, so that the
// goroutines and memory it reports are the engine's alone, not the test
// bed's servers'.
type ChildRequest struct {
	Email    string `json:"email"`
	DNS      string `json:"dns"`
	CAFile   string `json:"ca_file"`
	ISPDBURL string `json:"ispdb_url"`
	DialMap  string `json:"dial_map"`
}

// ChildEnv carries a ChildRequest (JSON) to the child.
const ChildEnv = "MAILSETUP_PERF_CHILD"

// RunChild runs the discover a ChildRequest asks for and writes a Usage
// (JSON) to stdout. A program calls it first thing when ChildEnv is set.
func RunChild() error {
	var req ChildRequest
	if err := json.Unmarshal([]byte(os.Getenv(ChildEnv)), &req); err != nil {
		return fmt.Errorf("%s: %w", ChildEnv, err)
	}
	m, err := portmap.Parse(req.DialMap)
	if err != nil {
		return err
	}
	eng, err := assistant.New(assistant.Options{DNS: req.DNS, CAFile: req.CAFile, ISPDBURL: req.ISPDBURL, Timeout: 30 * time.Second,
		Dialer: &portmap.PortMap{Map: m}})
	if err != nil {
		return err
	}
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	u := Usage{GoroutinesIdle: runtime.NumGoroutine()}
	go func() {
		defer close(sampled)
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			if n := int64(runtime.NumGoroutine()); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	rep, err := eng.Discover(context.Background(), req.Email)
	u.Took = time.Since(start)
	close(stop)
	<-sampled
	if err != nil {
		return err
	}
	if !rep.Complete() {
		u.Wrong = "no complete recommendation"
	}
	// The sampler itself is one of the goroutines counted at the peak.
	u.GoroutinesPeak = int(peak.Load()) - 1
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		u.MaxRSSKiB = ru.Maxrss
	}
	return json.NewEncoder(os.Stdout).Encode(u)
}

// MeasureUsage runs c's discover n times in an engine-only child (self
// is this program's path) and, when bin is set, n times through the
// binary's discover command, all straight to the bed (no injected
// latency). It keeps the highest peaks and the median time.
func (e *Env) MeasureUsage(ctx context.Context, self, bin string, c Case, n int) (Usage, error) {
	req := ChildRequest{Email: c.Email, DNS: e.Bed.DNSAddr, CAFile: e.Bed.CAFile,
		ISPDBURL: e.Scenarios.ISPDBURL, DialMap: e.Bed.DialMapEnv()}
	data, _ := json.Marshal(req)
	sum := Usage{Case: c.Name}
	var took []time.Duration
	for range max(n, 1) {
		cmd := exec.CommandContext(ctx, self)
		cmd.Env = append(os.Environ(), ChildEnv+"="+string(data))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return sum, fmt.Errorf("engine child: %w", err)
		}
		var u Usage
		if err := json.Unmarshal(out, &u); err != nil {
			return sum, fmt.Errorf("engine child said %q: %w", out, err)
		}
		sum.GoroutinesIdle = u.GoroutinesIdle
		sum.GoroutinesPeak = max(sum.GoroutinesPeak, u.GoroutinesPeak)
		sum.MaxRSSKiB = max(sum.MaxRSSKiB, u.MaxRSSKiB)
		if u.Wrong != "" {
			sum.Wrong = u.Wrong
		}
		took = append(took, u.Took)
		if bin != "" {
			rss, err := e.binaryRSS(ctx, bin, c)
			if err != nil {
				return sum, err
			}
			sum.BinaryMaxRSSKiB = max(sum.BinaryMaxRSSKiB, rss)
		}
	}
	sum.Took = Percentile(took, 50)
	return sum, nil
}

// binaryRSS runs `bin discover EMAIL --json` against the bed and returns
// its peak resident set.
func (e *Env) binaryRSS(ctx context.Context, bin string, c Case) (int64, error) {
	cmd := exec.CommandContext(ctx, bin, "discover", c.Email, "--json", "--dns", e.Bed.DNSAddr, "--ca", e.Bed.CAFile)
	cmd.Env = append(os.Environ(), portmap.Env+"="+e.Bed.DialMapEnv(), "HOME="+os.TempDir())
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("%s discover %s: %w: %s", bin, c.Email, err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, errors.New("no resource usage for the child")
	}
	return ru.Maxrss, nil
}

// WindowStartup starts bin (no arguments: the window) under a fresh Xvfb
// runs times and returns how long each took from exec until xdotool sees
// its window mapped (polled every 5 ms).
func WindowStartup(ctx context.Context, bin string, runs int) ([]time.Duration, error) {
	for _, tool := range []string{"Xvfb", "xdotool", "xdpyinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s is not installed", tool)
		}
	}
	display, err := freeDisplay()
	if err != nil {
		return nil, err
	}
	xvfb := exec.CommandContext(ctx, "Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { xvfb.Wait(); close(exited) }()
	defer func() { xvfb.Process.Kill(); <-exited }()
	env := append(os.Environ(), "DISPLAY="+display, "LANG=C.UTF-8")
	ready := false
	for range 100 {
		probe := exec.CommandContext(ctx, "xdpyinfo")
		probe.Env = env
		if probe.Run() == nil {
			ready = true
			break
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("Xvfb %s exited at once", display)
		default:
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ready {
		return nil, errors.New("Xvfb did not start")
	}
	var out []time.Duration
	for range runs {
		d, err := windowOnce(ctx, bin, env)
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	return out, nil
}

// freeDisplay finds an X display number no server uses (other scripts
// start their own Xvfb on low numbers).
func freeDisplay() (string, error) {
	for n := 300 + os.Getpid()%100; n < 500; n++ {
		_, errLock := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n))
		_, errSock := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
		if os.IsNotExist(errLock) && os.IsNotExist(errSock) {
			return fmt.Sprintf(":%d", n), nil
		}
	}
	return "", errors.New("no free X display number")
}

func windowOnce(ctx context.Context, bin string, env []string) (time.Duration, error) {
	home, err := os.MkdirTemp("", "perf-window-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(home)
	abs, err := filepath.Abs(bin)
	if err != nil {
		return 0, err
	}
	app := exec.CommandContext(ctx, abs)
	app.Env = append(env, "HOME="+home)
	start := time.Now()
	if err := app.Start(); err != nil {
		return 0, err
	}
	defer func() { app.Process.Kill(); app.Wait() }()
	pid := fmt.Sprint(app.Process.Pid)
	for time.Since(start) < 30*time.Second {
		search := exec.CommandContext(ctx, "xdotool", "search", "--onlyvisible", "--pid", pid)
		search.Env = env
		if out, err := search.Output(); err == nil && strings.TrimSpace(string(out)) != "" {
			return time.Since(start), nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, errors.New("no window within 30 s")
}
