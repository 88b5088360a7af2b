package reliability

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/assistant"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// The load test: discover for loadDomains domains at once, on one engine.
const (
	loadDomains = 200
	loadFaulty  = 10 // of them point at a server that tarpits and blackholes
	// loadBound is what the whole load may take: the faulty domains wait
	// for their probes' timeout, the rest queue for dovecot's processes.
	loadBound = 40 * time.Second
	// Per discovery: at most Concurrency (16) probe connections, a few HTTP
	// and DNS sockets, and their goroutines; the bounds allow that for
	// every domain at once, and no more.
	loadFDsPerDomain        = 32
	loadGoroutinesPerDomain = 160
)

func loadDomain(i int) string {
	if i < loadFaulty {
		return fmt.Sprintf("f%03d.load.test", i)
	}
	return fmt.Sprintf("d%03d.load.test", i)
}

func TestLoad(t *testing.T) {
	// One dovecot serving POP3 and SMTP over implicit TLS (995, 465),
	// which is all a discovery needs to settle: every port it serves
	// costs a dovecot login process per probe, on the same two CPUs.
	var hosts []string
	for i := loadFaulty; i < loadDomains; i++ {
		hosts = append(hosts, "mail."+loadDomain(i))
	}
	bed.Dovecot(t, testbed.DovecotOptions{Hosts: hosts, Services: []testbed.Listener{{StdPort: 995}, {StdPort: 465}}})
	faultIP := bed.NewIP()
	bed.Fault(t, faultIP, 993, testbed.Tarpit)
	bed.Blackhole(faultIP, 465)
	for i := 0; i < loadFaulty; i++ {
		bed.AddA("mail."+loadDomain(i), faultIP)
	}
	o := engineOptions("", dialer(nil))
	o.ProbeTimeout = 5 * time.Second
	o.Timeout = 20 * time.Second
	eng, err := assistant.New(o)
	if err != nil {
		t.Fatal(err)
	}

	before := SnapshotGoroutines()
	sampler := StartSampler(20*time.Millisecond, false, true)
	start := time.Now()
	reports := make([]*assistant.Report, loadDomains)
	var wg sync.WaitGroup
	for i := range loadDomains {
		wg.Go(func() {
			rep, err := eng.Discover(context.Background(), "alice@"+loadDomain(i))
			if err != nil {
				t.Error(err)
				return
			}
			reports[i] = rep
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	peaks := sampler.Stop()
	left := LeftBehind(before, leakWait)
	after := SnapshotGoroutines()

	fig := LoadFigures{Domains: loadDomains, Faulty: loadFaulty, Elapsed: elapsed, Bound: loadBound,
		BaseGoroutines: peaks.BaseGoroutines, PeakGoroutines: peaks.PeakGoroutines, AfterGoroutines: len(after),
		BaseFDs: peaks.BaseFDs, PeakFDs: peaks.PeakFDs, AfterFDs: OpenFDs(), Leaked: len(left)}
	var problems []string
	for i, rep := range reports {
		if rep == nil {
			problems = append(problems, loadDomain(i)+": no report")
			continue
		}
		host := "mail." + loadDomain(i)
		for _, srv := range []*mailcfg.Server{rep.Recommended.Incoming, rep.Recommended.Outgoing} {
			if srv != nil && (i < loadFaulty || srv.Host != host || srv.Security != mailcfg.TLS) {
				problems = append(problems, fmt.Sprintf("%s: recommended %v", loadDomain(i), srv))
			}
		}
		switch in, out := rep.Recommended.Incoming, rep.Recommended.Outgoing; {
		case in != nil && out != nil:
			fig.Complete++
		case in == nil && out == nil:
			fig.Failed++
		}
		for _, c := range rep.Candidates {
			if strings.Contains(c.Error, "DNS lookup") || strings.Contains(c.Error, "not answering") {
				fig.DNSTimeouts++
				break
			}
		}
	}
	if elapsed > loadBound {
		problems = append(problems, fmt.Sprintf("took %v, bound %v", elapsed, loadBound))
	}
	if max := fig.BaseFDs + loadDomains*loadFDsPerDomain; fig.PeakFDs > max {
		problems = append(problems, fmt.Sprintf("peak of %d open descriptors, bound %d", fig.PeakFDs, max))
	}
	if max := fig.BaseGoroutines + loadDomains*loadGoroutinesPerDomain; fig.PeakGoroutines > max {
		problems = append(problems, fmt.Sprintf("peak of %d goroutines, bound %d", fig.PeakGoroutines, max))
	}
	if fig.AfterFDs > fig.BaseFDs+8 {
		problems = append(problems, fmt.Sprintf("%d descriptors open after, %d before", fig.AfterFDs, fig.BaseFDs))
	}
	if len(left) > 0 {
		problems = append(problems, fmt.Sprintf("%d goroutines left behind; first:\n%s", len(left), left[0]))
	}
	fig.Pass = len(problems) == 0
	results.SetLoad(fig)
	t.Logf("%+v", fig)
	for _, p := range problems {
		t.Error(p)
	}
}
