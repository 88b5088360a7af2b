package gui

import (
	"mailsetup/assistant"
	"mailsetup/discover"
	"mailsetup/hints"
	"mailsetup/mailcfg"
)

// qqReport is a discovery of alice@qq.com: POP3 and SMTP fine, an IMAP
// server with a bad certificate, a plain-text POP3 server, a timeout.
func qqReport() *assistant.Report {
	in := mailcfg.Server{Protocol: mailcfg.POP3, Host: "pop.qq.com", Port: 995, Security: mailcfg.TLS, Username: "alice@qq.com"}
	out := mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.qq.com", Port: 465, Security: mailcfg.TLS, Username: "alice@qq.com"}
	builtin := []discover.SourceName{"builtin"}
	return &assistant.Report{
		Email:       "alice@qq.com",
		Provider:    &assistant.ProviderRef{ID: "qq", Name: "QQ Mail"},
		Recommended: assistant.Recommended{Incoming: &in, Outgoing: &out},
		Candidates: []assistant.Candidate{
			{Role: mailcfg.Incoming, Protocol: mailcfg.POP3, Host: "pop.qq.com", Port: 995, Security: mailcfg.TLS,
				Sources: builtin, Status: mailcfg.StatusOK, Username: "alice@qq.com", Trusted: true, ElapsedMS: 84},
			{Role: mailcfg.Incoming, Protocol: mailcfg.IMAP, Host: "imap.qq.com", Port: 993, Security: mailcfg.TLS,
				Sources: builtin, Status: mailcfg.StatusCertInvalid, Username: "alice@qq.com", Trusted: true, ElapsedMS: 95,
				Error: "x509: certificate signed by unknown authority",
				TLS: assistant.TLSFacts{Version: "TLS1.3", Error: "x509: certificate signed by unknown authority",
					Problem: "unknown_authority", Subject: "CN=imap.qq.com", Issuer: "CN=Lab CA", Names: []string{"imap.qq.com"},
					NotAfter: "2030-01-01T00:00:00Z", SHA256: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"}},
			{Role: mailcfg.Incoming, Protocol: mailcfg.POP3, Host: "mail.qq.com", Port: 110, Security: mailcfg.STARTTLS,
				Sources: []discover.SourceName{"guess"}, Status: mailcfg.StatusInsecure, Username: "alice@qq.com", Trusted: true,
				Error: "STARTTLS not offered", ElapsedMS: 40},
			{Role: mailcfg.Incoming, Protocol: mailcfg.IMAP, Host: "imap.evil.test", Port: 993, Security: mailcfg.TLS,
				Sources: []discover.SourceName{"autoconfig"}, Status: mailcfg.StatusOK, Username: "alice@qq.com", Trusted: false,
				Why: "autoconfig over plain HTTP", ElapsedMS: 120},
			{Role: mailcfg.Outgoing, Protocol: mailcfg.SMTP, Host: "smtp.qq.com", Port: 465, Security: mailcfg.TLS,
				Sources: builtin, Status: mailcfg.StatusOK, Username: "alice@qq.com", Trusted: true, ElapsedMS: 77},
			{Role: mailcfg.Outgoing, Protocol: mailcfg.SMTP, Host: "mail.qq.com", Port: 25, Security: mailcfg.STARTTLS,
				Sources: []discover.SourceName{"guess"}, Status: mailcfg.StatusAbandoned, Username: "alice@qq.com", Trusted: true},
		},
		Notes: []hints.Hint{
			{ID: "qq_auth_code", Severity: "info", Text: "QQ Mail wants an authorization code (授权码) as the password.", URL: "https://service.mail.qq.com/"},
			{ID: "lab_note", Severity: "info", Text: "This mailbox lives in the lab."},
			{ID: "cert_unknown_authority", Severity: "warning", Text: "imap.qq.com shows a certificate from an unknown authority."},
		},
		Hints: []string{},
	}
}

// qqEvents is the progress of that discovery as the engine would report it;
// the outgoing port 25 probe is still pending when the events stop.
func qqEvents(rep *assistant.Report) []assistant.Event {
	evs := []assistant.Event{{Kind: assistant.SourceStarted, Source: "builtin"}, {Kind: assistant.SourceStarted, Source: "guess"}}
	for i := range rep.Candidates {
		c := rep.Candidates[i]
		pending := c
		pending.Status = mailcfg.StatusPending
		pending.Error = ""
		evs = append(evs, assistant.Event{Kind: assistant.CandidateAdded, Candidate: &pending})
	}
	for i := range rep.Candidates {
		c := rep.Candidates[i]
		if c.Status == mailcfg.StatusAbandoned {
			phase := assistant.Event{Kind: assistant.ProbePhase, Phase: "connect", Candidate: &assistant.Candidate{
				Role: c.Role, Protocol: c.Protocol, Host: c.Host, Port: c.Port, Security: c.Security}}
			evs = append(evs, phase)
			continue
		}
		evs = append(evs, assistant.Event{Kind: assistant.ProbeFinished, Candidate: &c})
	}
	return append(evs, assistant.Event{Kind: assistant.SourceFinished, Source: "builtin"})
}

// mixedReport is a discovery of bob@example.test where the guesses come
// back first: three guessed names that do not exist, a guess that refuses,
// a working guess, and the built-in table's servers, one with a bad
// certificate. An SRV record's server is still pending.
func mixedReport() *assistant.Report {
	guess := []discover.SourceName{discover.SourceGuess}
	builtin := []discover.SourceName{discover.SourceBuiltin}
	cand := func(role mailcfg.Role, p mailcfg.Protocol, host string, port int, sec mailcfg.Security, src []discover.SourceName, st mailcfg.Status) assistant.Candidate {
		return assistant.Candidate{Role: role, Protocol: p, Host: host, Port: port, Security: sec, Sources: src, Status: st, Trusted: true}
	}
	in, out := mailcfg.Incoming, mailcfg.Outgoing
	return &assistant.Report{
		Email: "bob@example.test",
		Candidates: []assistant.Candidate{
			cand(in, mailcfg.IMAP, "imap.example.test", 993, mailcfg.TLS, guess, mailcfg.StatusUnresolved),
			cand(out, mailcfg.SMTP, "smtp.example.test", 465, mailcfg.TLS, guess, mailcfg.StatusUnresolved),
			cand(in, mailcfg.POP3, "pop.example.test", 995, mailcfg.TLS, guess, mailcfg.StatusUnresolved),
			cand(in, mailcfg.IMAP, "example.test", 143, mailcfg.STARTTLS, guess, mailcfg.StatusRefused),
			cand(in, mailcfg.IMAP, "mail.example.test", 993, mailcfg.TLS, guess, mailcfg.StatusOK),
			cand(out, mailcfg.SMTP, "out.example.net", 465, mailcfg.TLS, builtin, mailcfg.StatusOK),
			cand(in, mailcfg.IMAP, "in.example.net", 143, mailcfg.STARTTLS, builtin, mailcfg.StatusTLSError),
			cand(in, mailcfg.IMAP, "in.example.net", 993, mailcfg.TLS, builtin, mailcfg.StatusOK),
			// Named by a guess and by SRV, it does not resolve: a real
			// source named it, so it keeps its row.
			cand(in, mailcfg.POP3, "pop.example.net", 995, mailcfg.TLS, []discover.SourceName{discover.SourceGuess, discover.SourceSRV}, mailcfg.StatusUnresolved),
		},
		Notes: []hints.Hint{},
		Hints: []string{},
	}
}

// mixedEvents reports each candidate, pending, then settled, in the
// report's order.
func mixedEvents(rep *assistant.Report) []assistant.Event {
	evs := []assistant.Event{{Kind: assistant.SourceStarted, Source: "guess"}, {Kind: assistant.SourceStarted, Source: "builtin"}}
	for i := range rep.Candidates {
		pending := rep.Candidates[i]
		pending.Status = mailcfg.StatusPending
		evs = append(evs, assistant.Event{Kind: assistant.CandidateAdded, Candidate: &pending})
	}
	for i := range rep.Candidates {
		c := rep.Candidates[i]
		evs = append(evs, assistant.Event{Kind: assistant.ProbeFinished, Candidate: &c})
	}
	return evs
}
