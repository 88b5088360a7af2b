package reliability

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/assistant"
	"mailsetup/dnsx"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// matrixCase is one row of the fault matrix: a misbehaving server (or
// domain), what the engine must make of it, and the bounds it must keep.
type matrixCase struct {
	group, name string
	want        expect
	// slow cases wait for a timeout by design; the rest must fail fast.
	slow      bool
	bound     time.Duration // zero: derived from slow
	heapBound uint64        // zero: defaultHeapBound
	server    func(t *testing.T) serverTarget
	domain    func(t *testing.T) domainTarget
	command   func(t *testing.T) commandTarget
}

// expect is what a case must observe: a status and a hint id among the
// hints (single-server cases), or whatever verify checks (domain cases).
type expect struct {
	status mailcfg.Status
	hint   string
	words  string // the expectation in words, for domain cases
	// Command cases: the exit code, and the catalogue code of the message
	// the user reads ("" for a successful check).
	exit   int
	reason string
}

// commandString is the expectation of a command case: exit code, message
// code, words.
func (e expect) commandString() string {
	parts := []string{fmt.Sprintf("exit %d", e.exit)}
	for _, p := range []string{e.reason, e.words} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

func (e expect) String() string {
	var parts []string
	if e.status != "" {
		parts = append(parts, string(e.status))
	}
	if e.words != "" {
		parts = append(parts, e.words)
	}
	if e.hint != "" {
		parts = append(parts, "hint "+e.hint)
	}
	return strings.Join(parts, " · ")
}

// serverTarget is one server to probe and diagnose.
type serverTarget struct {
	srv   mailcfg.Server
	dns   string            // DNS server; default the bed's
	extra map[string]string // dial map additions
	// check runs after the engine returned; it returns a note for the
	// table and an error when the case fails.
	check func(ctx context.Context, res probe.Result, d *assistant.Diagnosis) (string, error)
}

// domainTarget is one address to discover.
type domainTarget struct {
	email string
	dns   string
	extra map[string]string
	// verify judges the report: what was observed, in words, and an error
	// when it is not what the case expects.
	verify func(ctx context.Context, eng *assistant.Engine, rep *assistant.Report) (string, error)
}

const (
	// fastBound: a failure the server makes plain must not wait for a timeout.
	fastBound = 1500 * time.Millisecond
	// slowBound: a silent server costs at most the probe's timeout, plus slack.
	slowBound = probeTimeout + time.Second
	// defaultHeapBound: no case may hold more than this on the heap (a
	// probe reads at most 1 MiB per connection, a document at most 1 MiB).
	defaultHeapBound = 16 << 20
	// leakWait: goroutines of the engine must be gone this soon after it returned.
	leakWait = 2 * time.Second
)

func (c matrixCase) timeBound() time.Duration {
	switch {
	case c.bound > 0:
		return c.bound
	case c.slow:
		return slowBound
	}
	return fastBound
}

func TestMatrix(t *testing.T) {
	for _, c := range matrixCases() {
		t.Run(c.group+"/"+c.name, func(t *testing.T) { runCase(t, c) })
	}
}

func runCase(t *testing.T, c matrixCase) {
	row := Row{Group: c.group, Case: c.name, Expected: c.want.String(), Bound: c.timeBound(), HeapBound: c.heapBound}
	if row.HeapBound == 0 {
		row.HeapBound = defaultHeapBound
	}
	var failures []string
	fail := func(format string, a ...any) {
		failures = append(failures, fmt.Sprintf(format, a...))
	}
	ctx := context.Background()

	var st serverTarget
	var dt domainTarget
	var ct commandTarget
	switch {
	case c.server != nil:
		st = c.server(t)
	case c.command != nil:
		ct = c.command(t)
	default:
		dt = c.domain(t)
	}

	before := SnapshotGoroutines()
	sampler := StartSampler(2*time.Millisecond, true, false)
	var hintIDs []string
	switch {
	case c.command != nil:
		row.Expected = c.want.commandString()
		out, elapsed := runCommand(ct)
		row.Elapsed = elapsed
		row.Observed = fmt.Sprintf("exit %d · %s", out.code, out.message())
		if out.code != c.want.exit {
			fail("exit %d, want %d", out.code, c.want.exit)
		}
		if out.reason() != c.want.reason {
			fail("message %q (%s), want %s", out.message(), out.reason(), c.want.reason)
		}
		if ct.browse == nil && out.browserOpened {
			fail("a browser was opened")
		}
		if ct.verify != nil {
			note, err := ct.verify(ctx, out)
			row.Note = note
			if err != nil {
				fail("%v", err)
			}
		}
		if len(failures) > 0 {
			t.Logf("stdout:\n%.3000s\nstderr:\n%.3000s", out.stdout, out.stderr)
		}
	case c.server != nil:
		res, diag, elapsed := probeAndDiagnose(ctx, t, st)
		row.Elapsed = elapsed
		for _, h := range diag.Hints {
			hintIDs = append(hintIDs, h.ID)
		}
		row.Observed = string(res.Status)
		if res.Status != c.want.status {
			fail("status %s (%s), want %s", res.Status, res.Error, c.want.status)
		}
		if diag.OK != (res.Status == mailcfg.StatusOK) {
			fail("diagnosis OK=%v for status %s", diag.OK, res.Status)
		}
		if st.check != nil {
			note, err := st.check(ctx, res, diag)
			row.Note = note
			if err != nil {
				fail("%v", err)
			}
		}
		if len(failures) > 0 {
			t.Logf("probe error: %s", res.Error)
		}
	default:
		eng := newEngine(t, dt.dns, dt.extra)
		start := time.Now()
		rep, err := eng.Discover(ctx, dt.email)
		row.Elapsed = time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range rep.Notes {
			hintIDs = append(hintIDs, h.ID)
		}
		obs, err := dt.verify(ctx, eng, rep)
		row.Observed = obs
		if err != nil {
			fail("%v", err)
		}
	}
	peaks := sampler.Stop()
	row.HeapDelta = peaks.HeapDelta
	left := LeftBehind(before, leakWait)
	row.Leaked = len(left)

	if len(hintIDs) > 0 {
		row.Observed += " · hint " + strings.Join(hintIDs, ", ")
	}
	if c.want.hint != "" && !contains(hintIDs, c.want.hint) {
		fail("hints %v, want %s among them", hintIDs, c.want.hint)
	}
	if row.Elapsed > row.Bound {
		fail("took %v, bound %v", row.Elapsed, row.Bound)
	}
	if row.HeapDelta > row.HeapBound {
		fail("heap grew by %s, bound %s", mib(row.HeapDelta), mib(row.HeapBound))
	}
	if len(left) > 0 {
		fail("%d goroutines left behind; first:\n%s", len(left), left[0])
	}
	row.Pass = len(failures) == 0
	results.AddRow(row)
	t.Logf("%s | %s | %v | leak %d | heap %s", row.Expected, row.Observed, row.Elapsed, row.Leaked, mib(row.HeapDelta))
	for _, f := range failures {
		t.Error(f)
	}
}

// probeAndDiagnose runs probe.Probe (the status) and Engine.Diagnose (the
// hints) on the same server at the same time.
func probeAndDiagnose(ctx context.Context, t *testing.T, st serverTarget) (probe.Result, *assistant.Diagnosis, time.Duration) {
	dns := st.dns
	if dns == "" {
		dns = bed.DNSAddr
	}
	d := dialer(st.extra)
	eng := newEngine(t, dns, st.extra)
	resolver, err := dnsx.New(dnsx.Options{Server: dns})
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg          sync.WaitGroup
		res         probe.Result
		diag        *assistant.Diagnosis
		tProbe, tDx time.Duration
	)
	wg.Go(func() {
		start := time.Now()
		res = probe.Probe(ctx, st.srv, probe.Options{Resolver: resolver, Dialer: d, RootCAs: roots, Timeout: probeTimeout})
		tProbe = time.Since(start)
	})
	wg.Go(func() {
		start := time.Now()
		diag = eng.Diagnose(ctx, assistant.DiagnoseRequest{Server: st.srv})
		tDx = time.Since(start)
	})
	wg.Wait()
	return res, diag, max(tProbe, tDx)
}

func newEngine(t *testing.T, dns string, extra map[string]string) *assistant.Engine {
	t.Helper()
	eng, err := assistant.New(engineOptions(dns, dialer(extra)))
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// addHost gives name an A record on a fresh loopback address.
func addHost(name string) string {
	ip := bed.NewIP()
	bed.AddA(name, ip)
	return ip
}

// serve starts one of this package's servers on ip as ip:std.
func serve(t *testing.T, ip string, std int, handle func(net.Conn)) map[string]string {
	t.Helper()
	s, err := Serve(ip, handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return map[string]string{net.JoinHostPort(ip, fmt.Sprint(std)): s.Addr()}
}

func server(proto mailcfg.Protocol, host string, port int, sec mailcfg.Security) mailcfg.Server {
	return mailcfg.Server{Protocol: proto, Host: host, Port: port, Security: sec}
}
