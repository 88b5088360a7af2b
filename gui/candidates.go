package gui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// candidateList shows candidates one row each, with their status icons,
// in the engine's order (assistant.SortCandidates); the guesses the engine
// calls noise (Candidate.Collapsed) are counted on one line at the end
// instead of a row each.
type candidateList struct {
	box   *fyne.Container
	rows  map[string]*candidateRow
	order []string // keys of the rows shown, top to bottom
	// missing sums up the collapsed guesses; shown only when there are any.
	missing   *widget.Label
	collapsed int // how many guesses missing counts
	// onUse, when set, adds a "Use" button to rows the user may pick.
	onUse func(c *assistant.Candidate)
	// pref is how the engine ranks them.
	pref assistant.Preference
}

func newCandidateList(pref assistant.Preference, onUse func(c *assistant.Candidate)) *candidateList {
	return &candidateList{box: container.NewVBox(), rows: map[string]*candidateRow{}, missing: wrapLabel(""), onUse: onUse,
		pref: pref}
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
	assistant.SortCandidates(cands, l.pref)
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

// shown lists the candidates of the rows on show, top to bottom.
func (l *candidateList) shown() []*assistant.Candidate {
	out := make([]*assistant.Candidate, len(l.order))
	for i, key := range l.order {
		out[i] = l.rows[key].cand
	}
	return out
}

// missingGuessesText counts the collapsed guesses.
func missingGuessesText(n int) string {
	if n == 1 {
		return lang.X("search.guesses_missing.one", "1 guessed server name does not exist")
	}
	return lang.X("search.guesses_missing", "{{.N}} guessed server names do not exist", map[string]any{"N": n})
}

// update shows c: the engine's status and reason in the window's language,
// the sources that named it, whether a source was untrusted.
func (r *candidateRow) update(c *assistant.Candidate, phase string) {
	lng := currentLanguage()
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
	if reason := c.ReasonText(lng); reason != "" && r.status != mailcfg.StatusOK {
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
		if why := c.WhyReason.In(lng); why != "" {
			detail += " (" + why + ")"
		}
	}
	r.detail.SetText(detail)
	r.latency.SetText("")
	if c.ElapsedMS > 0 && r.status.Settled() && r.status != mailcfg.StatusAbandoned {
		r.latency.SetText(lang.X("candidate.ms", "{{.N}} ms", map[string]any{"N": c.ElapsedMS}))
	}
	if r.use != nil {
		if c.Selectable() {
			r.use.Show()
		} else {
			r.use.Hide()
		}
	}
}
