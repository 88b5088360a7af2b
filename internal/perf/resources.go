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
	"mailsetup/mailcfg"
)

// Usage is what one run (a discover, or a discover and both logins) cost
// the process that ran it.
type Usage struct {
	Case            string           `json:"case"`
	Mode            Mode             `json:"mode,omitempty"` // "" in older files: discover
	Protocol        mailcfg.Protocol `json:"protocol,omitempty"`
	GoroutinesIdle  int              `json:"goroutines_idle"` // before the run
	GoroutinesPeak  int              `json:"goroutines_peak"` // most seen during it
	MaxRSSKiB       int64            `json:"max_rss_kib"`     // peak resident set of the whole process
	Took            time.Duration    `json:"took"`
	Wrong           string           `json:"wrong,omitempty"`
	BinaryMaxRSSKiB int64            `json:"binary_max_rss_kib"` // `mailsetup discover --json` (or check) on the same case
	// What the run left behind, beyond what the process held before the
	// engine was made: right when Discover (or Check) returned, and once
	// more after LeftoverWait. Leftovers describes the first.
	GoroutinesLeft    int      `json:"goroutines_left"`
	SocketsLeft       int      `json:"sockets_left"`
	GoroutinesSettled int      `json:"goroutines_settled"`
	SocketsSettled    int      `json:"sockets_settled"`
	Leftovers         []string `json:"leftovers,omitempty"`
}

// LeftoverWait is how long after the run the child looks again: what is
// still there then is leaked, not just finishing.
const LeftoverWait = time.Second

// ChildRequest tells an engine-only child process what to run: the child
// is this same program started with ChildEnv set, so that the goroutines,
// sockets and memory it reports are the engine's alone, not the test
// bed's servers'.
type ChildRequest struct {
	Email    string           `json:"email"`
	DNS      string           `json:"dns"`
	CAFile   string           `json:"ca_file"`
	ISPDBURL string           `json:"ispdb_url"`
	DialMap  string           `json:"dial_map"`
	Mode     Mode             `json:"mode,omitempty"` // "" is a discover
	Protocol mailcfg.Protocol `json:"protocol,omitempty"`
	Password string           `json:"password,omitempty"` // a bed user's, for the login modes
}

// ChildEnv carries a ChildRequest (JSON) to the child.
const ChildEnv = "MAILSETUP_PERF_CHILD"

// RunChild runs what a ChildRequest asks for and writes a Usage (JSON) to
// stdout. A program calls it first thing when ChildEnv is set.
func RunChild() error {
	var req ChildRequest
	if err := json.Unmarshal([]byte(os.Getenv(ChildEnv)), &req); err != nil {
		return fmt.Errorf("%s: %w", ChildEnv, err)
	}
	m, err := portmap.Parse(req.DialMap)
	if err != nil {
		return err
	}
	// The bed's servers by the standard address they stand for.
	names := map[string]string{}
	for std, real := range m {
		names[real] = std
	}
	before := TakeSnapshot()
	eng, err := assistant.New(assistant.Options{DNS: req.DNS, CAFile: req.CAFile, ISPDBURL: req.ISPDBURL, Timeout: 30 * time.Second,
		Dialer: &portmap.PortMap{Map: m}, Protocol: req.Protocol})
	if err != nil {
		return err
	}
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	u := Usage{Mode: req.Mode, Protocol: req.Protocol, GoroutinesIdle: runtime.NumGoroutine()}
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
	if err == nil && req.Mode != "" && req.Mode != ModeDiscover {
		eng.Check(context.Background(), rep, assistant.LoginRequest{Password: req.Password})
	}
	u.Took = time.Since(start)
	close(stop)
	<-sampled
	left := TakeSnapshot()
	if err != nil {
		return err
	}
	switch {
	case !rep.Complete():
		u.Wrong = "no complete recommendation"
	case req.Mode == ModeLogin:
		u.Wrong = checkLogin(rep.Login, ModeLogin)
	}
	// The sampler itself is one of the goroutines counted at the peak.
	u.GoroutinesPeak = int(peak.Load()) - 1
	u.GoroutinesLeft, u.SocketsLeft, u.Leftovers = left.Since(before, names)
	time.Sleep(LeftoverWait)
	u.GoroutinesSettled, u.SocketsSettled, _ = TakeSnapshot().Since(before, names)
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		u.MaxRSSKiB = ru.Maxrss
	}
	return json.NewEncoder(os.Stdout).Encode(u)
}

// MeasureUsage runs c's discover n times in an engine-only child
// (MeasureUsageMode).
func (e *Env) MeasureUsage(ctx context.Context, self, bin string, c Case, n int) (Usage, error) {
	return e.MeasureUsageMode(ctx, self, bin, c, ModeDiscover, n)
}

// MeasureUsageMode runs c in mode m n times in an engine-only child (self
// is this program's path) and, when bin is set, n times through the
// binary (`discover`, or `check` in the login modes), all straight to the
// bed (no injected latency). It keeps the highest peaks and leftovers and
// the median time.
func (e *Env) MeasureUsageMode(ctx context.Context, self, bin string, c Case, m Mode, n int) (Usage, error) {
	req := ChildRequest{Email: c.Email, DNS: e.Bed.DNSAddr, CAFile: e.Bed.CAFile,
		ISPDBURL: e.Scenarios.ISPDBURL, DialMap: e.Bed.DialMapEnv(), Protocol: c.Protocol}
	if m != ModeDiscover {
		req.Mode, req.Password = m, passwordFor(c, m)
	}
	data, _ := json.Marshal(req)
	sum := Usage{Case: c.Name, Mode: req.Mode, Protocol: c.Protocol}
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
		if u.GoroutinesLeft+u.SocketsLeft > sum.GoroutinesLeft+sum.SocketsLeft || sum.Leftovers == nil {
			sum.GoroutinesLeft, sum.SocketsLeft, sum.Leftovers = u.GoroutinesLeft, u.SocketsLeft, u.Leftovers
		}
		sum.GoroutinesSettled = max(sum.GoroutinesSettled, u.GoroutinesSettled)
		sum.SocketsSettled = max(sum.SocketsSettled, u.SocketsSettled)
		if u.Wrong != "" {
			sum.Wrong = u.Wrong
		}
		took = append(took, u.Took)
		if bin != "" {
			rss, err := e.binaryRSS(ctx, bin, c, m)
			if err != nil {
				return sum, err
			}
			sum.BinaryMaxRSSKiB = max(sum.BinaryMaxRSSKiB, rss)
		}
	}
	sum.Took = Percentile(took, 50)
	return sum, nil
}

// binaryRSS runs `bin discover EMAIL --json` against the bed, or in the
// login modes `bin check EMAIL --password-stdin --json`, and returns its
// peak resident set.
func (e *Env) binaryRSS(ctx context.Context, bin string, c Case, m Mode) (int64, error) {
	args := []string{"discover", c.Email, "--json"}
	if m != ModeDiscover {
		args = []string{"check", c.Email, "--json", "--password-stdin"}
	}
	if c.Protocol != "" {
		args = append(args, "--protocol", string(c.Protocol))
	}
	args = append(args, "--dns", e.Bed.DNSAddr, "--ca", e.Bed.CAFile)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), portmap.Env+"="+e.Bed.DialMapEnv(), "HOME="+os.TempDir())
	if m != ModeDiscover {
		cmd.Stdin = strings.NewReader(passwordFor(c, m) + "\n")
	}
	out, err := cmd.Output()
	var exit *exec.ExitError
	// check exits non-zero when a login fails, which ModeRejected expects.
	if err != nil && !(m == ModeRejected && errors.As(err, &exit)) {
		return 0, fmt.Errorf("%s %s %s: %w: %s", bin, args[0], c.Email, err, out)
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
