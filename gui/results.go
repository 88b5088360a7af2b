package gui

import (
	"strconv"
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

// serversWidgets are the parts of the servers page.
type serversWidgets struct {
	in, out  *serverCard
	provider *widget.Card
	notes    []string // texts of the provider notes shown up front
	warning  fyne.CanvasObject
	list     *candidateList
	next     *widget.Button
	skip     *widget.Button
}

func (f *setupFlow) serversPage() fyne.CanvasObject {
	v := &f.rv
	*v = serversWidgets{}
	rep := f.report
	body := container.NewVBox()

	if p := f.providerPanel(); p != nil {
		body.Add(p)
	}
	if w := f.warningBanner(); w != nil {
		v.warning = w
		body.Add(w)
	}

	v.in = newServerCard(mailcfg.Incoming, f.in, func(s mailcfg.Server) { f.in = s }, f.serversNext)
	v.out = newServerCard(mailcfg.Outgoing, f.out, func(s mailcfg.Server) { f.out = s }, f.serversNext)
	body.Add(container.NewAdaptiveGrid(2, v.in.card, v.out.card))

	v.list = newCandidateList(rep.Protocol, f.useCandidate)
	for i := range rep.Candidates {
		v.list.upsert(&rep.Candidates[i], "")
	}
	tried := widget.NewAccordion(widget.NewAccordionItem(
		lang.X("servers.tried", "All servers tried ({{.N}})", map[string]any{"N": len(rep.Candidates)}), v.list.box))
	body.Add(tried)

	back := widget.NewButtonWithIcon(lang.X("servers.back", "Change address"), theme.NavigateBackIcon(), func() { f.show(stepAddress) })
	v.skip = widget.NewButton(lang.X("servers.skip", "Skip the login test"), func() {
		if f.readCards() {
			f.show(stepExport)
		}
	})
	v.next = widget.NewButtonWithIcon(lang.X("servers.next", "Next: test the login"), theme.NavigateNextIcon(), f.serversNext)
	v.next.Importance = widget.HighImportance
	return page(body, back, v.skip, v.next)
}

// serversNext goes on to the login page when both cards are complete.
func (f *setupFlow) serversNext() {
	if f.readCards() {
		f.show(stepLogin)
	}
}

// readCards checks both cards and says what is wrong under each.
func (f *setupFlow) readCards() bool {
	ok := true
	for _, c := range []*serverCard{f.rv.in, f.rv.out} {
		if c == nil {
			continue
		}
		if !c.check() {
			ok = false
		}
	}
	return ok
}

// providerPanel shows the provider and what its users must know before
// the first login, with the link to its help page; nil when unknown.
func (f *setupFlow) providerPanel() fyne.CanvasObject {
	rep := f.report
	if rep.Provider == nil {
		return nil
	}
	name := rep.Provider.Name
	p := f.provider()
	if p != nil {
		name = p.DisplayName(f.u.lang)
	}
	box := container.NewVBox()
	if p != nil {
		if note := p.Note(f.u.lang); note != "" {
			f.rv.notes = append(f.rv.notes, note)
			box.Add(wrapLabel(note))
		}
	}
	// The provider's notes in the window's language (it may have changed
	// since the search), then the report's other advice for before logging in.
	seen := map[string]bool{}
	var notes []hints.Hint
	if p != nil {
		for _, h := range hints.ProviderNotes(p, f.u.lang) {
			seen[h.ID] = true
			notes = append(notes, hints.Hint(h))
		}
	}
	for _, h := range rep.Notes {
		if (h.Severity == hints.SeverityInfo || h.Severity == "") && !seen[h.ID] {
			notes = append(notes, h)
		}
	}
	for _, h := range notes {
		f.rv.notes = append(f.rv.notes, h.Text)
		box.Add(hintView(h))
	}
	if p != nil {
		if link := helpLink(p.HelpURL); link != nil {
			link.SetText(lang.X("provider.help", "{{.Name}} help page", map[string]string{"Name": name}))
			box.Add(link)
		}
	}
	f.rv.provider = widget.NewCard(name, lang.X("provider.subtitle", "Your provider — read this before logging in"), box)
	return f.rv.provider
}

// warningBanner tells loudly when the answer is unsafe or incomplete.
func (f *setupFlow) warningBanner() fyne.CanvasObject {
	rep := f.report
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
	for _, h := range rep.Notes {
		if h.Severity == hints.SeverityWarning || h.Severity == hints.SeverityError {
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

// useCandidate puts a candidate from the list into its role's card; a
// certificate that failed verification is pinned first, if the user agrees.
func (f *setupFlow) useCandidate(c *assistant.Candidate) {
	if c == nil {
		return
	}
	apply := func() {
		srv := c.Server()
		if c.Status == mailcfg.StatusInsecure {
			srv.Security = mailcfg.None // it does not offer the encryption it was probed with
		}
		if srv.Username == "" {
			srv.Username = f.defaultServer(c.Role).Username
		}
		if c.Role == mailcfg.Outgoing {
			f.out = srv
		} else {
			f.in = srv
		}
		f.show(stepServers)
	}
	if c.Status == mailcfg.StatusCertInvalid && !f.u.settings.trusts(c.TLS.SHA256) {
		f.u.askTrustCertificate(c.Server(), c.TLS, apply)
		return
	}
	apply()
}

// serverCard edits one server.
type serverCard struct {
	role     mailcfg.Role
	srv      mailcfg.Server
	protocol *widget.Select // incoming only
	host     *widget.Entry
	port     *widget.Entry
	security *widget.Select
	user     *widget.Entry
	errText  *widget.Label
	card     *widget.Card
	changed  func(mailcfg.Server)
}

func newServerCard(role mailcfg.Role, srv mailcfg.Server, changed func(mailcfg.Server), submit func()) *serverCard {
	c := &serverCard{role: role, srv: srv, changed: changed}
	modes, labels := securityOptions()
	c.host = widget.NewEntry()
	c.host.SetPlaceHolder(lang.X("servers.host.placeholder", "mail.example.com"))
	c.host.SetText(srv.Host)
	c.port = widget.NewEntry()
	if srv.Port > 0 {
		c.port.SetText(strconv.Itoa(srv.Port))
	}
	c.security = widget.NewSelect(labels, nil)
	for i, m := range modes {
		if m == srv.Security {
			c.security.SetSelectedIndex(i)
		}
	}
	c.user = widget.NewEntry()
	c.user.SetText(srv.Username)
	c.errText = wrapLabel("")
	c.errText.Importance = widget.DangerImportance
	c.errText.Hide()

	form := widget.NewForm()
	title := lang.X("servers.incoming", "Incoming mail server")
	if role == mailcfg.Incoming {
		protos := []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP}
		c.protocol = widget.NewSelect([]string{protocolText(mailcfg.POP3), protocolText(mailcfg.IMAP)}, nil)
		for i, p := range protos {
			if p == srv.Protocol {
				c.protocol.SetSelectedIndex(i)
			}
		}
		c.protocol.OnChanged = func(string) {
			old := c.srv.Protocol
			c.srv.Protocol = protos[c.protocol.SelectedIndex()]
			c.followProtocol(old)
			c.changed(c.srv)
		}
		form.Append(lang.X("servers.protocol", "Protocol"), c.protocol)
	} else {
		title = lang.X("servers.outgoing", "Outgoing mail server (SMTP)")
	}
	form.Append(lang.X("servers.host", "Server"), c.host)
	form.Append(lang.X("servers.port", "Port"), c.port)
	form.Append(lang.X("servers.security", "Encryption"), c.security)
	form.Append(lang.X("servers.username", "Username"), c.user)

	c.host.OnChanged = func(s string) { c.srv.Host = strings.TrimSpace(s); c.changed(c.srv) }
	c.port.OnChanged = func(s string) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			c.srv.Port = 0
			c.changed(c.srv)
			return
		}
		c.srv.Port = n
		c.followPort()
		c.changed(c.srv)
	}
	c.security.OnChanged = func(string) {
		if i := c.security.SelectedIndex(); i >= 0 {
			c.srv.Security = modes[i]
			c.changed(c.srv)
		}
	}
	c.user.OnChanged = func(s string) { c.srv.Username = strings.TrimSpace(s); c.changed(c.srv) }
	for _, e := range []*widget.Entry{c.host, c.port, c.user} {
		e.OnSubmitted = func(string) { submit() }
	}
	c.card = widget.NewCard(title, "", container.NewVBox(form, c.errText))
	return c
}

// followPort adopts the protocol and security a well-known port implies.
func (c *serverCard) followPort() {
	p, sec, ok := mailcfg.InferFromPort(c.srv.Port)
	if !ok || p.Role() != c.role {
		return
	}
	modes, _ := securityOptions()
	for i, m := range modes {
		if m == sec && c.srv.Security != sec {
			c.srv.Security = sec
			c.security.SetSelectedIndex(i)
		}
	}
	if c.protocol != nil && p != c.srv.Protocol {
		c.srv.Protocol = p
		c.protocol.SetSelectedIndex(map[mailcfg.Protocol]int{mailcfg.POP3: 0, mailcfg.IMAP: 1}[p])
	}
}

// followProtocol moves a standard port along when the protocol changes.
func (c *serverCard) followProtocol(old mailcfg.Protocol) {
	for i, ep := range mailcfg.StandardEndpoints(old) {
		if ep.Port == c.srv.Port {
			eps := mailcfg.StandardEndpoints(c.srv.Protocol)
			if i < len(eps) {
				c.srv.Port = eps[i].Port
				c.port.SetText(strconv.Itoa(eps[i].Port)) // followPort keeps the security
			}
			return
		}
	}
}

// check validates the card, showing what is wrong under it.
func (c *serverCard) check() bool {
	var msg string
	switch {
	case c.srv.Host == "" || strings.ContainsAny(c.srv.Host, " /@"):
		msg = lang.X("servers.err.host", "Type the server's name, e.g. mail.example.com.")
	case c.srv.Port < 1 || c.srv.Port > 65535:
		msg = lang.X("servers.err.port", "The port is a number from 1 to 65535.")
	case !c.srv.Security.Valid():
		msg = lang.X("servers.err.security", "Choose the encryption.")
	}
	if msg == "" {
		c.errText.Hide()
		return true
	}
	c.errText.SetText(msg)
	c.errText.Show()
	return false
}
