package perf

import (
	"context"
	"time"

	"mailsetup/assistant"
)

// DeadDNS times n discovers of deaddns.test, whose DNS server accepts
// queries and never answers, straight to the bed.
func (e *Env) DeadDNS(ctx context.Context, n int) ([]time.Duration, error) {
	sc := e.Scenarios.DeadDNS
	var out []time.Duration
	for range n {
		eng, err := assistant.New(assistant.Options{DNS: sc.DNS, Dialer: e.Bed.Dialer(), CAFile: e.Bed.CAFile,
			ISPDBURL: e.Scenarios.ISPDBURL, Timeout: 30 * time.Second})
		if err != nil {
			return nil, err
		}
		start := time.Now()
		if _, err := eng.Discover(ctx, sc.Email); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}
