package hints

import (
	"testing"

	"mailsetup/mailcfg"
)

// Regressions found by the fault matrix of internal/reliability: the
// probe's own words for a reset and for a plain answer on a TLS port got
// the fallback hint instead of the one that explains them.
func TestProbeWordsFindTheirHints(t *testing.T) {
	for _, tc := range []struct {
		f    Facts
		want string
	}{
		{Facts{Status: mailcfg.StatusError, Error: "the server reset the connection (during greeting)"}, "connection_reset"},
		{Facts{Status: mailcfg.StatusError, Error: "the server closed the connection (during capabilities)"}, "connection_reset"},
		{Facts{Stage: StageTLS, Status: mailcfg.StatusTLSError,
			Error: `the server did not answer with TLS (it sent "HTTP/"): the port probably expects a plain connection or STARTTLS`},
			"tls_wrong_mode"},
	} {
		var ids []string
		for _, h := range Match(tc.f, "en") {
			ids = append(ids, h.ID)
		}
		found := false
		for _, id := range ids {
			found = found || id == tc.want
		}
		if !found {
			t.Errorf("%q: hints %v, want %s", tc.f.Error, ids, tc.want)
		}
	}
}
