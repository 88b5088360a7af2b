package gui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// searchState is what the running discovery has reported so far.
type searchState struct {
	domain  string
	cands   []*assistant.Candidate // in order of appearance
	byKey   map[string]int
	phase   map[string]string // server key → the probe's current phase
	sources []string          // in order of start
	done    map[string]bool
}

func newSearchState(addr mailcfg.Address) searchState {
	return searchState{domain: addr.Domain, byKey: map[string]int{}, phase: map[string]string{}, done: map[string]bool{}}
}

// searchWidgets are the live parts of the search page.
type searchWidgets struct {
	list    *candidateList
	sources *widget.Label
	cancel  *widget.Button
}

func (f *setupFlow) searchPage() fyne.CanvasObject {
	v := &f.sv
	v.list = newCandidateList(f.protocol, nil)
	for _, c := range f.search.cands {
		v.list.upsert(c, f.search.phase[c.Server().Key()])
	}
	v.sources = wrapLabel("")
	f.refreshSources()
	v.cancel = widget.NewButtonWithIcon(lang.X("search.cancel", "Cancel"), theme.CancelIcon(), f.cancelSearch)
	head := container.NewVBox(
		boldLabel(lang.X("search.title", "Looking for the servers of {{.Domain}}…", map[string]string{"Domain": f.search.domain})),
		widget.NewProgressBarInfinite(),
		v.sources,
		wrapLabel(lang.X("search.explain", "Each server found is tried for real: connection, encryption, greeting. No password is sent.")),
	)
	return container.NewBorder(container.NewPadded(head), container.NewPadded(container.NewHBox(layoutSpacer(), v.cancel)), nil, nil,
		container.NewVScroll(container.NewPadded(v.list.box)))
}

// onEvent applies one progress event of the running discovery.
func (f *setupFlow) onEvent(ev assistant.Event) {
	s := &f.search
	switch ev.Kind {
	case assistant.SourceStarted:
		name := string(ev.Source)
		if _, seen := s.done[name]; !seen {
			s.sources = append(s.sources, name)
			s.done[name] = false
		}
	case assistant.SourceFinished:
		name := string(ev.Source)
		if _, seen := s.done[name]; !seen {
			s.sources = append(s.sources, name)
		}
		s.done[name] = true
	case assistant.CandidateAdded, assistant.ProbePhase, assistant.ProbeFinished:
		if ev.Candidate == nil {
			return
		}
		c := *ev.Candidate
		key := c.Server().Key()
		if i, ok := s.byKey[key]; ok {
			switch {
			case ev.Kind == assistant.ProbePhase:
				// The phase event carries the server only: keep what is known.
			case ev.Kind == assistant.CandidateAdded && s.cands[i].Status.Settled():
				s.cands[i].Sources = c.Sources // one more source for a server already probed
			default:
				s.cands[i] = &c
			}
		} else {
			s.byKey[key] = len(s.cands)
			s.cands = append(s.cands, &c)
		}
		if ev.Kind == assistant.ProbePhase {
			s.phase[key] = ev.Phase
		}
		if f.step == stepSearch && f.sv.list != nil {
			f.sv.list.upsert(s.cands[s.byKey[key]], s.phase[key])
		}
	}
	if f.step == stepSearch {
		f.refreshSources()
	}
}

// refreshSources says which sources are still being asked.
func (f *setupFlow) refreshSources() {
	if f.sv.sources == nil {
		return
	}
	s := &f.search
	if len(s.sources) == 0 {
		f.sv.sources.SetText(lang.X("search.starting", "Starting…"))
		return
	}
	parts := make([]string, len(s.sources))
	for i, name := range s.sources {
		mark := "…"
		if s.done[name] {
			mark = "✓"
		}
		parts[i] = sourceText(name) + " " + mark
	}
	f.sv.sources.SetText(lang.X("search.sources", "Sources: {{.List}}", map[string]string{"List": strings.Join(parts, " · ")}))
}

// candidateList shows candidates one row each, with their status icons,
// the most promising first; guessed names that do not exist are counted
// on one line at the end instead of a row each.
type candidateList struct {
	box   *fyne.Container
	rows  map[string]*candidateRow
	order []string // keys of the rows shown, top to bottom
	// missing sums up the collapsed guesses; shown only when there are any.
	missing   *widget.Label
	collapsed int // how many guesses missing counts
	// onUse, when set, adds a "Use" button to rows that can be used.
	onUse func(c *assistant.Candidate)
	// preferred is the incoming protocol the engine ranks first.
	preferred mailcfg.Protocol
}

func newCandidateList(preferred mailcfg.Protocol, onUse func(c *assistant.Candidate)) *candidateList {
	return &candidateList{box: container.NewVBox(), rows: map[string]*candidateRow{}, missing: wrapLabel(""), onUse: onUse,
		preferred: preferred}
}

// candidateRow is one server in a candidateList.
type candidateRow struct {
	icon    *widget.Icon
	title   *widget.Label
	detail  *widget.Label
	latency *widget.Label
	use     *widget.Button
	status  mailcfg.Status
	cand    *assistant.Candidate
	view    fyne.CanvasObject
	arrival int // ties in rank keep the order of arrival
}

// upsert adds the candidate's row or updates it, and moves rows only when
// their rank changed.
func (l *candidateList) upsert(c *assistant.Candidate, phase string) {
	key := c.Server().Key()
	r, ok := l.rows[key]
	if !ok {
		r = &candidateRow{icon: widget.NewIcon(nil), title: boldLabel(""), detail: wrapLabel(""), latency: widget.NewLabel(""), arrival: len(l.rows)}
		right := container.NewHBox(r.latency)
		if l.onUse != nil {
			r.use = widget.NewButton(lang.X("servers.use", "Use"), func() { l.onUse(r.cand) })
			right.Add(r.use)
		}
		r.view = container.NewBorder(nil, nil, container.NewVBox(r.icon), container.NewVBox(right),
			container.NewVBox(r.title, r.detail))
		l.rows[key] = r
	}
	r.update(c, phase)
	l.arrange()
}

// arrange lays the rows out by rank, the collapsed guesses as one line
// at the end; the box is touched only when what it shows changed.
func (l *candidateList) arrange() {
	byArrival := make([]*candidateRow, 0, len(l.rows))
	missing := 0
	for _, r := range l.rows {
		if r.cand.Collapsed() {
			missing++
			continue
		}
		byArrival = append(byArrival, r)
	}
	slices.SortFunc(byArrival, func(a, b *candidateRow) int { return a.arrival - b.arrival })
	// The engine's order; ties keep the order of arrival.
	cands := make([]*assistant.Candidate, len(byArrival))
	rowOf := make(map[*assistant.Candidate]*candidateRow, len(byArrival))
	for i, r := range byArrival {
		cands[i], rowOf[r.cand] = r.cand, r
	}
	assistant.SortCandidates(cands, l.preferred)
	shown := make([]*candidateRow, len(cands))
	order := make([]string, len(cands))
	for i, c := range cands {
		shown[i], order[i] = rowOf[c], c.Server().Key()
	}
	wasMissing := l.collapsed > 0
	if missing != l.collapsed && missing > 0 {
		l.missing.SetText(missingGuessesText(missing))
	}
	l.collapsed = missing
	if slices.Equal(order, l.order) && wasMissing == (missing > 0) {
		return
	}
	l.order = order
	objs := make([]fyne.CanvasObject, 0, len(shown)+1)
	for _, r := range shown {
		objs = append(objs, r.view)
	}
	if missing > 0 {
		objs = append(objs, l.missing)
	}
	l.box.Objects = objs
	l.box.Refresh()
}

// missingGuessesText counts the collapsed guesses.
func missingGuessesText(n int) string {
	if n == 1 {
		return lang.X("search.guesses_missing.one", "1 guessed server name does not exist")
	}
	return lang.X("search.guesses_missing", "{{.N}} guessed server names do not exist", map[string]any{"N": n})
}

func (r *candidateRow) update(c *assistant.Candidate, phase string) {
	r.cand = c
	r.status = c.Status
	if r.status == "" {
		r.status = mailcfg.StatusPending
	}
	r.icon.SetResource(statusIcon(r.status))
	r.title.SetText(fmt.Sprintf("%s · %s · %s · %s", roleText(c.Role), protocolText(c.Protocol), c.Server().HostPort(), securityText(c.Security)))
	detail := statusText(r.status)
	if !r.status.Settled() && phase != "" {
		detail = phaseText(phase)
	}
	if reason := c.ReasonText(currentLanguage()); reason != "" && r.status != mailcfg.StatusOK {
		detail += lang.X("sep.reason", ": ") + shorten(reason, 160)
	}
	if len(c.Sources) > 0 {
		names := make([]string, len(c.Sources))
		for i, s := range c.Sources {
			names[i] = sourceText(string(s))
		}
		detail += detailSep() + lang.X("candidate.found_by", "found by {{.Sources}}", map[string]string{"Sources": strings.Join(names, listSep())})
	}
	if !c.Trusted && r.status.Settled() {
		detail += detailSep() + lang.X("candidate.untrusted", "untrusted source")
		if why := c.WhyReason.In(currentLanguage()); why != "" {
			detail += " (" + why + ")"
		}
	}
	r.detail.SetText(detail)
	r.latency.SetText("")
	if c.ElapsedMS > 0 && r.status.Settled() && r.status != mailcfg.StatusAbandoned {
		r.latency.SetText(lang.X("candidate.ms", "{{.N}} ms", map[string]any{"N": c.ElapsedMS}))
	}
	if r.use != nil {
		if c.Status.Usable() || c.Status == mailcfg.StatusCertInvalid {
			r.use.Show()
		} else {
			r.use.Hide()
		}
	}
}

// phaseText names a probe phase while it runs.
func phaseText(p string) string {
	switch p {
	case "resolve":
		return lang.X("phase.resolve", "looking up the name…")
	case "connect":
		return lang.X("phase.connect", "connecting…")
	case "tls":
		return lang.X("phase.tls", "setting up encryption…")
	case "starttls":
		return lang.X("phase.starttls", "switching to encryption (STARTTLS)…")
	case "greeting":
		return lang.X("phase.greeting", "waiting for the greeting…")
	case "capabilities":
		return lang.X("phase.capabilities", "asking what it supports…")
	case "login":
		return lang.X("phase.login", "logging in…")
	}
	return lang.X("status.pending", "checking…")
}

// listSep joins the items of a list: ", " in English, "、" in Chinese.
func listSep() string { return lang.X("sep.list", ", ") }

// detailSep joins the parts of a row's explanation.
func detailSep() string { return lang.X("sep.detail", " — ") }
