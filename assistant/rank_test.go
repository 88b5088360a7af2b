package assistant

import (
	"testing"

	"mailsetup/discover"
	"mailsetup/mailcfg"
)

func cand(proto mailcfg.Protocol, port int, sec mailcfg.Security, status mailcfg.Status, ms int64, src discover.SourceName) *Candidate {
	return &Candidate{Role: proto.Role(), Protocol: proto, Host: "h", Port: port, Security: sec, Status: status,
		ElapsedMS: ms, Sources: []discover.SourceName{src}, Trusted: true}
}

func TestRanking(t *testing.T) {
	r := &run{e: &Engine{opts: Options{Protocol: mailcfg.POP3}}}
	tests := []struct {
		name          string
		better, worse *Candidate
	}{
		{"ok beats insecure", cand("pop3", 110, "starttls", "ok", 90, "guess"), cand("pop3", 110, "none", "insecure", 5, "builtin")},
		{"insecure beats cert_invalid", cand("pop3", 110, "none", "insecure", 90, "guess"), cand("pop3", 995, "tls", "cert_invalid", 5, "builtin")},
		{"tls beats starttls", cand("pop3", 995, "tls", "ok", 90, "guess"), cand("pop3", 110, "starttls", "ok", 5, "builtin")},
		{"preferred protocol", cand("pop3", 995, "tls", "ok", 90, "guess"), cand("imap", 993, "tls", "ok", 5, "builtin")},
		{"465 beats 587", cand("smtp", 465, "tls", "ok", 90, "guess"), cand("smtp", 587, "starttls", "ok", 5, "builtin")},
		{"587 beats 25", cand("smtp", 587, "starttls", "ok", 90, "guess"), cand("smtp", 25, "starttls", "ok", 5, "builtin")},
		{"trust", cand("pop3", 995, "tls", "ok", 90, "builtin"), cand("pop3", 995, "tls", "ok", 5, "srv")},
		{"latency", cand("pop3", 995, "tls", "ok", 5, "srv"), cand("pop3", 995, "tls", "ok", 90, "srv")},
	}
	for _, tt := range tests {
		if !r.key(tt.better, false).better(r.key(tt.worse, false)) {
			t.Errorf("%s: %+v should outrank %+v", tt.name, r.key(tt.better, false), r.key(tt.worse, false))
		}
		if r.key(tt.worse, false).better(r.key(tt.better, false)) {
			t.Errorf("%s: ranking is not antisymmetric", tt.name)
		}
	}
	if k := r.key(cand("pop3", 110, "starttls", "insecure", 5, "builtin"), false); k.security != 0 {
		t.Errorf("a STARTTLS port that offers no STARTTLS is plain text: %+v", k)
	}
	untrusted := cand("pop3", 995, "tls", "ok", 1, "srv")
	untrusted.Trusted = false
	if !r.key(cand("pop3", 995, "tls", "ok", 90, "guess"), false).better(r.key(untrusted, false)) {
		t.Error("an untrusted source must rank below a trusted guess")
	}
	imap := &run{e: &Engine{opts: Options{Protocol: mailcfg.IMAP}}}
	if !imap.key(cand("imap", 993, "tls", "ok", 90, "guess"), false).better(imap.key(cand("pop3", 995, "tls", "ok", 5, "builtin"), false)) {
		t.Error("--protocol imap must prefer IMAP")
	}
	// Preferred by default, security still comes first; chosen, the
	// protocol does, but never over usability.
	startTLS, tls := cand("imap", 143, "starttls", "ok", 5, "guess"), cand("pop3", 995, "tls", "ok", 5, "guess")
	if imap.key(startTLS, false).better(imap.key(tls, false)) {
		t.Error("IMAP preferred by default: POP3 over TLS must outrank IMAP with STARTTLS")
	}
	chosen := &run{e: &Engine{opts: Options{Protocol: mailcfg.IMAP, ProtocolChosen: true}}}
	if !chosen.key(startTLS, false).better(chosen.key(tls, false)) {
		t.Error("IMAP chosen: IMAP with STARTTLS must outrank POP3 over TLS")
	}
	if chosen.key(cand("imap", 993, "tls", "refused", 5, "guess"), false).better(chosen.key(tls, false)) {
		t.Error("IMAP chosen: a failed IMAP server must not outrank a usable POP3 one")
	}
}

func TestPendingCouldBeat(t *testing.T) {
	r := &run{e: &Engine{opts: Options{Protocol: mailcfg.POP3}}, running: map[discover.SourceName]bool{}}
	best := cand("pop3", 110, "starttls", "ok", 20, "builtin")
	r.cands = []*Candidate{best, cand("pop3", 995, "tls", "pending", 0, "builtin")}
	if !r.couldBeatLocked(mailcfg.Incoming, r.key(best, false)) {
		t.Error("a pending TLS candidate could beat a STARTTLS one")
	}
	r.cands[1] = cand("imap", 143, "starttls", "pending", 0, "builtin")
	if r.couldBeatLocked(mailcfg.Incoming, r.key(best, false)) {
		t.Error("a pending IMAP STARTTLS candidate cannot beat POP3 STARTTLS")
	}
	r.running[discover.SourceSRV] = true
	if !r.couldBeatLocked(mailcfg.Incoming, r.key(best, false)) {
		t.Error("a running source could still name a TLS server")
	}
	top := cand("pop3", 995, "tls", "ok", 20, "builtin")
	if r.couldBeatLocked(mailcfg.Incoming, r.key(top, false)) {
		t.Error("nothing a less trusted source finds can beat builtin POP3 over TLS")
	}

	// IMAP chosen: the POP3 servers, probed only once IMAP is settled,
	// must not hold up an IMAP answer with STARTTLS.
	chosen := &run{e: &Engine{opts: Options{Protocol: mailcfg.IMAP, ProtocolChosen: true}}, running: map[discover.SourceName]bool{}}
	best = cand("imap", 143, "starttls", "ok", 20, "guess")
	chosen.cands = []*Candidate{best, cand("pop3", 995, "tls", "pending", 0, "guess")}
	if chosen.couldBeatLocked(mailcfg.Incoming, chosen.key(best, false)) {
		t.Error("IMAP chosen: a pending POP3 server cannot beat IMAP with STARTTLS")
	}
	chosen.cands = append(chosen.cands, cand("imap", 993, "tls", "pending", 0, "guess"))
	if !chosen.couldBeatLocked(mailcfg.Incoming, chosen.key(best, false)) {
		t.Error("IMAP chosen: a pending IMAP TLS server could beat IMAP with STARTTLS")
	}
}
