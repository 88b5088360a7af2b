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
	"strconv"
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
	// Exec, when set, makes the child a relay instead: it runs this
	// command (with ExecEnv added and ExecStdin as input) and reports the
	// command's peak resident set as BinaryMaxRSSKiB (see PeakRSS).
	Exec      []string `json:"exec,omitempty"`
	ExecEnv   []string `json:"exec_env,omitempty"`
	ExecStdin string   `json:"exec_stdin,omitempty"`
	// ExecMayFail accepts a non-zero exit (check with a wrong password).
	ExecMayFail bool `json:"exec_may_fail,omitempty"`
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
	if len(req.Exec) > 0 {
		return runRelay(req)
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
		Dialer: &portmap.PortMap{Map: m}, Protocol: req.Protocol, ProtocolChosen: req.Protocol != ""})
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
	var rep *assistant.Report
	if req.Mode == "" || req.Mode == ModeDiscover {
		rep, err = eng.Discover(context.Background(), req.Email)
	} else {
		// As `check --password-stdin` runs it: the logins on the probes' connections.
		rep, err = eng.DiscoverAndCheck(context.Background(), req.Email, assistant.LoginRequest{Password: req.Password})
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
	u.MaxRSSKiB = PeakRSS()
	return json.NewEncoder(os.Stdout).Encode(u)
}

// PeakRSS is this process's own peak resident set in KiB: VmHWM of
// /proc/self/status, 0 when unknown. getrusage's ru_maxrss will not do for
// a child of a big process: Go starts children with vfork, and Linux
// carries the parent's high-water mark over into the child's ru_maxrss
// at exec (exec_mmap), so every child of a 30 MiB benchmark would report
// at least 30 MiB.
func PeakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kib
		}
	}
	return 0
}

// runRelay runs req.Exec and reports its peak resident set. The relay is a
// small process, so what the command inherits from it at exec (see
// PeakRSS) is the relay's own few MiB, reported as MaxRSSKiB: the
// command's figure is exact whenever it is above that.
func runRelay(req ChildRequest) error {
	cmd := exec.Command(req.Exec[0], req.Exec[1:]...)
	cmd.Env = append(os.Environ(), req.ExecEnv...)
	cmd.Stdin = strings.NewReader(req.ExecStdin)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(req.ExecMayFail && errors.As(err, &exit)) {
		return fmt.Errorf("%s: %w: %s", strings.Join(req.Exec, " "), err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return errors.New("no resource usage for the command")
	}
	return json.NewEncoder(os.Stdout).Encode(Usage{BinaryMaxRSSKiB: ru.Maxrss, MaxRSSKiB: PeakRSS()})
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
	sum := Usage{Case: c.Name, Mode: req.Mode, Protocol: c.Protocol}
	var took []time.Duration
	for range max(n, 1) {
		u, err := runChild(ctx, self, req)
		if err != nil {
			return sum, fmt.Errorf("engine %w", err)
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
			rss, err := e.binaryRSS(ctx, self, bin, c, m)
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
// login modes `bin check EMAIL --password-stdin --json`, through a relay
// child (self), and returns its peak resident set.
func (e *Env) binaryRSS(ctx context.Context, self, bin string, c Case, m Mode) (int64, error) {
	args := []string{"discover", c.Email, "--json"}
	if m != ModeDiscover {
		args = []string{"check", c.Email, "--json", "--password-stdin"}
	}
	if c.Protocol != "" {
		args = append(args, "--protocol", string(c.Protocol))
	}
	args = append(args, "--dns", e.Bed.DNSAddr, "--ca", e.Bed.CAFile)
	req := ChildRequest{Exec: append([]string{bin}, args...),
		ExecEnv: []string{portmap.Env + "=" + e.Bed.DialMapEnv(), "HOME=" + os.TempDir()},
		// check exits non-zero when a login fails, which ModeRejected expects.
		ExecMayFail: m == ModeRejected}
	if m != ModeDiscover {
		req.ExecStdin = passwordFor(c, m) + "\n"
	}
	u, err := runChild(ctx, self, req)
	if err != nil {
		return 0, fmt.Errorf("%s %s %s: %w", bin, args[0], c.Email, err)
	}
	if u.BinaryMaxRSSKiB <= u.MaxRSSKiB {
		return 0, fmt.Errorf("%s %s %s: peak RSS %d KiB is not above the relay's own %d KiB: not measurable this way",
			bin, args[0], c.Email, u.BinaryMaxRSSKiB, u.MaxRSSKiB)
	}
	return u.BinaryMaxRSSKiB, nil
}

// runChild runs self as a child for req and reads its Usage.
func runChild(ctx context.Context, self string, req ChildRequest) (Usage, error) {
	data, _ := json.Marshal(req)
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), ChildEnv+"="+string(data))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return Usage{}, fmt.Errorf("child: %w", err)
	}
	var u Usage
	if err := json.Unmarshal(out, &u); err != nil {
		return Usage{}, fmt.Errorf("child said %q: %w", out, err)
	}
	return u, nil
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
