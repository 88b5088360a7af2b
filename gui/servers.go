package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/mailcfg"
)

// serversScreen shows the engine's answer: the provider and its notes, a
// banner when the answer is unsafe or incomplete, one card per role to
// edit, and every server tried.
type serversScreen struct {
	w *wizard

	in, out  *serverCard
	provider *widget.Card
	// notes are the report's notes on show, in the order shown: the
	// provider panel's, then the banner's.
	notes   []hints.Hint
	warning fyne.CanvasObject
	list    *candidateList
	tried   *widget.Accordion
	next    *widget.Button
	skip    *widget.Button
}

func (s *serversScreen) focusTarget() fyne.Focusable {
	if s.in == nil {
		return nil
	}
	return s.in.host
}

func (s *serversScreen) content() fyne.CanvasObject {
	w, m := s.w, s.w.m
	rep := m.report
	s.provider, s.warning, s.notes = nil, nil, nil
	notes := rep.NotesIn(w.u.lang)
	body := container.NewVBox()
	if p := s.providerPanel(notes); p != nil {
		body.Add(p)
	}
	if b := s.warningBanner(notes); b != nil {
		s.warning = b
		body.Add(b)
	}

	s.in = newServerCard(mailcfg.Incoming, m.in, func(srv mailcfg.Server) { m.in = srv }, s.goNext)
	s.out = newServerCard(mailcfg.Outgoing, m.out, func(srv mailcfg.Server) { m.out = srv }, s.goNext)
	body.Add(container.NewAdaptiveGrid(2, s.in.card, s.out.card))

	s.list = newCandidateList(rep.Preference(), s.use)
	for i := range rep.Candidates {
		s.list.upsert(&rep.Candidates[i], "")
	}
	s.tried = widget.NewAccordion(widget.NewAccordionItem(
		lang.X("servers.tried", "All servers tried ({{.N}})", map[string]any{"N": len(rep.Candidates)}), s.list.box))
	if !rep.Complete() {
		s.tried.Open(0) // with a role missing, why each server failed is what matters
	}
	body.Add(s.tried)

	back := widget.NewButtonWithIcon(lang.X("servers.back", "Change address"), theme.NavigateBackIcon(), func() { w.show(stepAddress) })
	s.skip = widget.NewButton(lang.X("servers.skip", "Skip the login test"), func() {
		if s.readCards() {
			w.show(stepExport)
		}
	})
	s.next = widget.NewButtonWithIcon(lang.X("servers.next", "Next: test the login"), theme.NavigateNextIcon(), s.goNext)
	s.next.Importance = widget.HighImportance
	return page(body, back, s.skip, s.next)
}

// goNext goes on to the login page when both cards are complete.
func (s *serversScreen) goNext() {
	if s.readCards() {
		s.w.show(stepLogin)
	}
}

// readCards checks both cards and says what is wrong under each.
func (s *serversScreen) readCards() bool {
	ok := true
	for _, c := range []*serverCard{s.in, s.out} {
		if c != nil && !c.check() {
			ok = false
		}
	}
	return ok
}

// providerPanel shows the provider, the table's note, the notes of
// severity info (the provider's first, as the engine merged them) and the
// provider's help page; nil when the provider is unknown.
func (s *serversScreen) providerPanel(notes []hints.Hint) fyne.CanvasObject {
	p := s.w.m.report.ProviderFacts(s.w.u.lang)
	if p == nil {
		return nil
	}
	box := container.NewVBox()
	if p.Note != "" {
		box.Add(wrapLabel(p.Note))
	}
	for _, h := range notes {
		if !isWarning(h) {
			s.notes = append(s.notes, h)
			box.Add(hintView(h))
		}
	}
	if link := helpLink(p.HelpURL); link != nil {
		link.SetText(lang.X("provider.help", "{{.Name}} help page", map[string]string{"Name": p.Name}))
		box.Add(link)
	}
	s.provider = widget.NewCard(p.Name, lang.X("provider.subtitle", "Your provider — read this before logging in"), box)
	return s.provider
}

// isWarning tells the notes the banner shows from those the provider
// panel does.
func isWarning(h hints.Hint) bool {
	return h.Severity == hints.SeverityWarning || h.Severity == hints.SeverityError
}

// warningBanner tells loudly when the answer is unsafe or incomplete, with
// the warnings among the notes (and, for an unknown provider, the rest).
func (s *serversScreen) warningBanner(notes []hints.Hint) fyne.CanvasObject {
	rep := s.w.m.report
	var titles []string
	severity := hints.SeverityWarning
	if rep.Recommended.Incoming == nil {
		titles = append(titles, lang.X("servers.no_incoming", "No usable incoming server was found. Fill it in below if you know it, or check the address."))
		severity = hints.SeverityError
	}
	if rep.Recommended.Outgoing == nil {
		titles = append(titles, lang.X("servers.no_outgoing", "No usable outgoing server was found. Fill it in below if you know it, or check the address."))
		severity = hints.SeverityError
	}
	if rep.Insecure {
		titles = append(titles, lang.X("servers.insecure", "No encrypted server answered. These settings would send your password and mail unencrypted: use them only if you trust the network."))
	}
	var body []fyne.CanvasObject
	for _, h := range notes {
		if isWarning(h) || s.provider == nil {
			s.notes = append(s.notes, h)
			body = append(body, hintView(h))
		}
	}
	if len(titles) == 0 && len(body) == 0 {
		return nil
	}
	if len(titles) == 0 {
		titles = append(titles, lang.X("servers.notes", "Worth knowing"))
	}
	return banner(severity, strings.Join(titles, "\n"), body...)
}

// use puts a candidate from the list into its role's card, as the engine
// says to fill it in; a certificate that failed verification is pinned
// first, if the user agrees.
func (s *serversScreen) use(c *assistant.Candidate) {
	if c == nil {
		return
	}
	w, m := s.w, s.w.m
	srv := m.report.Choose(c)
	apply := func() {
		m.setServer(c.Role, srv)
		w.show(stepServers)
	}
	for _, q := range m.report.Consents(c.Role, srv, w.u.settings.Trust) {
		if q.Kind == assistant.ConsentCertificate {
			w.u.askConsent(q, apply)
			return
		}
	}
	apply()
}
