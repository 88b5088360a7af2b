package gui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// searchScreen shows the running discovery: the sources asked and every
// candidate as it is probed.
type searchScreen struct {
	w      *wizard
	cancel context.CancelFunc // of the running discovery
	live   searchState

	list    *candidateList
	sources *widget.Label
	stop    *widget.Button
	logins  *fyne.Container // the logins of a search with the password up front
}

// searchState is what the running discovery has reported so far.
type searchState struct {
	domain  string
	cands   []*assistant.Candidate // in order of appearance
	byKey   map[string]int
	phase   map[string]string // server key → the probe's current phase
	sources []string          // in order of start
	done    map[string]bool

	// early: the password was given up front, each role logs in the moment
	// it settles; logins and loggingIn follow those logins by role.
	early     bool
	logins    map[mailcfg.Role]*assistant.LoginOutcome
	loggingIn map[mailcfg.Role]bool
}

func newSearchState(addr mailcfg.Address) searchState {
	return searchState{domain: addr.Domain, byKey: map[string]int{}, phase: map[string]string{}, done: map[string]bool{},
		logins: map[mailcfg.Role]*assistant.LoginOutcome{}, loggingIn: map[mailcfg.Role]bool{}}
}

func (s *searchScreen) focusTarget() fyne.Focusable { return nil }

func (s *searchScreen) content() fyne.CanvasObject {
	// The window's search always runs with the radio button's protocol
	// as the user's choice (engine.go).
	s.list = newCandidateList(assistant.Preference{Protocol: s.w.m.protocol, Chosen: true}, nil)
	for _, c := range s.live.cands {
		s.list.upsert(c, s.live.phase[c.Server().Key()])
	}
	s.sources = wrapLabel("")
	s.refreshSources()
	s.stop = widget.NewButtonWithIcon(lang.X("search.cancel", "Cancel"), theme.CancelIcon(), s.cancelSearch)
	explain := lang.X("search.explain", "Each server found is tried for real: connection, encryption, greeting. No password is sent.")
	if s.live.early {
		explain = lang.X("search.explain_login", "Each server found is tried for real: connection, encryption, greeting. As soon as the best server of each kind is settled, mailsetup logs in on it with your password; a server that needs your consent first gets nothing until you agree.")
	}
	s.logins = container.NewVBox()
	s.renderLogins()
	head := container.NewVBox(
		boldLabel(lang.X("search.title", "Looking for the servers of {{.Domain}}…", map[string]string{"Domain": s.live.domain})),
		widget.NewProgressBarInfinite(),
		s.sources,
		wrapLabel(explain),
		s.logins,
	)
	return container.NewBorder(container.NewPadded(head), container.NewPadded(container.NewHBox(layoutSpacer(), s.stop)), nil, nil,
		container.NewVScroll(container.NewPadded(s.list.box)))
}

// searchGrace is how much longer than its own timeout the window waits for
// the engine before giving up on it.
const searchGrace = 15 * time.Second

// start runs a discovery off the UI goroutine; its events update the page
// as they come.
func (s *searchScreen) start() {
	w, u, m := s.w, s.w.u, s.w.m
	m.run++
	run := m.run
	timeout := u.settings.Timeout
	if timeout <= 0 {
		timeout = assistant.DefaultTimeout
	}
	password := m.upFrontPassword(u.lang)
	wait := timeout + searchGrace
	if password != "" {
		wait += timeout // the logins may outlast the discovery
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	s.cancel = cancel
	m.notice = ""
	m.report = nil
	m.forgetLogins()
	m.forgetSignIn()
	w.login.cancelSignIn() // a sign-in still waiting was for the last account
	w.export.savedTo = ""
	s.live = newSearchState(m.addr)
	s.live.early = password != ""
	w.show(stepSearch)
	req := DiscoverRequest{Email: strings.TrimSpace(m.email), Protocol: m.protocol, Settings: u.engineSettings()}
	// Up front the servers are the recommendation's: no card edited yet.
	q := assistant.LoginRequest{Password: password, Grants: m.grants.Clone()}
	eng := u.eng
	u.background(func() {
		defer cancel()
		onEvent := func(ev assistant.Event) {
			u.do(func() {
				if m.run == run {
					s.onEvent(ev)
				}
			})
		}
		var rep *assistant.Report
		var err error
		if q.Password != "" {
			rep, err = eng.DiscoverAndCheck(ctx, req, q, onEvent)
		} else {
			rep, err = eng.Discover(ctx, req, onEvent)
		}
		cause := ctx.Err()
		u.do(func() {
			if m.run == run {
				s.done(rep, err, cause)
			}
		})
	})
}

// cancelSearch stops the running discovery and returns to the address page.
func (s *searchScreen) cancelSearch() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	m := s.w.m
	m.run++ // whatever the engine still says belongs to a search the user left
	m.notice = lang.X("search.cancelled", "Search cancelled.")
	s.w.show(stepAddress)
}

// done takes the engine's answer to the servers page, or says on the
// address page why there is none.
func (s *searchScreen) done(rep *assistant.Report, err, cause error) {
	s.cancel = nil
	m := s.w.m
	if rep == nil {
		switch {
		case errors.Is(cause, context.DeadlineExceeded):
			m.notice = lang.X("search.timeout", "The search took too long and was stopped. Check your network, or raise the timeout in Settings.")
		case err != nil:
			m.notice = lang.X("search.failed", "The search failed: {{.Error}}", map[string]string{"Error": err.Error()})
		default:
			m.notice = lang.X("search.nothing", "The search returned nothing.")
		}
		s.w.show(stepAddress)
		return
	}
	m.takeReport(rep)
	if rep.Login != nil {
		s.tookLogins(rep)
		return
	}
	s.w.show(stepServers)
}

// onEvent applies one progress event of the running discovery.
func (s *searchScreen) onEvent(ev assistant.Event) {
	st := &s.live
	switch ev.Kind {
	case assistant.SourceStarted:
		name := string(ev.Source)
		if _, seen := st.done[name]; !seen {
			st.sources = append(st.sources, name)
			st.done[name] = false
		}
	case assistant.SourceFinished:
		name := string(ev.Source)
		if _, seen := st.done[name]; !seen {
			st.sources = append(st.sources, name)
		}
		st.done[name] = true
	case assistant.CandidateAdded, assistant.ProbePhase, assistant.ProbeFinished:
		if ev.Candidate == nil {
			return
		}
		c := *ev.Candidate
		key := c.Server().Key()
		if i, ok := st.byKey[key]; ok {
			switch {
			case ev.Kind == assistant.ProbePhase:
				// The phase event carries the server only: keep what is known.
			case ev.Kind == assistant.CandidateAdded && st.cands[i].Status.Settled():
				st.cands[i].Sources = c.Sources // one more source for a server already probed
			default:
				st.cands[i] = &c
			}
		} else {
			st.byKey[key] = len(st.cands)
			st.cands = append(st.cands, &c)
		}
		if ev.Kind == assistant.ProbePhase {
			st.phase[key] = ev.Phase
		}
		if s.w.step == stepSearch && s.list != nil {
			s.list.upsert(st.cands[st.byKey[key]], st.phase[key])
		}
	case assistant.LoginStarted, assistant.LoginFinished:
		s.onLogin(ev)
		return
	}
	if s.w.step == stepSearch {
		s.refreshSources()
	}
}

// refreshSources says which sources are still being asked.
func (s *searchScreen) refreshSources() {
	if s.sources == nil {
		return
	}
	st := &s.live
	if len(st.sources) == 0 {
		s.sources.SetText(lang.X("search.starting", "Starting…"))
		return
	}
	parts := make([]string, len(st.sources))
	for i, name := range st.sources {
		mark := "…"
		if st.done[name] {
			mark = "✓"
		}
		parts[i] = sourceText(name) + " " + mark
	}
	s.sources.SetText(lang.X("search.sources", "Sources: {{.List}}", map[string]string{"List": strings.Join(parts, " · ")}))
}
