// Command perfbench times the engine against the test bed with injected
// latency (the time to a recommendation, to a verified login and to a
// rejected password), prints the table and writes docs/performance.md;
// `make bench` runs it through scripts/bench.sh. It needs root and dovecot
// (the test bed), and Xvfb and xdotool for the window's start-up time.
// -save-before keeps a run's figures as the "before" column of later runs.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"mailsetup/internal/perf"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

func main() {
	if os.Getenv(perf.ChildEnv) != "" {
		if err := perf.RunChild(); err != nil {
			fmt.Fprintln(os.Stderr, "perfbench child:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.rtts, "rtt", "0,50ms,200ms", "round-trip times to inject, comma-separated")
	flag.StringVar(&o.runs, "runs", "20,20,10", "discover runs per case at each RTT, comma-separated (the last repeats)")
	flag.StringVar(&o.loginRuns, "login-runs", "10,10,6", "runs per case at each RTT in the login modes (slower: two logins, and a refusal waits on dovecot)")
	flag.StringVar(&o.cases, "cases", "", "comma-separated case names (default: all)")
	flag.StringVar(&o.bin, "bin", "bin/mailsetup", "the release binary, for its size and window start-up (empty: skip)")
	flag.StringVar(&o.testBin, "test-bin", "bin/mailsetup-testhooks", "the binary built with -tags testhooks, for its memory against the bed (empty: skip)")
	flag.StringVar(&o.out, "out", "docs/performance.md", "where to write the report (empty: do not)")
	flag.IntVar(&o.windowRuns, "window-runs", 5, "window start-ups to time (0: skip)")
	flag.IntVar(&o.deadRuns, "deaddns-runs", 3, "discovers with a dead DNS server to time (0: skip)")
	flag.StringVar(&o.usage, "usage-cases", "builtin,guess,autoconfig-named,slow", "cases whose goroutines, sockets and memory are measured (each mode)")
	flag.StringVar(&o.modes, "modes", "discover,login,rejected", "what a run does: discover; login (discover, then both logins); rejected (the same, wrong password)")
	flag.StringVar(&o.protocols, "login-protocols", "imap,pop3", "incoming protocols preferred in the login modes")
	flag.StringVar(&o.pop3Cases, "pop3-cases", "builtin,guess,slow", "login cases also run with POP3 preferred (empty: all)")
	flag.StringVar(&o.before, "before", perf.DefaultBeforePath, "the before figures to compare with (missing: none)")
	flag.StringVar(&o.saveBefore, "save-before", "", "write this run's figures there as the before figures")
	flag.StringVar(&o.beforeLabel, "before-label", "", "what -save-before says was measured (default: the commit)")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "perfbench:", err)
		os.Exit(1)
	}
}

type options struct {
	rtts, runs, loginRuns, cases, bin, testBin string
	out, usage                                 string
	modes, protocols, pop3Cases                string
	before, saveBefore, beforeLabel            string
	windowRuns, deadRuns                       int
}

// loginCases are the login cases the options select.
func (o options) loginCases(env *perf.Env) []perf.Case {
	var out []perf.Case
	for _, c := range env.LoginCases {
		if !selected(o.cases, c.Name) || !selected(o.protocols, string(c.Protocol)) {
			continue
		}
		if c.Protocol == mailcfg.POP3 && !selected(o.pop3Cases, c.Name) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func parseRTTs(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "0" {
			out = append(out, 0)
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil {
			return nil, fmt.Errorf("-rtt: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

func parseRuns(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-runs: %q is not a positive count", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// startEnv starts the test bed, trying again when it failed for want of
// time: on a busy machine, two dozen dovecots starting at once may miss
// their start-up deadline.
func startEnv() (*perf.Env, error) {
	var err error
	for try := 1; try <= 3; try++ {
		var env *perf.Env
		if env, err = perf.NewEnv(); err == nil || errors.Is(err, testbed.ErrUnavailable) {
			return env, err
		}
		fmt.Fprintf(os.Stderr, "test bed, try %d: %v\n", try, err)
	}
	return nil, err
}

func selected(list, name string) bool {
	return list == "" || strings.Contains(","+list+",", ","+name+",")
}

func run(ctx context.Context, o options) error {
	rtts, err := parseRTTs(o.rtts)
	if err != nil {
		return err
	}
	runs, err := parseRuns(o.runs)
	if err != nil {
		return err
	}
	loginRuns, err := parseRuns(o.loginRuns)
	if err != nil {
		return err
	}
	rep := &perf.Report{Machine: perf.CurrentMachine()}
	if rep.Before, err = perf.LoadBefore(o.before); err != nil {
		return err
	}
	env, err := startEnv()
	if err != nil {
		return err
	}
	defer env.Close()
	if selected(o.modes, string(perf.ModeDiscover)) {
		for _, c := range env.Cases {
			if selected(o.cases, c.Name) {
				rep.Cases = append(rep.Cases, c)
			}
		}
	}
	var loginModes []perf.Mode
	for _, m := range []perf.Mode{perf.ModeLogin, perf.ModeRejected} {
		if selected(o.modes, string(m)) {
			loginModes = append(loginModes, m)
		}
	}
	if len(loginModes) > 0 {
		rep.LoginCases = o.loginCases(env)
	}

	started := time.Now()
	for i, rtt := range rtts {
		link, err := env.NewLink(rtt)
		if err != nil {
			return err
		}
		load := perf.SampleLoad(rtt)
		measure := func(c perf.Case, m perf.Mode) error {
			n := runs[min(i, len(runs)-1)]
			if m != perf.ModeDiscover {
				n = loginRuns[min(i, len(loginRuns)-1)]
			}
			r, err := env.MeasureMode(ctx, link, c, m, n)
			if err != nil {
				return fmt.Errorf("%s at %v: %w", r.Label(), rtt, err)
			}
			fmt.Fprintf(os.Stderr, "%-34s RTT %-6v p50 %-8v p95 %-8v floor %-8v dials %d, DNS queries %d\n", r.Label(), rtt,
				r.P50.Round(time.Millisecond), r.P95.Round(time.Millisecond), r.Floor, r.Dials, r.Queries)
			if r.Wrong > 0 {
				fmt.Fprintf(os.Stderr, "  %d wrong: %s\n", r.Wrong, r.WrongWhy)
			}
			rep.Results = append(rep.Results, r)
			return nil
		}
		for _, c := range rep.Cases {
			if err := measure(c, perf.ModeDiscover); err != nil {
				link.Close()
				return err
			}
		}
		for _, m := range loginModes {
			for _, c := range rep.LoginCases {
				if err := measure(c, m); err != nil {
					link.Close()
					return err
				}
			}
		}
		link.Close()
		round := load.Stop()
		rep.Machine.Rounds = append(rep.Machine.Rounds, round)
		fmt.Fprintf(os.Stderr, "RTT %v round: %v, load %.1f (max %.1f), CPU pressure %.0f %% (max %.0f %%)\n", rtt,
			round.Took.Round(time.Second), round.LoadMean, round.LoadMax, round.PressureMean, round.PressureMax)
	}
	fmt.Fprintf(os.Stderr, "timed runs took %v\n", time.Since(started).Round(time.Second))

	if o.deadRuns > 0 {
		if rep.DeadDNS, err = env.DeadDNS(ctx, o.deadRuns); err != nil {
			return fmt.Errorf("dead DNS: %w", err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bin := o.bin
	if bin != "" {
		st, err := os.Stat(bin)
		if err != nil {
			return fmt.Errorf("%s: %w (run make build first, or pass -bin '')", bin, err)
		}
		rep.BinaryPath, rep.BinarySize = bin, st.Size()
	}
	if o.usage != "" {
		for _, c := range rep.Cases {
			if !selected(o.usage, c.Name) {
				continue
			}
			u, err := env.MeasureUsage(ctx, self, o.testBin, c, 3)
			if err != nil {
				return fmt.Errorf("usage of %s: %w", c.Name, err)
			}
			rep.Usage = append(rep.Usage, u)
		}
		for _, m := range loginModes {
			for _, c := range rep.LoginCases {
				if !selected(o.usage, c.Name) {
					continue
				}
				u, err := env.MeasureUsageMode(ctx, self, o.testBin, c, m, 3)
				if err != nil {
					return fmt.Errorf("usage of %s %s %s: %w", m, c.Protocol, c.Name, err)
				}
				if u.Wrong != "" {
					fmt.Fprintf(os.Stderr, "usage of %s %s %s: wrong: %s\n", m, c.Protocol, c.Name, u.Wrong)
				}
				rep.Usage = append(rep.Usage, u)
			}
		}
	}
	if bin != "" && o.windowRuns > 0 {
		w, err := perf.WindowStartup(ctx, bin, o.windowRuns)
		if err != nil {
			rep.WindowErr = err.Error()
			fmt.Fprintln(os.Stderr, "window start-up:", err)
		}
		rep.Window = w
	}
	rep.Machine.LoadAfter, rep.Machine.PressureAfter = perf.LoadAverage(), perf.CPUPressure()

	if err := perf.WriteTable(os.Stdout, rep.Results); err != nil {
		return err
	}
	for _, m := range append([]perf.Mode{perf.ModeDiscover}, loginModes...) {
		rs := 0
		for _, r := range rep.Results {
			if r.ModeOrDiscover() == m {
				rs++
			}
		}
		switch {
		case rs == 0 || m == perf.ModeRejected:
		case perf.MetMode(rep.Results, m):
			fmt.Printf("%s: targets met\n", m)
		default:
			fmt.Printf("%s: targets NOT met: see the rows not marked ok\n", m)
		}
	}
	if o.saveBefore != "" {
		label := o.beforeLabel
		if label == "" {
			label = "the engine at " + rep.Machine.Commit
		}
		if err := rep.SaveBefore(o.saveBefore, label); err != nil {
			return err
		}
		fmt.Println("wrote", o.saveBefore)
		if rep.Before == nil || o.saveBefore == o.before {
			// The page compares with what was just measured.
			if rep.Before, err = perf.LoadBefore(o.saveBefore); err != nil {
				return err
			}
		}
	}
	if o.out != "" {
		var buf bytes.Buffer
		rep.WriteMarkdown(&buf)
		if err := os.WriteFile(o.out, buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", o.out)
	}
	return nil
}
