// Command perfbench times the engine against the test bed with injected
// latency, prints the table and writes docs/performance.md; `make bench`
// runs it through scripts/bench.sh. It needs root and dovecot (the test
// bed), and Xvfb and xdotool for the window's start-up time.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"mailsetup/internal/perf"
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
	flag.StringVar(&o.runs, "runs", "20,20,10", "runs per case at each RTT, comma-separated (the last repeats)")
	flag.StringVar(&o.cases, "cases", "", "comma-separated case names (default: all)")
	flag.StringVar(&o.bin, "bin", "bin/mailsetup", "the release binary, for its size and window start-up (empty: skip)")
	flag.StringVar(&o.testBin, "test-bin", "bin/mailsetup-testhooks", "the binary built with -tags testhooks, for its memory against the bed (empty: skip)")
	flag.StringVar(&o.out, "out", "docs/performance.md", "where to write the report (empty: do not)")
	flag.IntVar(&o.windowRuns, "window-runs", 5, "window start-ups to time (0: skip)")
	flag.IntVar(&o.deadRuns, "deaddns-runs", 3, "discovers with a dead DNS server to time (0: skip)")
	flag.StringVar(&o.usage, "usage-cases", "builtin,guess,slow", "cases whose goroutines and memory are measured")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "perfbench:", err)
		os.Exit(1)
	}
}

type options struct {
	rtts, runs, cases, bin, testBin, out, usage string
	windowRuns, deadRuns                        int
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
	rep := &perf.Report{Machine: perf.CurrentMachine()}
	env, err := perf.NewEnv()
	if err != nil {
		return err
	}
	defer env.Close()
	for _, c := range env.Cases {
		if selected(o.cases, c.Name) {
			rep.Cases = append(rep.Cases, c)
		}
	}

	for i, rtt := range rtts {
		link, err := env.NewLink(rtt)
		if err != nil {
			return err
		}
		n := runs[min(i, len(runs)-1)]
		for _, c := range rep.Cases {
			r, err := env.Measure(ctx, link, c, n)
			if err != nil {
				link.Close()
				return fmt.Errorf("%s at %v: %w", c.Name, rtt, err)
			}
			fmt.Fprintf(os.Stderr, "%-10s RTT %-6v p50 %-8v p95 %-8v floor %v\n", c.Name, rtt,
				r.P50.Round(time.Millisecond), r.P95.Round(time.Millisecond), r.Floor)
			if r.Wrong > 0 {
				fmt.Fprintf(os.Stderr, "  %d wrong: %s\n", r.Wrong, r.WrongWhy)
			}
			rep.Results = append(rep.Results, r)
		}
		link.Close()
	}

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
	for _, c := range env.Cases {
		if o.usage == "" || !selected(o.usage, c.Name) {
			continue
		}
		u, err := env.MeasureUsage(ctx, self, o.testBin, c, 3)
		if err != nil {
			return fmt.Errorf("usage of %s: %w", c.Name, err)
		}
		rep.Usage = append(rep.Usage, u)
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
	if perf.Met(rep.Results) {
		fmt.Println("targets met: clean cases p50 ≤ 1.3× floor, blackhole/tarpit ≤ 2.0× at every RTT > 0")
	} else {
		fmt.Println("targets NOT met: see the rows not marked ok")
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
