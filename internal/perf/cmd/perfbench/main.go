// Command perfbench times the engine against the test bed with injected
// latency and writes docs/performance.md; `make bench` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"mailsetup/internal/perf"
)

func main() {
	rtts := flag.String("rtt", "0,50ms,200ms", "round-trip times to inject, comma-separated")
	runs := flag.String("runs", "20,20,10", "runs per case at each RTT, comma-separated")
	only := flag.String("cases", "", "comma-separated case names (default all)")
	flag.Parse()
	if err := run(*rtts, *runs, *only); err != nil {
		fmt.Fprintln(os.Stderr, "perfbench:", err)
		os.Exit(1)
	}
}

func run(rttList, runList, only string) error {
	var rtts []time.Duration
	for _, s := range strings.Split(rttList, ",") {
		if s == "0" {
			rtts = append(rtts, 0)
			continue
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		rtts = append(rtts, d)
	}
	var ns []int
	for _, s := range strings.Split(runList, ",") {
		var n int
		fmt.Sscan(s, &n)
		ns = append(ns, n)
	}
	env, err := perf.NewEnv()
	if err != nil {
		return err
	}
	defer env.Close()
	var results []perf.Result
	for i, rtt := range rtts {
		link, err := env.NewLink(rtt)
		if err != nil {
			return err
		}
		for _, c := range env.Cases {
			if only != "" && !strings.Contains(","+only+",", ","+c.Name+",") {
				continue
			}
			n := ns[min(i, len(ns)-1)]
			r, err := env.Measure(context.Background(), link, c, n)
			if err != nil {
				link.Close()
				return err
			}
			if r.Wrong > 0 {
				fmt.Fprintf(os.Stderr, "%s at %v: %s\n", c.Name, rtt, r.WrongWhy)
			}
			results = append(results, r)
		}
		link.Close()
	}
	return perf.WriteTable(os.Stdout, results)
}
