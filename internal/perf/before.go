package perf

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"mailsetup/mailcfg"
)

// DefaultBeforePath is where `perfbench -save-before` keeps the figures of
// the engine before a speed-up, relative to the repository.
const DefaultBeforePath = "internal/perf/testdata/before.json"

// Before is a run's figures kept for comparison: the report prints them
// beside the current ones.
type Before struct {
	// Label says which engine was measured ("main at 769c1a0, before …").
	Label   string   `json:"label"`
	Machine Machine  `json:"machine"`
	Results []Result `json:"results"`
	Usage   []Usage  `json:"usage"`
}

// SaveBefore writes the report's figures to path as the "before" figures.
func (r *Report) SaveBefore(path, label string) error {
	b := Before{Label: label, Machine: r.Machine, Results: r.Results, Usage: r.Usage}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// LoadBefore reads figures SaveBefore wrote; a missing file is no figures.
func LoadBefore(path string) (*Before, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var b Before
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &b, nil
}

// ResultLike finds the result of the same case, mode, protocol and RTT.
func (b *Before) ResultLike(like Result) (Result, bool) {
	if b == nil {
		return Result{}, false
	}
	return findResult(b.Results, like.Case, like.ModeOrDiscover(), like.Protocol, like.RTT)
}

// UsageLike finds the usage of the same case, mode and protocol.
func (b *Before) UsageLike(like Usage) (Usage, bool) {
	if b == nil {
		return Usage{}, false
	}
	for _, u := range b.Usage {
		if u.Case == like.Case && u.Mode == like.Mode && u.Protocol == like.Protocol {
			return u, true
		}
	}
	return Usage{}, false
}

func findResult(results []Result, name string, m Mode, p mailcfg.Protocol, rtt time.Duration) (Result, bool) {
	for _, r := range results {
		if r.Case == name && r.ModeOrDiscover() == m && r.Protocol == p && r.RTT == rtt {
			return r, true
		}
	}
	return Result{}, false
}

// RTTsWaited is how many round trips a run waits for, from the slope of
// p50 between the two largest RTTs measured (the issue's method: what the
// engine and the servers spend on the CPU is the same at both RTTs and
// cancels out). ok is false without two non-zero RTTs.
func RTTsWaited(results []Result, name string, m Mode, p mailcfg.Protocol) (rtts float64, ok bool) {
	var lo, hi Result
	for _, r := range results {
		if r.Case != name || r.ModeOrDiscover() != m || r.Protocol != p || r.RTT <= 0 {
			continue
		}
		switch {
		case r.RTT > hi.RTT:
			lo, hi = hi, r
		case r.RTT > lo.RTT && r.RTT < hi.RTT:
			lo = r
		}
	}
	if lo.RTT <= 0 || hi.RTT <= lo.RTT {
		return 0, false
	}
	return float64(hi.P50-lo.P50) / float64(hi.RTT-lo.RTT), true
}

// Reference is a rival's figure quoted from an issue: p50 at 50 and
// 200 ms RTT and the round trips waited.
type Reference struct {
	At50, At200 time.Duration
	RTTs        float64
}

// DeltaChat is Delta Chat core 2.57.0's account configure (discovery, IMAP
// and SMTP login), as the issue "Time to a verified login" measured it
// beside `mailsetup check --protocol imap` with a uniform delay on every
// packet. Delta Chat cannot be built here (crates.io is not reachable), so
// these are the issue's figures, not ours.
var DeltaChat = map[string]Reference{
	"guess":            {710 * time.Millisecond, 2350 * time.Millisecond, 10.9},
	"srv":              {810 * time.Millisecond, 2760 * time.Millisecond, 13.0},
	"autoconfig-named": {670 * time.Millisecond, 2160 * time.Millisecond, 9.9},
	"starttls":         {930 * time.Millisecond, 3090 * time.Millisecond, 14.4},
}

// IssueMailsetup is `mailsetup check --protocol imap` in the same
// measurement of the issue (the binary, process start included).
var IssueMailsetup = map[string]Reference{
	"guess":            {860 * time.Millisecond, 2830 * time.Millisecond, 13.1},
	"srv":              {870 * time.Millisecond, 2810 * time.Millisecond, 12.9},
	"autoconfig-named": {1030 * time.Millisecond, 3590 * time.Millisecond, 17.0},
	"starttls":         {1100 * time.Millisecond, 3780 * time.Millisecond, 17.8},
}

// At is the reference time at rtt (50 or 200 ms), or false.
func (r Reference) At(rtt time.Duration) (time.Duration, bool) {
	switch rtt {
	case 50 * time.Millisecond:
		return r.At50, true
	case 200 * time.Millisecond:
		return r.At200, true
	}
	return 0, false
}
