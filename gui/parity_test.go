package gui

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mailsetup/assistant"
	"mailsetup/cli"
	"mailsetup/hints"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// TestWindowAndCommandLineAgree is the promise that one engine decides:
// for standard scenarios of the test bed, the window (driven with the real
// engine from the address page to the servers page) and `mailsetup
// discover --json` (run in process) recommend the same servers, list the
// candidates in the same order and show the same notes.
//
// Two discoveries are two runs: a candidate's latency, and so its place
// among candidates that rank alike but for latency, may differ between
// them, and a probe may be abandoned in one and settled in the other. Such
// ties are compared as sets and such candidates are left out.
func TestWindowAndCommandLineAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the test bed")
	}
	bed := testbed.Start(t)
	std := bed.Standard(t)
	// The built-in table's QQ Mail, with its servers on the bed.
	bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"pop.qq.com", "imap.qq.com", "smtp.qq.com"},
		Users: map[string]string{"alice@qq.com": testbed.DefaultPassword}})
	wire := func(o *assistant.Options) error {
		o.Dialer = bed.Dialer()
		o.CAFile = bed.CAFile
		return nil
	}
	cases := []struct {
		name, email string
		protocol    mailcfg.Protocol
		lang        string
	}{
		{"builtin", "alice@qq.com", mailcfg.POP3, "en"},
		{"builtin in Chinese", "alice@qq.com", mailcfg.IMAP, "zh-Hans"},
		{"srv", std.SRV.Email, mailcfg.POP3, "en"},
		{"srv outside the domain", std.SRVOut.Email, mailcfg.POP3, "en"},
		{"autoconfig", std.Autoconfig.Email, mailcfg.IMAP, "en"},
		{"guess", std.Guess.Email, mailcfg.POP3, "en"},
		{"mx", std.Hosted.Email, mailcfg.POP3, "zh-Hant"},
		{"cert invalid", std.SelfSigned.Email, mailcfg.POP3, "en"},
		{"cert invalid in Chinese", std.WrongName.Email, mailcfg.POP3, "zh-Hant"},
		{"insecure", std.Plain.Email, mailcfg.POP3, "en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := discoverJSON(t, wire, bed.DNSAddr, c.email, c.protocol, c.lang)
			got := discoverInWindow(t, wire, bed.DNSAddr, c.email, c.protocol, c.lang)

			for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
				card := got.card(role)
				switch rec := want.Recommendation(role); {
				case rec == nil && card.Host != "":
					t.Errorf("%s: the window proposes %+v, the command line recommends nothing", role, card)
				case rec != nil && card != *rec:
					t.Errorf("%s: the window proposes %+v, the command line recommends %+v", role, card, *rec)
				}
			}
			compareOrder(t, got.listed, listed(want), assistant.Preference{Protocol: c.protocol, Chosen: true})
			wantNotes := want.Notes
			if want.Provider != nil { // the provider panel holds the other notes, above the banner's
				wantNotes = append(slices.DeleteFunc(slices.Clone(wantNotes), isWarning),
					slices.DeleteFunc(slices.Clone(wantNotes), func(h hints.Hint) bool { return !isWarning(h) })...)
			}
			if !slices.EqualFunc(got.notes, wantNotes, func(a, b hints.Hint) bool { return a.ID == b.ID && a.Text == b.Text }) {
				t.Errorf("notes differ:\nwindow:       %s\ncommand line: %s", noteTexts(got.notes), noteTexts(wantNotes))
			}
			for _, n := range got.notes {
				if !got.h.shows(n.Text) {
					t.Errorf("the note %q is not on show", n.Text)
				}
			}
			if c.lang != "en" {
				for _, text := range texts(got.h.u.win.Content()) {
					if words := englishWords(text); len(words) > 0 {
						t.Errorf("the %s window shows English %q in %q", c.lang, words, text)
					}
				}
			}
		})
	}
}

// discoverJSON runs `mailsetup discover --json` in process and reads its report.
func discoverJSON(t *testing.T, wire func(*assistant.Options) error, dns, email string, p mailcfg.Protocol, lang string) *assistant.Report {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := []string{"discover", email, "--json", "--dns", dns, "--offline", "--timeout", "15s",
		"--protocol", string(p), "--lang", lang}
	code := cli.Run(args, cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Wire: wire})
	if code != 0 && code != 1 { // 1: nothing usable, still a report
		t.Fatalf("discover exit %d: %s", code, stderr.String())
	}
	var rep assistant.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("discover --json: %v\n%s", err, stdout.String())
	}
	if rep.Protocol == "" {
		rep.Protocol = p
	}
	return &rep
}

// windowView is what the servers page shows.
type windowView struct {
	h       *harness
	in, out mailcfg.Server
	listed  []*assistant.Candidate
	notes   []hints.Hint
}

func (v windowView) card(role mailcfg.Role) mailcfg.Server {
	if role == mailcfg.Outgoing {
		return v.out
	}
	return v.in
}

// discoverInWindow types the address into a window on the real engine and
// reads the servers page.
func discoverInWindow(t *testing.T, wire func(*assistant.Options) error, dns, email string, p mailcfg.Protocol, lang string) windowView {
	t.Helper()
	t.Setenv("LANGUAGE", "en")
	a := test.NewTempApp(t)
	prefs := a.Preferences()
	prefs.SetString(prefLanguage, lang)
	prefs.SetString(prefDNS, dns)
	prefs.SetBool(prefOffline, true)
	prefs.SetInt(prefTimeout, 15)
	h := newHarnessEngine(t, a, NewEngine(wire))
	w := h.u.setup
	test.Type(w.address.address, email)
	w.address.protocol.SetSelected(protocolText(p))
	pressEnter(w.address.address)
	deadline := time.Now().Add(time.Minute)
	for w.step == stepSearch && time.Now().Before(deadline) {
		h.settle()
	}
	if w.step != stepServers {
		t.Fatalf("the window is on step %d, want the servers page; notice %q", w.step, w.m.notice)
	}
	return windowView{h: h, in: cardServer(t, w.servers.in), out: cardServer(t, w.servers.out),
		listed: w.servers.list.shown(), notes: w.servers.notes}
}

// cardServer reads a server card's fields as the user sees them.
func cardServer(t *testing.T, c *serverCard) mailcfg.Server {
	t.Helper()
	srv := mailcfg.Server{Protocol: mailcfg.SMTP, Host: c.host.Text, Username: c.user.Text}
	if c.protocol != nil {
		srv.Protocol = incomingProtocols[c.protocol.SelectedIndex()]
	}
	if c.port.Text != "" {
		n, err := strconv.Atoi(c.port.Text)
		if err != nil {
			t.Fatalf("port field %q", c.port.Text)
		}
		srv.Port = n
	}
	modes, _ := securityOptions()
	if i := c.security.SelectedIndex(); i >= 0 {
		srv.Security = modes[i]
	}
	return srv
}

// listed is the report's candidates as a list shows them: collapsed
// guesses counted, not listed.
func listed(rep *assistant.Report) []*assistant.Candidate {
	var out []*assistant.Candidate
	for i := range rep.Candidates {
		if c := &rep.Candidates[i]; !c.Collapsed() {
			out = append(out, c)
		}
	}
	return out
}

// compareOrder checks that two runs list the same candidates in the same
// order, up to candidates that rank alike but for latency. A candidate
// whose status differs between the runs, or that was abandoned, is left
// out: its place depends on timing.
func compareOrder(t *testing.T, window, cli []*assistant.Candidate, pref assistant.Preference) {
	t.Helper()
	status := func(list []*assistant.Candidate) map[string]mailcfg.Status {
		m := map[string]mailcfg.Status{}
		for _, c := range list {
			m[c.Server().Key()] = c.Status
		}
		return m
	}
	ws, cs := status(window), status(cli)
	stable := func(c *assistant.Candidate) bool {
		k := c.Server().Key()
		return ws[k] == cs[k] && c.Status != mailcfg.StatusAbandoned && c.Status.Settled()
	}
	keep := func(list []*assistant.Candidate) []*assistant.Candidate {
		return slices.DeleteFunc(slices.Clone(list), func(c *assistant.Candidate) bool { return !stable(c) })
	}
	a, b := keep(window), keep(cli)
	if len(a) == 0 {
		t.Fatalf("no candidate to compare: window %s, command line %s", keys(window), keys(cli))
	}
	ra, rb := runs(a, pref), runs(b, pref)
	if !slices.EqualFunc(ra, rb, slices.Equal[[]string]) {
		t.Errorf("candidate order differs:\nwindow:       %v\ncommand line: %v", ra, rb)
	}
	if len(a) < len(window) || len(b) < len(cli) {
		t.Logf("left out for timing: window %s, command line %s", keys(window), keys(cli))
	}
}

// runs groups a ranked list into runs of candidates that rank alike, each
// run's keys sorted.
func runs(list []*assistant.Candidate, pref assistant.Preference) [][]string {
	var out [][]string
	for i, c := range list {
		if i == 0 || !assistant.SameRank(list[i-1], c, pref) {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], c.Server().Key())
	}
	for _, r := range out {
		slices.Sort(r)
	}
	return out
}

func keys(list []*assistant.Candidate) string {
	parts := make([]string, len(list))
	for i, c := range list {
		parts[i] = c.Server().Key() + "=" + string(c.Status)
	}
	return strings.Join(parts, " ")
}

var (
	latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9._@:/-]*`)
	webURL    = regexp.MustCompile(`https?://\S+`)
	// technical are the words a Chinese window may show in Latin letters.
	technical = map[string]bool{}
)

func init() {
	for _, w := range strings.Fields(`POP POP3 IMAP SMTP SSL TLS SSL/TLS STARTTLS DNS SRV MX HTTP HTTPS SHA SHA-256 ms
		Autodiscover Thunderbird Foxmail Outlook QQ CardDAV CalDAV Exchange POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV mailsetup WeChat`) {
		technical[w] = true
	}
}

// englishWords finds the English words of a text meant to be Chinese:
// Latin words that are neither technical terms nor names (a host, an
// address, a version: with a dot, an @, a colon or a digit in them).
func englishWords(text string) []string {
	var out []string
	for _, w := range latinWord.FindAllString(webURL.ReplaceAllString(text, " "), -1) {
		w = strings.TrimRight(w, ".:/-")
		if technical[w] || strings.ContainsAny(w, ".@:0123456789") {
			continue
		}
		out = append(out, w)
	}
	return out
}

func noteTexts(notes []hints.Hint) string {
	parts := make([]string, len(notes))
	for i, n := range notes {
		parts[i] = n.ID + ": " + n.Text
	}
	return "[" + strings.Join(parts, " | ") + "]"
}
