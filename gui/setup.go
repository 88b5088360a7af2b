package gui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// setupStep is one page of the Set up wizard.
type setupStep int

const (
	stepAddress setupStep = iota
	stepSearch
	stepServers
	stepLogin
	stepExport
)

// setupFlow is the Set up wizard: its state survives a change of
// language, its widgets are rebuilt from that state.
type setupFlow struct {
	u      *ui
	step   setupStep
	body   *fyne.Container // holds the current page
	crumbs []*widget.Label

	// Address page.
	email, name   string
	addr          mailcfg.Address
	addrOK        bool
	protocol      mailcfg.Protocol
	leaveOnServer bool
	notice        string // why the wizard came back to the address page
	av            addressWidgets

	// Search page.
	cancel context.CancelFunc
	run    int // number of the current discovery; events of older ones are dropped
	search searchState
	sv     searchWidgets

	// Servers page.
	report        *assistant.Report
	in, out       mailcfg.Server
	consentPlain  map[string]bool // server key → the user allowed an unencrypted login
	consentSource map[string]bool // server key → the user allowed an untrusted source's server
	rv            serversWidgets

	// Login page.
	password       string
	testedPassword bool // the logins on show were made with this password
	logins         map[mailcfg.Role]*assistant.LoginOutcome
	loggingIn      bool
	sendTest       *assistant.SendTest
	sending        bool
	lv             loginWidgets

	// Export page.
	formatID        string
	includePassword bool
	seed            string // keeps generated identifiers stable between preview and file
	savedTo         string
	ev              exportWidgets
}

func newSetupFlow(u *ui) *setupFlow {
	return &setupFlow{u: u, protocol: mailcfg.POP3, leaveOnServer: true, formatID: "outlook-prf", seed: randomSeed(),
		consentPlain: map[string]bool{}, consentSource: map[string]bool{}}
}

func randomSeed() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// content is the wizard: the step trail above the current page.
func (f *setupFlow) content() fyne.CanvasObject {
	names := []string{
		lang.X("step.address", "1 Address"),
		lang.X("step.search", "2 Search"),
		lang.X("step.servers", "3 Servers"),
		lang.X("step.login", "4 Log in"),
		lang.X("step.export", "5 Export"),
	}
	f.crumbs = f.crumbs[:0]
	trail := container.NewHBox()
	for i, n := range names {
		if i > 0 {
			trail.Add(widget.NewIcon(theme.NewDisabledResource(theme.NavigateNextIcon())))
		}
		l := widget.NewLabel(n)
		f.crumbs = append(f.crumbs, l)
		trail.Add(l)
	}
	f.body = container.NewStack()
	f.renderPage(f.step)
	return container.NewBorder(container.NewVBox(trail, widget.NewSeparator()), nil, nil, nil, f.body)
}

// show switches to page s and puts the focus on its first field.
func (f *setupFlow) show(s setupStep) {
	f.renderPage(s)
	f.focusFirst()
}

// renderPage builds page s in place of the current one.
func (f *setupFlow) renderPage(s setupStep) {
	f.step = s
	for i, l := range f.crumbs {
		l.TextStyle.Bold = setupStep(i) == s
		l.Importance = widget.LowImportance
		if setupStep(i) == s {
			l.Importance = widget.HighImportance
		}
		l.Refresh()
	}
	var page fyne.CanvasObject
	switch s {
	case stepAddress:
		page = f.addressPage()
	case stepSearch:
		page = f.searchPage()
	case stepServers:
		page = f.serversPage()
	case stepLogin:
		page = f.loginPage()
	case stepExport:
		page = f.exportPage()
	}
	f.body.Objects = []fyne.CanvasObject{page}
	f.body.Refresh()
}

// focusFirst puts the keyboard focus on the page's first field.
func (f *setupFlow) focusFirst() {
	var target fyne.Focusable
	switch f.step {
	case stepAddress:
		target = f.av.address
	case stepServers:
		target = f.rv.in.host
	case stepLogin:
		target = f.lv.password
	}
	if f.u.win == nil || f.u.tabs == nil || f.u.tabs.SelectedIndex() != tabSetup {
		return
	}
	if target == nil {
		f.u.win.Canvas().Unfocus() // the field that had it may be gone with its page
		return
	}
	f.u.win.Canvas().Focus(target)
}

// page lays out a wizard page: scrolling body, buttons at the bottom.
func page(body fyne.CanvasObject, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	bar := container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...)
	return container.NewBorder(nil, container.NewPadded(bar), nil, nil, container.NewVScroll(container.NewPadded(body)))
}

// addressWidgets are the fields of the address page.
type addressWidgets struct {
	address  *widget.Entry
	errText  *widget.Label
	name     *widget.Entry
	protocol *widget.RadioGroup
	leave    *widget.Check
	find     *widget.Button
	notice   *widget.Label
}

func (f *setupFlow) addressPage() fyne.CanvasObject {
	v := &f.av
	v.address = widget.NewEntry()
	v.address.SetPlaceHolder(lang.X("setup.address.placeholder", "alice@example.com"))
	v.address.SetText(f.email)
	v.errText = wrapLabel("")
	v.errText.Importance = widget.DangerImportance
	v.errText.Hide()
	v.address.OnChanged = f.addressChanged
	v.address.OnSubmitted = func(string) { f.submitAddress() }

	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(lang.X("setup.name.placeholder", "Alice Liu"))
	v.name.SetText(f.name)
	v.name.OnChanged = func(s string) { f.name = s }
	v.name.OnSubmitted = func(string) { f.submitAddress() }

	pop, imap := protocolText(mailcfg.POP3), protocolText(mailcfg.IMAP)
	v.leave = widget.NewCheck(lang.X("setup.leave", "Leave a copy of each message on the server"), func(on bool) { f.leaveOnServer = on })
	v.leave.SetChecked(f.leaveOnServer)
	v.protocol = widget.NewRadioGroup([]string{pop, imap}, func(s string) {
		f.protocol = mailcfg.POP3
		if s == imap {
			f.protocol = mailcfg.IMAP
		}
		if f.protocol == mailcfg.POP3 {
			v.leave.Show()
		} else {
			v.leave.Hide()
		}
	})
	v.protocol.Horizontal = true
	v.protocol.Required = true
	v.protocol.SetSelected(map[mailcfg.Protocol]string{mailcfg.POP3: pop, mailcfg.IMAP: imap}[f.protocol])

	v.find = widget.NewButtonWithIcon(lang.X("setup.find", "Find settings"), theme.SearchIcon(), f.submitAddress)
	v.find.Importance = widget.HighImportance
	v.notice = wrapLabel(f.notice)
	v.notice.Importance = widget.WarningImportance
	if f.notice == "" {
		v.notice.Hide()
	}
	f.addressChanged(f.email)

	form := widget.NewForm(
		widget.NewFormItem(lang.X("setup.address", "Email address"), container.NewVBox(v.address, v.errText)),
		widget.NewFormItem(lang.X("setup.name", "Your name"), v.name),
		widget.NewFormItem(lang.X("setup.protocol", "Incoming mail"), v.protocol),
		widget.NewFormItem("", wrapLabel(lang.X("setup.protocol.explain",
			"POP3 downloads your mail to this computer. IMAP keeps every device in sync."))),
		widget.NewFormItem("", v.leave),
	)
	body := container.NewVBox(
		boldLabel(lang.X("setup.title", "Set up a mail account")),
		wrapLabel(lang.X("setup.intro", "Type your email address: mailsetup finds your provider's servers, checks that they work, and writes the settings for your mail program.")),
		form, v.notice)
	return page(body, v.find)
}

// addressChanged validates the address as it is typed.
func (f *setupFlow) addressChanged(s string) {
	f.email = s
	v := &f.av
	addr, err := mailcfg.ParseAddress(s)
	f.addr, f.addrOK = addr, err == nil
	if err != nil && strings.TrimSpace(s) != "" {
		v.errText.SetText(addressErrorText(err))
		v.errText.Show()
	} else {
		v.errText.SetText("")
		v.errText.Hide()
	}
	if f.addrOK {
		v.find.Enable()
	} else {
		v.find.Disable()
	}
}

// submitAddress starts the search when the address is valid (Enter or
// the Find button).
func (f *setupFlow) submitAddress() {
	if !f.addrOK {
		if strings.TrimSpace(f.email) == "" {
			f.av.errText.SetText(lang.X("address.empty", "Type your email address first."))
			f.av.errText.Show()
		}
		return
	}
	f.startSearch()
}

// addressErrorText explains a mailcfg.ParseAddress error in the user's language.
func addressErrorText(err error) string {
	var ae *mailcfg.AddressError
	if !errors.As(err, &ae) {
		return err.Error()
	}
	switch ae.Problem {
	case mailcfg.AddressNoAt:
		return lang.X("address.no_at", "An email address needs an @, as in alice@example.com.")
	case mailcfg.AddressNoLocal:
		return lang.X("address.no_local", "Something must come before the @.")
	case mailcfg.AddressNoDomain:
		return lang.X("address.no_domain", "The domain is missing after the @.")
	case mailcfg.AddressNoDot:
		return lang.X("address.no_dot", "The domain after the @ needs a dot, as in example.com.")
	case mailcfg.AddressIP:
		return lang.X("address.ip", "Use the domain name, not an IP address, after the @.")
	case mailcfg.AddressDot:
		return lang.X("address.dot", "A dot cannot start or end the name before the @, nor come twice in a row.")
	case mailcfg.AddressTooLong:
		return lang.X("address.long", "The address is too long.")
	case mailcfg.AddressCharacter:
		return lang.X("address.char", "The address contains a character that is not allowed (space, comma, brackets, quotes…).")
	case mailcfg.AddressBadDomain:
		return lang.X("address.domain", "The domain after the @ is not valid.")
	}
	return lang.X("address.invalid", "This is not a valid email address.")
}

// searchGrace is how much longer than its own timeout the window waits for
// the engine before giving up on it.
const searchGrace = 15 * time.Second

// startSearch runs a discovery off the UI goroutine; its events update the
// search page as they come.
func (f *setupFlow) startSearch() {
	u := f.u
	f.run++
	run := f.run
	timeout := u.settings.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout+searchGrace)
	f.cancel = cancel
	f.notice = ""
	f.report = nil
	f.logins = nil
	f.sendTest = nil
	f.savedTo = ""
	f.search = newSearchState(f.addr)
	f.show(stepSearch)
	req := DiscoverRequest{Email: strings.TrimSpace(f.email), Protocol: f.protocol, Settings: u.engineSettings()}
	eng := u.eng
	u.background(func() {
		defer cancel()
		rep, err := eng.Discover(ctx, req, func(ev assistant.Event) {
			u.do(func() {
				if f.run == run {
					f.onEvent(ev)
				}
			})
		})
		cause := ctx.Err()
		u.do(func() {
			if f.run == run {
				f.searchDone(rep, err, cause)
			}
		})
	})
}

// cancelSearch stops the running discovery and returns to the address page.
func (f *setupFlow) cancelSearch() {
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
	f.run++ // whatever the engine still says belongs to a search the user left
	f.notice = lang.X("search.cancelled", "Search cancelled.")
	f.show(stepAddress)
}

// searchDone takes the engine's answer.
func (f *setupFlow) searchDone(rep *assistant.Report, err, cause error) {
	f.cancel = nil
	if rep == nil {
		switch {
		case errors.Is(cause, context.DeadlineExceeded):
			f.notice = lang.X("search.timeout", "The search took too long and was stopped. Check your network, or raise the timeout in Settings.")
		case err != nil:
			f.notice = lang.X("search.failed", "The search failed: {{.Error}}", map[string]string{"Error": err.Error()})
		default:
			f.notice = lang.X("search.nothing", "The search returned nothing.")
		}
		f.show(stepAddress)
		return
	}
	f.report = rep
	f.in = f.defaultServer(mailcfg.Incoming)
	f.out = f.defaultServer(mailcfg.Outgoing)
	f.show(stepServers)
}

// defaultServer is the recommendation for role, or a blank server to fill in.
func (f *setupFlow) defaultServer(role mailcfg.Role) mailcfg.Server {
	var rec *mailcfg.Server
	if f.report != nil {
		rec = f.report.Recommended.Incoming
		if role == mailcfg.Outgoing {
			rec = f.report.Recommended.Outgoing
		}
	}
	if rec != nil {
		return *rec
	}
	p := f.protocol
	if role == mailcfg.Outgoing {
		p = mailcfg.SMTP
	}
	ep := mailcfg.StandardEndpoints(p)[0]
	user := f.addr.ASCIIString()
	if prov := f.provider(); prov != nil {
		user = prov.UsernameForProtocol(p, f.addr)
	}
	return mailcfg.Server{Protocol: p, Port: ep.Port, Security: ep.Security, Username: user}
}

// provider is the built-in provider of the report, nil when unknown.
func (f *setupFlow) provider() *providers.Provider {
	if f.report == nil || f.report.Provider == nil {
		return nil
	}
	return providers.ByID(f.report.Provider.ID)
}

// candidateFor finds the probed candidate that srv is, nil when the user
// typed a server nobody probed.
func (f *setupFlow) candidateFor(srv mailcfg.Server) *assistant.Candidate {
	if f.report == nil {
		return nil
	}
	var near *assistant.Candidate
	for i := range f.report.Candidates {
		c := &f.report.Candidates[i]
		if c.Server().Key() == srv.Key() {
			return c
		}
		// An insecure recommendation says security none for a candidate
		// probed as STARTTLS: the same server all the same.
		if near == nil && c.Protocol == srv.Protocol && c.Port == srv.Port && strings.EqualFold(c.Host, srv.Host) {
			near = c
		}
	}
	return near
}

// clone copies the settings so a worker never shares the Trust slice.
func (s Settings) clone() Settings {
	s.Trust = append([]string(nil), s.Trust...)
	return s
}
