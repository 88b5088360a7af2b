package perf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"mailsetup/internal/testbed"
)

// The test bed is started only when a benchmark asks for it, so that the
// package's quick tests (make test) never wait for it.
var (
	envOnce  sync.Once
	benchEnv *Env
	envErr   error
)

func sharedEnv(b *testing.B) *Env {
	b.Helper()
	envOnce.Do(func() { benchEnv, envErr = NewEnv() })
	if errors.Is(envErr, testbed.ErrUnavailable) {
		b.Skipf("test bed: %v", envErr)
	}
	if envErr != nil {
		b.Fatalf("test bed: %v", envErr)
	}
	return benchEnv
}

func TestMain(m *testing.M) {
	if os.Getenv(ChildEnv) != "" {
		// A child of TestRelayMeasuresTheCommandAlone.
		if err := RunChild(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if benchEnv != nil {
		benchEnv.Close()
	}
	os.Exit(code)
}

// BenchmarkDiscover times one discover per iteration, fresh engine each
// time, for every case at RTT 0, 50 ms and 200 ms. Besides ns/op it
// reports the case's floor (floor-ms) and the mean time over it (x-floor).
func BenchmarkDiscover(b *testing.B) {
	env := sharedEnv(b)
	for _, rtt := range []time.Duration{0, 50 * time.Millisecond, 200 * time.Millisecond} {
		link, err := env.NewLink(rtt)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range env.Cases {
			b.Run(fmt.Sprintf("%s/rtt=%v", c.Name, rtt), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					run, err := env.Discover(context.Background(), link, c)
					if err != nil {
						b.Fatal(err)
					}
					if run.Wrong != "" {
						b.Fatalf("wrong recommendation: %s", run.Wrong)
					}
				}
				floor := c.Floor.At(rtt)
				b.ReportMetric(float64(floor)/float64(time.Millisecond), "floor-ms")
				if floor > 0 {
					b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(floor), "x-floor")
				}
			})
		}
		link.Close()
	}
}

// BenchmarkLogin times one discover and both logins per iteration (mode
// login, then rejected), fresh engine each time, for every login case at
// RTT 0, 50 ms and 200 ms, with the same metrics as BenchmarkDiscover.
func BenchmarkLogin(b *testing.B) {
	env := sharedEnv(b)
	for _, rtt := range []time.Duration{0, 50 * time.Millisecond, 200 * time.Millisecond} {
		link, err := env.NewLink(rtt)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range []Mode{ModeLogin, ModeRejected} {
			for _, c := range env.LoginCases {
				b.Run(fmt.Sprintf("%s/%s/%s/rtt=%v", m, c.Protocol, c.Name, rtt), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						run, err := env.Run(context.Background(), link, c, m)
						if err != nil {
							b.Fatal(err)
						}
						if run.Wrong != "" {
							b.Fatalf("wrong outcome: %s", run.Wrong)
						}
					}
					floor := c.FloorOf(m).At(rtt)
					b.ReportMetric(float64(floor)/float64(time.Millisecond), "floor-ms")
					if floor > 0 {
						b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(floor), "x-floor")
					}
				})
			}
		}
		link.Close()
	}
}
