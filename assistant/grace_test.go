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
	b := cand("smtp", 465, "tls", "pending", 0, "guess")
	b.Host = "far"
	r.notePhase(a, probe.PhaseResolve, t0)
	r.notePhase(a, probe.PhaseConnect, t0.Add(ms(30)))
	r.notePhase(a, probe.PhaseTLS, t0.Add(ms(80)))
	r.notePhase(b, probe.PhaseResolve, t0)
	r.notePhase(b, probe.PhaseConnect, t0.Add(ms(10)))
	r.notePhase(b, probe.PhaseTLS, t0.Add(ms(210)))
	if got := r.pace.connect["h"]; got != ms(50) {
		t.Errorf("connect to h = %v, want 50ms", got)
	}
	if got := r.pace.connect["far"]; got != ms(200) {
		t.Errorf("connect to far = %v, want 200ms", got)
	}
	if r.pace.connectMax != ms(200) || r.pace.resolveMax != ms(30) {
		t.Errorf("connectMax %v resolveMax %v, want 200ms and 30ms", r.pace.connectMax, r.pace.resolveMax)
	}
	if pr := r.progress[a]; pr.phase != probe.PhaseTLS || !pr.since.Equal(t0.Add(ms(80))) {
		t.Errorf("progress of a = %+v", pr)
	}
}

func TestStallAt(t *testing.T) {
	p := pace{connect: map[string]time.Duration{"h": ms(50)}, connectMax: ms(120), resolveMax: ms(40)}
	c := cand("pop3", 995, "tls", "pending", 0, "guess")
	other := cand("pop3", 995, "tls", "pending", 0, "guess")
	other.Host = "unknown"
	tests := []struct {
		name  string
		c     *Candidate
		phase probe.Phase
		want  time.Duration // after the phase began
	}{
		{"TLS on a measured host", c, probe.PhaseTLS, 3*ms(50) + stallSlack},
		{"connect on a measured host", c, probe.PhaseConnect, 3*ms(50) + stallSlack},
		{"greeting on an unmeasured host uses the slowest connect", other, probe.PhaseGreeting, 3*ms(120) + stallSlack},
		{"STARTTLS is a command and a handshake", c, probe.PhaseStartTLS, 6*ms(50) + stallSlack},
		{"DNS look-ups are measured apart", c, probe.PhaseResolve, 3*ms(40) + stallSlack},
	}
	for _, tt := range tests {
		got := p.stallAt(tt.c, &progress{phase: tt.phase, since: t0}).Sub(t0)
		if got != tt.want {
			t.Errorf("%s: stalls after %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestGraceCap(t *testing.T) {
	for _, tt := range []struct{ rtt, want time.Duration }{
		{0, graceMin},
		{ms(10), graceMin},
		{ms(100), 8 * ms(100)},
		{ms(400), graceMax},
	} {
		p := pace{connectMax: tt.rtt}
		if got := p.graceCap(); got != tt.want {
			t.Errorf("RTT %v: cap %v, want %v", tt.rtt, got, tt.want)
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
			r.pace = pace{connect: map[string]time.Duration{"h": rtt}, connectMax: rtt}
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
