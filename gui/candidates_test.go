package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/discover"
	"mailsetup/mailcfg"
)

// wantMixedOrder is the list as the engine ranks it, and as the command
// line prints it: incoming before outgoing; working servers first, the
// built-in table before a guess; then by encryption and source.
var wantMixedOrder = []string{
	"imap://in.example.net:993/tls",      // ok, built-in
	"imap://mail.example.test:993/tls",   // ok, but only a guess
	"pop3://pop.example.net:995/tls",     // failed, TLS, SRV (and a guess)
	"imap://in.example.net:143/starttls", // failed, STARTTLS, built-in
	"imap://example.test:143/starttls",   // failed guess that exists
	"smtp://out.example.net:465/tls",     // outgoing
}

// shownRows lists the keys of the rows the list shows, top to bottom, and
// the text of a trailing summary line, if any.
func shownRows(t *testing.T, l *candidateList) (keys []string, summary string) {
	t.Helper()
	for i, o := range l.box.Objects {
		if lbl, ok := o.(*widget.Label); ok && lbl == l.missing {
			if i != len(l.box.Objects)-1 {
				t.Errorf("the summary line is at %d of %d, want it last", i, len(l.box.Objects))
			}
			summary = lbl.Text
			continue
		}
		found := false
		for key, r := range l.rows {
			if r.view == o {
				keys = append(keys, key)
				found = true
			}
		}
		if !found {
			t.Errorf("object %d of the list is no row", i)
		}
	}
	return keys, summary
}

func TestSearchOrdersByPromiseAndCollapsesMissingGuesses(t *testing.T) {
	rep := mixedReport()
	eng := &fakeEngine{report: rep, events: mixedEvents(rep), gate: make(chan struct{}), started: make(chan struct{})}
	h := newHarness(t, eng)
	f := h.u.setup
	test.Type(f.address.address, "bob@example.test")
	pressEnter(f.address.address)
	<-eng.started
	h.drain()
	if f.step != stepSearch {
		t.Fatalf("step = %d, want the search page", f.step)
	}
	keys, summary := shownRows(t, f.search.list)
	if !slices.Equal(keys, wantMixedOrder) {
		t.Errorf("search rows:\n got %v\nwant %v", keys, wantMixedOrder)
	}
	if summary != "3 guessed server names do not exist" || !h.shows(summary) {
		t.Errorf("summary line %q, shown %v", summary, h.shows(summary))
	}
	if h.shows("imap.example.test") || h.shows("smtp.example.test") {
		t.Error("a guessed name that does not exist still has a row")
	}

	// The servers page shares the list: same order, same summary.
	close(eng.gate)
	h.settle()
	if f.step != stepServers {
		t.Fatalf("step = %d after the report, want the servers page", f.step)
	}
	keys, summary = shownRows(t, f.servers.list)
	if !slices.Equal(keys, wantMixedOrder) {
		t.Errorf("servers rows:\n got %v\nwant %v", keys, wantMixedOrder)
	}
	if summary != "3 guessed server names do not exist" {
		t.Errorf("servers summary line %q", summary)
	}
}

// TestCandidateListKeepsItsOrderWhileProbing streams events one by one:
// rows enter by the engine's rank, a guess that arrives first still ends
// below the built-in server of its class, a row that settles as ok rises,
// and the summary line appears with the first missing guess and counts in
// the singular.
func TestCandidateListKeepsItsOrderWhileProbing(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	test.NewTempApp(t)
	l := newCandidateList(assistant.Preference{Protocol: mailcfg.POP3}, nil)
	guess := []discover.SourceName{discover.SourceGuess}
	builtin := []discover.SourceName{discover.SourceBuiltin}
	mk := func(host string, port int, sec mailcfg.Security, role mailcfg.Role, src []discover.SourceName, st mailcfg.Status) *assistant.Candidate {
		p := mailcfg.IMAP
		if role == mailcfg.Outgoing {
			p = mailcfg.SMTP
		}
		return &assistant.Candidate{Role: role, Protocol: p, Host: host, Port: port, Security: sec, Sources: src, Status: st, Trusted: true}
	}
	steps := []struct {
		name    string
		cand    *assistant.Candidate
		want    []string
		summary string
	}{
		{"a guess first", mk("g.test", 993, mailcfg.TLS, mailcfg.Incoming, guess, mailcfg.StatusPending),
			[]string{"imap://g.test:993/tls"}, ""},
		{"outgoing goes below incoming", mk("b.test", 465, mailcfg.TLS, mailcfg.Outgoing, builtin, mailcfg.StatusPending),
			[]string{"imap://g.test:993/tls", "smtp://b.test:465/tls"}, ""},
		{"starttls below tls", mk("b.test", 143, mailcfg.STARTTLS, mailcfg.Incoming, builtin, mailcfg.StatusPending),
			[]string{"imap://g.test:993/tls", "imap://b.test:143/starttls", "smtp://b.test:465/tls"}, ""},
		{"built-in above a guess", mk("b.test", 993, mailcfg.TLS, mailcfg.Incoming, builtin, mailcfg.StatusPending),
			[]string{"imap://b.test:993/tls", "imap://g.test:993/tls", "imap://b.test:143/starttls", "smtp://b.test:465/tls"}, ""},
		{"a missing guess collapses", mk("x.test", 993, mailcfg.TLS, mailcfg.Incoming, guess, mailcfg.StatusUnresolved),
			[]string{"imap://b.test:993/tls", "imap://g.test:993/tls", "imap://b.test:143/starttls", "smtp://b.test:465/tls"},
			"1 guessed server name does not exist"},
		{"the guess settles ok and rises", mk("g.test", 993, mailcfg.TLS, mailcfg.Incoming, guess, mailcfg.StatusOK),
			[]string{"imap://g.test:993/tls", "imap://b.test:993/tls", "imap://b.test:143/starttls", "smtp://b.test:465/tls"},
			"1 guessed server name does not exist"},
		{"a failure moves nothing", mk("b.test", 143, mailcfg.STARTTLS, mailcfg.Incoming, builtin, mailcfg.StatusRefused),
			[]string{"imap://g.test:993/tls", "imap://b.test:993/tls", "imap://b.test:143/starttls", "smtp://b.test:465/tls"},
			"1 guessed server name does not exist"},
		{"a second missing guess", mk("y.test", 465, mailcfg.TLS, mailcfg.Outgoing, guess, mailcfg.StatusUnresolved),
			[]string{"imap://g.test:993/tls", "imap://b.test:993/tls", "imap://b.test:143/starttls", "smtp://b.test:465/tls"},
			"2 guessed server names do not exist"},
	}
	for _, s := range steps {
		l.upsert(s.cand, "")
		keys, summary := shownRows(t, l)
		if !slices.Equal(keys, s.want) || summary != s.summary {
			t.Errorf("%s:\n got %v %q\nwant %v %q", s.name, keys, summary, s.want, s.summary)
		}
	}
}
