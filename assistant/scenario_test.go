package assistant

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"mailsetup/discover"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// The test bed is shared by every test of the package: real dovecot
// instances, a DNS server, HTTPS servers and fault servers on loopback.
var (
	bed       *testbed.Bed
	scenarios *testbed.Scenarios
)

func TestMain(m *testing.M) {
	var err error
	bed, err = testbed.New(testbed.Options{})
	if err == nil {
		scenarios, err = bed.StartStandard()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "test bed:", err)
		if bed != nil {
			bed.Close()
		}
		os.Exit(1)
	}
	code := m.Run()
	bed.Close()
	os.Exit(code)
}

// bedEngine is an engine wired to the test bed.
func bedEngine(t testing.TB, o Options) *Engine {
	t.Helper()
	if o.DNS == "" {
		o.DNS = bed.DNSAddr
	}
	o.Dialer = bed.Dialer()
	o.CAFile = bed.CAFile
	o.ISPDBURL = scenarios.ISPDBURL
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func sameServer(got, want *mailcfg.Server) bool {
	if got == nil || want == nil {
		return got == want
	}
	return got.Protocol == want.Protocol && got.Host == want.Host && got.Port == want.Port &&
		got.Security == want.Security && got.Username == want.Username
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios.All() {
		for _, proto := range []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP} {
			t.Run(sc.Name+"/"+string(proto), func(t *testing.T) {
				t.Parallel()
				e := bedEngine(t, Options{DNS: sc.DNS, Protocol: proto, Timeout: 8 * time.Second})
				start := time.Now()
				rep, err := e.Discover(context.Background(), sc.Email)
				took := time.Since(start)
				if err != nil {
					t.Fatal(err)
				}
				wantIn := sc.Incoming
				if proto == mailcfg.IMAP {
					wantIn = sc.IncomingIMAP
				}
				if !sameServer(rep.Recommended.Incoming, wantIn) {
					t.Errorf("incoming = %+v, want %+v", rep.Recommended.Incoming, wantIn)
				}
				if !sameServer(rep.Recommended.Outgoing, sc.Outgoing) {
					t.Errorf("outgoing = %+v, want %+v", rep.Recommended.Outgoing, sc.Outgoing)
				}
				if sc.ProviderID != "" && (rep.Provider == nil || rep.Provider.ID != sc.ProviderID) {
					t.Errorf("provider = %+v, want %s", rep.Provider, sc.ProviderID)
				}
				for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
					best := rep.Best(role)
					if best == nil {
						continue
					}
					if sc.Status != "" && best.Status != sc.Status {
						t.Errorf("%s status = %s (%s), want %s", role, best.Status, best.Error, sc.Status)
					}
					for _, src := range sc.Sources {
						if !slices.Contains(best.Sources, discover.SourceName(src)) {
							t.Errorf("%s sources = %v, want %s among them", role, best.Sources, src)
						}
					}
					if best.Trusted == sc.Untrusted {
						t.Errorf("%s trusted = %v, scenario untrusted = %v", role, best.Trusted, sc.Untrusted)
					}
					if sc.Route != "" && !namesRoute(best, sc.Route) {
						t.Errorf("%s routes = %+v, want route %s", role, best.Routes, sc.Route)
					}
				}
				checkSourceNotes(t, rep, sc)
				if wantIn == nil && sc.Outgoing == nil && sc.Status != "" {
					if !anyStatus(rep, sc.Status) {
						t.Errorf("no candidate ended %s: %s", sc.Status, summary(rep))
					}
				}
				if rep.Insecure != (sc.Status == mailcfg.StatusInsecure) {
					t.Errorf("insecure = %v", rep.Insecure)
				}
				// A tarpit or a blackholed port must not hold the answer hostage.
				if sc.Name == "tarpit" && took > 3*time.Second {
					t.Errorf("took %v beside a tarpit and a blackhole", took)
				}
				if t.Failed() {
					t.Logf("report after %v: %s", took, summary(rep))
				}
			})
		}
	}
}

func anyStatus(rep *Report, s mailcfg.Status) bool {
	for _, c := range rep.Candidates {
		if c.Status == s {
			return true
		}
	}
	return false
}

func summary(rep *Report) string {
	s := ""
	for _, c := range rep.Candidates {
		s += fmt.Sprintf("\n  %s %s:%d %s %v %s %q", c.Protocol, c.Host, c.Port, c.Security, c.Sources, c.Status, c.Error)
	}
	for _, src := range rep.Sources {
		s += fmt.Sprintf("\n  source %s done=%v %dms %s", src.Name, src.Done, src.ElapsedMS, src.Error)
	}
	return s
}

// namesRoute reports whether a candidate names the Autodiscover route.
func namesRoute(c *Candidate, route string) bool {
	for _, r := range c.Routes {
		if r.Source == discover.SourceAutodiscover && r.Route == route && r.URL != "" {
			return true
		}
	}
	return false
}

// checkSourceNotes checks the notes a failed source must end with, and
// the hosts that must not be candidates at all.
func checkSourceNotes(t *testing.T, rep *Report, sc *testbed.Scenario) {
	t.Helper()
	for name, words := range sc.SourceNotes {
		var src *Source
		for i := range rep.Sources {
			if rep.Sources[i].Name == discover.SourceName(name) {
				src = &rep.Sources[i]
			}
		}
		if src == nil {
			t.Errorf("no source %s in the report", name)
			continue
		}
		for _, w := range words {
			if !strings.Contains(src.Error, w) {
				t.Errorf("source %s error does not say %q:\n%s", name, w, src.Error)
			}
		}
	}
	for _, c := range rep.Candidates {
		if slices.Contains(sc.NotCandidates, c.Host) {
			t.Errorf("%s is a candidate (%v), but nothing may be taken from where it was named", c.Host, c.Sources)
		}
	}
}
