package assistant

import (
	"context"
	"strings"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// A DNS server that never answers is declared so after a few timeouts:
// the look-ups still waiting give up, the rest are not sent, and the
// report says that the DNS server is the problem.
func TestDeadDNSServerIsNamed(t *testing.T) {
	sc := scenarios.DeadDNS
	e := bedEngine(t, Options{DNS: sc.DNS, Timeout: 30 * time.Second})
	rep, err := e.Discover(context.Background(), sc.Email)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Recommended.Incoming != nil || rep.Recommended.Outgoing != nil {
		t.Fatalf("recommended %+v", rep.Recommended)
	}
	named := 0
	for _, c := range rep.Candidates {
		if c.Status == mailcfg.StatusAbandoned {
			t.Errorf("%s:%d was still pending: the run waited for its timeout", c.Host, c.Port)
		}
		if strings.Contains(c.Error, "is not answering") {
			named++
		}
	}
	if named == 0 {
		t.Errorf("no candidate says the DNS server is not answering: %s", summary(rep))
	}
	found := false
	for _, n := range rep.Notes {
		found = found || n.ID == "dns_failure"
	}
	if !found {
		t.Errorf("notes %+v lack dns_failure", rep.Notes)
	}
}
