package assistant

import (
	"testing"
	"time"

	"mailsetup/discover"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// t0 is an arbitrary instant; the tests below move a fake clock from it.
var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func graceRun(o Options) *run {
	return &run{e: &Engine{opts: o}, running: map[discover.SourceName]bool{},
		usableAt: map[mailcfg.Role]time.Time{}, progress: map[*Candidate]*progress{}}
}

func TestNotePhaseMeasuresTheNetwork(t *testing.T) {
	r := graceRun(Options{Protocol: mailcfg.POP3})
	a := cand("pop3", 995, "tls", "pending", 0, "guess")
	b := cand("smtp", 587, "starttls", "pending", 0, "guess")
	steps := []struct {
		c     *Candidate
		phase probe.Phase
		at    int // ms
	}{
		{a, probe.PhaseResolve, 0}, {a, probe.PhaseConnect, 30}, {a, probe.PhaseTLS, 80},
		{a, probe.PhaseGreeting, 140}, // TLS took 60
		{b, probe.PhaseResolve, 0}, {b, probe.PhaseConnect, 10}, {b, probe.PhaseGreeting, 50},
		{b, probe.PhaseCapabilities, 90}, {b, probe.PhaseStartTLS, 130},
		{b, probe.PhaseCapabilities, 270}, // STARTTLS took 140: two exchanges of 70
	}
	for _, s := range steps {
		r.notePhase(s.c, s.phase, t0.Add(ms(s.at)))
	}
	if r.pace.stepMax != ms(70) || r.pace.resolveMax != ms(30) {
		t.Errorf("stepMax %v resolveMax %v, want 70ms and 30ms", r.pace.stepMax, r.pace.resolveMax)
	}
	if pr := r.progress[a]; pr.phase != probe.PhaseGreeting || !pr.since.Equal(t0.Add(ms(140))) {
		t.Errorf("progress of a = %+v", pr)
	}
}

func TestStallAt(t *testing.T) {
	p := pace{stepMax: ms(50), resolveMax: ms(40)}
	slowDNS := pace{stepMax: ms(50), resolveMax: ms(300)}
	tests := []struct {
		name  string
		p     pace
		phase probe.Phase
		want  time.Duration // after the phase began
	}{
		{"TLS", p, probe.PhaseTLS, 3*ms(50) + stallSlack},
		{"connect", p, probe.PhaseConnect, 3*ms(50) + stallSlack},
		{"greeting", p, probe.PhaseGreeting, 3*ms(50) + stallSlack},
		{"STARTTLS is a command and a handshake", p, probe.PhaseStartTLS, 6*ms(50) + stallSlack},
		{"a DNS look-up gets at least the slowest exchange", p, probe.PhaseResolve, 3*ms(50) + stallSlack},
		{"a slow DNS server", slowDNS, probe.PhaseResolve, 3*ms(300) + stallSlack},
	}
	for _, tt := range tests {
		got := tt.p.stallAt(&progress{phase: tt.phase, since: t0}).Sub(t0)
		if got != tt.want {
			t.Errorf("%s: stalls after %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestGraceCap(t *testing.T) {
	for _, tt := range []struct{ step, want time.Duration }{
		{0, graceMin},
		{ms(10), graceMin},
		{ms(100), 8 * ms(100)},
		{ms(400), graceMax},
	} {
		p := pace{stepMax: tt.step}
		if got := p.graceCap(); got != tt.want {
			t.Errorf("step %v: cap %v, want %v", tt.step, got, tt.want)
		}
	}
}

func TestWaitForBetterCandidates(t *testing.T) {
	now := t0.Add(ms(400))
	tests := []struct {
		name    string
		opts    Options
		rtt     int // ms; default 50
		setup   func(r *run, better *Candidate)
		wantAt  time.Duration // from t0; 0 means settle at once
		running discover.SourceName
	}{
		{name: "nothing better pending", wantAt: 0,
			setup: func(r *run, better *Candidate) { better.Status = mailcfg.StatusRefused }},
		{name: "a better probe still answering in time", wantAt: 300 + 150 + 200,
			setup: func(r *run, better *Candidate) { r.progress[better] = &progress{probe.PhaseTLS, t0.Add(ms(300))} }},
		{name: "a better probe silent for too long (tarpit)", wantAt: 0,
			setup: func(r *run, better *Candidate) { r.progress[better] = &progress{probe.PhaseTLS, t0.Add(ms(20))} }},
		{name: "a better probe not started yet", wantAt: 400 + 500,
			setup: func(r *run, better *Candidate) {}},
		{name: "a more trusted source still looking", wantAt: 400 + 500, running: discover.SourceSRV,
			setup: func(r *run, better *Candidate) { better.Status = mailcfg.StatusRefused }},
		{name: "a less trusted source cannot beat the best", wantAt: 0, running: discover.SourceAutodiscover,
			setup: func(r *run, better *Candidate) {
				better.Status = mailcfg.StatusRefused
				r.cands[0] = cand("pop3", 995, "tls", "ok", 20, "builtin")
			}},
		{name: "a fixed grace is waited out", opts: Options{Grace: ms(300)}, wantAt: 400 + 300,
			setup: func(r *run, better *Candidate) { r.progress[better] = &progress{probe.PhaseTLS, t0.Add(ms(20))} }},
		{name: "a live but slow probe is waited for up to the cap", rtt: 60, wantAt: 400 + 500,
			setup: func(r *run, better *Candidate) { r.progress[better] = &progress{probe.PhaseStartTLS, t0.Add(ms(395))} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.Protocol = mailcfg.POP3
			r := graceRun(o)
			better := cand("pop3", 995, "tls", "pending", 0, "guess")
			r.cands = []*Candidate{cand("pop3", 110, "starttls", "ok", 20, "guess"), better}
			rtt := ms(50)
			if tt.rtt != 0 {
				rtt = ms(tt.rtt)
			}
			r.pace = pace{stepMax: rtt}
			if tt.running != "" {
				r.running[tt.running] = true
			}
			tt.setup(r, better)
			got := r.waitLocked(mailcfg.Incoming, r.cands[0], now)
			if tt.wantAt == 0 {
				if got.After(now) {
					t.Errorf("waits until +%v, want to settle at once", got.Sub(t0))
				}
				return
			}
			if want := t0.Add(ms(int(tt.wantAt))); !got.Equal(want) {
				t.Errorf("waits until +%v, want +%v", got.Sub(t0), want.Sub(t0))
			}
		})
	}
}

// With POP3 chosen, IMAP waits while a POP3 server could still answer; a
// POP3 probe that has stalled (a tarpit on 995) stops holding it back at
// its stall time, and a queued POP3 candidate holds it until it has had
// its chance.
func TestDeferOtherProtocol(t *testing.T) {
	tests := []struct {
		name        string
		chosen      bool
		pop3        *Candidate
		startedAt   int // ms; -1 for a candidate still queued
		now         int // ms
		wantDefer   bool
		wantRecheck int // ms; 0 for none
	}{
		{"not chosen", false, cand("pop3", 995, "tls", "pending", 0, "guess"), 0, 10, false, 0},
		{"usable", true, cand("pop3", 995, "tls", "ok", 40, "guess"), 0, 10, true, 0},
		{"queued", true, cand("pop3", 995, "tls", "pending", 0, "guess"), -1, 10, true, 0},
		{"moving", true, cand("pop3", 995, "tls", "pending", 0, "guess"), 0, 100, true, 150}, // 2×50+50
		{"stalled", true, cand("pop3", 995, "tls", "pending", 0, "guess"), 0, 150, false, 0},
		{"failed", true, cand("pop3", 995, "tls", "refused", 1, "guess"), 0, 10, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := graceRun(Options{Protocol: mailcfg.POP3, ProtocolChosen: tt.chosen})
			r.settled = map[mailcfg.Role]bool{}
			r.pace.stepMax = ms(50)
			r.cands = []*Candidate{tt.pop3, cand("imap", 993, "tls", "pending", 0, "guess")}
			if tt.startedAt >= 0 {
				r.progress[tt.pop3] = &progress{phase: probe.PhaseTLS, since: t0.Add(ms(tt.startedAt))}
			}
			gotDefer, recheck := r.deferOtherProtocolLocked(t0.Add(ms(tt.now)))
			want := time.Time{}
			if tt.wantRecheck > 0 {
				want = t0.Add(ms(tt.wantRecheck))
			}
			if gotDefer != tt.wantDefer || !recheck.Equal(want) {
				t.Errorf("defer %v until %v, want %v until %v", gotDefer, recheck, tt.wantDefer, want)
			}
		})
	}
}
