package assistant

import (
	"context"
	"testing"
	"time"

	"mailsetup/hints"
	"mailsetup/mailcfg"
)

// Regressions found by the fault matrix of internal/reliability.

// A plain "error" status says nothing of the stage: it must not be taken
// for a discovery that found nothing (the "no settings found" fallback).
func TestErrorStatusHintsByItsWords(t *testing.T) {
	c := &Candidate{Protocol: mailcfg.POP3, Host: "mail.example.test", Port: 110, Security: mailcfg.STARTTLS,
		Status: mailcfg.StatusError, Error: "the server reset the connection (during greeting)"}
	hs := hints.Match(factsFor(c, ""), "en")
	if len(hs) == 0 || hs[0].ID != "connection_reset" {
		t.Fatalf("hints %+v, want connection_reset first", hs)
	}
}

// The domain check after a run must not push the answer far past the
// run's deadline (a dead DNS server took the whole check every time).
func TestDomainCheckBudget(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		left time.Duration // before the deadline; 0: no deadline
		want time.Duration
	}{
		{0, domainCheckTimeout},
		{time.Hour, domainCheckTimeout},
		{time.Second, time.Second},
		{-time.Second, minDomainCheck},
	} {
		ctx := context.Background()
		if tc.left != 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, now.Add(tc.left))
			defer cancel()
		}
		if got := domainCheckBudget(ctx, now); got != tc.want {
			t.Errorf("%v left: budget %v, want %v", tc.left, got, tc.want)
		}
	}
}
