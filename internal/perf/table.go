package perf

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable prints the results as an aligned text table.
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "case\tRTT\truns\tfloor\tp50\tp95\tp50/floor\tp95/floor\ttarget\tok\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Label(), ms(r.RTT), r.Runs,
			floorText(r), ms(r.P50), ms(r.P95), ratioText(r.Ratio50()), ratioText(r.Ratio95()),
			targetText(r), verdict(r))
	}
	return tw.Flush()
}

// WriteMarkdownTable prints the results as a Markdown table.
func WriteMarkdownTable(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| case | RTT | runs | floor | p50 | p95 | p50/floor | p95/floor | target | |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", r.Case, ms(r.RTT), r.Runs,
			floorText(r), ms(r.P50), ms(r.P95), ratioText(r.Ratio50()), ratioText(r.Ratio95()),
			targetText(r), verdict(r))
	}
}

// Label names the result's case, with the mode and protocol outside
// the discover mode: "login imap guess".
func (r Result) Label() string {
	if r.ModeOrDiscover() == ModeDiscover {
		return r.Case
	}
	return fmt.Sprintf("%s %s %s", r.Mode, r.Protocol, r.Case)
}

func floorText(r Result) string {
	return fmt.Sprintf("%g RTT = %s", r.FloorRTT, ms(r.Floor))
}

func targetText(r Result) string {
	if r.RTT == 0 || math.IsNaN(r.Target()) {
		return "–"
	}
	return "≤ " + strconv.FormatFloat(r.Target(), 'f', -1, 64)
}

// verdict says whether the row meets its target and got the right answer.
func verdict(r Result) string {
	var bad []string
	if r.Wrong > 0 {
		bad = append(bad, fmt.Sprintf("%d wrong", r.Wrong))
	}
	if r.RTT > 0 && !math.IsNaN(r.Target()) && !(r.Ratio50() <= r.Target()) {
		bad = append(bad, "over target")
	}
	if len(bad) == 0 {
		return "ok"
	}
	return strings.Join(bad, ", ")
}

// Met reports whether every row meets its target with right answers.
func Met(results []Result) bool {
	for _, r := range results {
		if verdict(r) != "ok" {
			return false
		}
	}
	return true
}

func ratioText(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}

// ms prints a duration in milliseconds, with one decimal below 10 ms.
func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	if f < 10 && f != 0 {
		return fmt.Sprintf("%.1f ms", f)
	}
	return fmt.Sprintf("%.0f ms", f)
}

// FixedCostNote explains the rows over their target that lose no more to
// their floor than the same case takes at RTT 0, where all of its time is
// work, not waiting: what they miss is the machine's fixed cost, not round
// trips. "" when no row is like that.
func FixedCostNote(results []Result) string {
	var rows []string
	for _, r := range results {
		if r.RTT == 0 || r.Wrong > 0 || verdict(r) == "ok" {
			continue
		}
		zero, ok := atRTT0(results, r)
		if !ok || r.P50-r.Floor > zero.P50 {
			continue
		}
		rows = append(rows, fmt.Sprintf("%s at %s is %s over its floor, and takes %s at RTT 0", r.Case, ms(r.RTT), ms(r.P50-r.Floor), ms(zero.P50)))
	}
	if len(rows) == 0 {
		return ""
	}
	return "Over target by fixed time, not by round trips: " + strings.Join(rows, "; ") + ". At RTT 0 all of a run's " +
		"time is work: the engine's, and the test bed's servers', which share this machine's CPUs (the bed's dovecot, as " +
		"dovecot does by default, starts a login process for every connection, and a guess opens many at once)."
}

// atRTT0 finds r's case, mode and protocol at RTT 0.
func atRTT0(results []Result, r Result) (Result, bool) {
	for _, z := range results {
		if z.RTT == 0 && z.Case == r.Case && z.ModeOrDiscover() == r.ModeOrDiscover() && z.Protocol == r.Protocol {
			return z, true
		}
	}
	return Result{}, false
}
