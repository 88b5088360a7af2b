package perf

import (
	"math"
	"strings"
	"testing"
	"time"

	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

func TestFloors(t *testing.T) {
	s := &testbed.Scenarios{}
	for _, p := range []**testbed.Scenario{&s.SRV, &s.Guess, &s.Autoconfig, &s.ISPDB, &s.Tarpit} {
		srv := mailcfg.Server{Protocol: mailcfg.POP3, Host: "h", Port: 995, Security: mailcfg.TLS}
		*p = &testbed.Scenario{Incoming: &srv, Outgoing: &srv}
	}
	cases := append([]Case{qqCase(), slowCase()}, standardCases(s)...)
	want := map[string]float64{"builtin": 5, "srv": 5, "guess": 5, "autoconfig": 5, "ispdb": 9, "tarpit": 7, "slow": 7}
	for _, c := range cases {
		if got := c.Floor.RTTs(); got != want[c.Name] {
			t.Errorf("%s: floor %g RTT, want %g (%s)", c.Name, got, want[c.Name], c.Floor.Critical())
		}
		if got := c.Floor.At(50 * time.Millisecond); got != time.Duration(want[c.Name]*50)*time.Millisecond {
			t.Errorf("%s: floor at 50 ms = %v", c.Name, got)
		}
	}
	if got := probeSTARTTLS("x").String(); !strings.HasSuffix(got, "= 7 RTT") || !strings.Contains(got, "STARTTLS 1") {
		t.Errorf("STARTTLS path reads %q", got)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	samples := ms(50, 10, 40, 20, 30, 60, 70, 80, 90, 100)
	for _, tt := range []struct {
		p    float64
		want int
	}{{50, 50}, {95, 100}, {10, 10}, {100, 100}, {1, 10}} {
		if got := Percentile(samples, tt.p); got != time.Duration(tt.want)*time.Millisecond {
			t.Errorf("p%g = %v, want %dms", tt.p, got, tt.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("no samples, no percentile")
	}
	if samples[0] != 50*time.Millisecond {
		t.Error("Percentile sorted its argument")
	}
}

func TestVerdicts(t *testing.T) {
	clean := Result{Case: "builtin", RTT: 50 * time.Millisecond, Runs: 20, Floor: 250 * time.Millisecond,
		FloorRTT: 5, P50: 300 * time.Millisecond, P95: 400 * time.Millisecond}
	slow := clean
	slow.Case, slow.Slow, slow.P50 = "slow", true, 450*time.Millisecond
	over := clean
	over.P50 = 400 * time.Millisecond
	wrong := clean
	wrong.Wrong = 2
	zero := Result{Case: "builtin", Runs: 20, FloorRTT: 5, P50: 20 * time.Millisecond}
	for _, tt := range []struct {
		r    Result
		want string
	}{{clean, "ok"}, {slow, "ok"}, {over, "over target"}, {wrong, "2 wrong"}, {zero, "ok"}} {
		if got := verdict(tt.r); got != tt.want {
			t.Errorf("%+v: verdict %q, want %q", tt.r, got, tt.want)
		}
	}
	if !math.IsNaN(zero.Ratio50()) {
		t.Error("a zero floor has no ratio")
	}
	if Met([]Result{clean, slow}) != true || Met([]Result{clean, over}) != false {
		t.Error("Met disagrees with the verdicts")
	}
	var b strings.Builder
	if err := WriteTable(&b, []Result{clean, over}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "1.20") || !strings.Contains(b.String(), "over target") {
		t.Errorf("table:\n%s", b.String())
	}
}

func TestLoginFloors(t *testing.T) {
	s := &testbed.Scenarios{}
	set := func(sc **testbed.Scenario, in, imap, out mailcfg.Server) {
		*sc = &testbed.Scenario{Incoming: &in, IncomingIMAP: &imap, Outgoing: &out}
	}
	tls := func(p mailcfg.Protocol, port int) mailcfg.Server {
		return mailcfg.Server{Protocol: p, Host: "h", Port: port, Security: mailcfg.TLS}
	}
	starttls := func(p mailcfg.Protocol, port int) mailcfg.Server {
		return mailcfg.Server{Protocol: p, Host: "h", Port: port, Security: mailcfg.STARTTLS}
	}
	for _, sc := range []**testbed.Scenario{&s.SRV, &s.Guess, &s.Autoconfig, &s.ISPDB} {
		set(sc, tls(mailcfg.POP3, 995), tls(mailcfg.IMAP, 993), tls(mailcfg.SMTP, 465))
	}
	set(&s.STARTTLS, starttls(mailcfg.POP3, 110), starttls(mailcfg.IMAP, 143), starttls(mailcfg.SMTP, 587))
	set(&s.Tarpit, tls(mailcfg.IMAP, 993), tls(mailcfg.IMAP, 993), starttls(mailcfg.SMTP, 587))

	// Verified login and rejected password, in RTT. IMAP over TLS: DNS,
	// TCP, TLS, greeting with capabilities, AUTHENTICATE, EXAMINE = 6;
	// SMTP on 465: 5 + AUTH = 6; POP3 on 995: 5 + USER/PASS/STAT in one
	// flight = 6.
	want := map[mailcfg.Protocol]map[string][2]float64{
		mailcfg.IMAP: {"builtin": {6, 6}, "srv": {6, 7}, "guess": {6, 7}, "autoconfig": {6, 7}, "autoconfig-named": {10, 11},
			"ispdb": {10, 11}, "starttls": {8, 9}, "tarpit": {8, 9}, "slow": {8, 9}},
		mailcfg.POP3: {"builtin": {6, 6}, "srv": {6, 7}, "guess": {6, 7}, "autoconfig": {6, 7}, "autoconfig-named": {10, 11},
			"ispdb": {10, 11}, "starttls": {8, 9}, "tarpit": {8, 9}, "slow": {8, 9}},
	}
	for _, p := range []mailcfg.Protocol{mailcfg.IMAP, mailcfg.POP3} {
		cases := loginCases(s, p)
		if len(cases) != len(want[p]) {
			t.Errorf("%s: %d cases, want %d", p, len(cases), len(want[p]))
		}
		for _, c := range cases {
			w, ok := want[p][c.Name]
			if !ok {
				t.Errorf("%s: unexpected case %s", p, c.Name)
				continue
			}
			if c.Protocol != p || c.Password == "" {
				t.Errorf("%s %s: protocol %q, password set %v", p, c.Name, c.Protocol, c.Password != "")
			}
			if got := c.FloorOf(ModeLogin).RTTs(); got != w[0] {
				t.Errorf("%s %s: login floor %g RTT, want %g (%s)", p, c.Name, got, w[0], c.Floor.Critical())
			}
			if got := c.FloorOf(ModeRejected).RTTs(); got != w[1] {
				t.Errorf("%s %s: rejected floor %g RTT, want %g (%s)", p, c.Name, got, w[1], c.Rejected.Critical())
			}
		}
	}
	// A gate is followed by the slower role's login, not the faster's.
	in := route{tls(mailcfg.IMAP, 993), probePath("in", tls(mailcfg.IMAP, 993))}
	out := route{tls(mailcfg.SMTP, 465), probePath("out", tls(mailcfg.SMTP, 465))}
	f, _ := loginFloors(in, out, []Path{{"gate", []Step{{"wait", 5}}}}, 1)
	if got := f.RTTs(); got != 7 {
		t.Errorf("gate of 5 RTT + IMAP login 2 = %g, want 7 (%s)", got, f.Critical())
	}
}

// A row over target is put down to fixed cost only when it loses no more
// to its floor than its case takes at RTT 0.
func TestFixedCostNote(t *testing.T) {
	over := Result{Case: "guess", RTT: 50 * time.Millisecond, Runs: 20, Floor: 250 * time.Millisecond,
		FloorRTT: 5, P50: 332 * time.Millisecond}
	worse := over
	worse.Case = "srv"
	worse.P50 = 500 * time.Millisecond
	ok := over
	ok.Case, ok.P50 = "builtin", 260*time.Millisecond
	zero := func(c string, p50 int) Result {
		return Result{Case: c, Runs: 20, FloorRTT: 5, P50: time.Duration(p50) * time.Millisecond}
	}
	note := FixedCostNote([]Result{zero("guess", 175), zero("srv", 80), zero("builtin", 80), over, worse, ok})
	if !strings.Contains(note, "guess at 50 ms is 82 ms over its floor, and takes 175 ms at RTT 0") {
		t.Errorf("note %q does not explain guess", note)
	}
	if strings.Contains(note, "srv") || strings.Contains(note, "builtin") {
		t.Errorf("note %q names a row that round trips explain, or one within target", note)
	}
	if FixedCostNote([]Result{zero("srv", 80), worse}) != "" {
		t.Error("a note for a row that loses more than its RTT 0 time")
	}
}
