package hints

import (
	"testing"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

func FuzzMatch(f *testing.F) {
	for _, tc := range matchCases {
		x := tc.facts
		f.Add(x.Stage, string(x.Status), string(x.Protocol), x.Host, x.Port, x.ProviderID, x.Reply, x.Code,
			x.CertProblem, x.CertIssuer, x.CertNames, x.DNSError, x.AuthFailed, x.Error, x.StaleHost, x.StaleReason, tc.lang)
	}
	f.Add("login", "error", "imap", "\x00", -1, "qq\xff", "\xff\xfe{host}", "[", "x", "{issuer}", "{", "nx", true, "]", "{", "}", "zh_TW.\xff")
	f.Fuzz(func(t *testing.T, stage, status, protocol, host string, port int, providerID, reply, code,
		certProblem, issuer, names, dnsErr string, authFailed bool, errText, staleHost, staleReason, lang string) {
		facts := Facts{Stage: stage, Status: mailcfg.Status(status), Protocol: mailcfg.Protocol(protocol), Host: host, Port: port,
			ProviderID: providerID, Reply: reply, Code: code, CertProblem: certProblem, CertIssuer: issuer, CertNames: names,
			CertSHA256: names, CertNotAfter: issuer, DNSError: dnsErr, AuthFailed: authFailed, Error: errText,
			StaleHost: staleHost, StaleReason: staleReason}
		hs := Match(facts, lang)
		checkHints(t, hs)
		if lang := l10n.Normalize(lang); lang != "en" && lang != "zh-Hans" && lang != "zh-Hant" {
			t.Fatalf("NormalizeLang gave %q", lang)
		}
	})
}
