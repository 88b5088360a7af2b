package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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

// screen is one page of the wizard. It keeps its own state across a change
// of language and builds its widgets afresh from it and the shared model.
type screen interface {
	// content builds the page.
	content() fyne.CanvasObject
	// focusTarget is the field that takes the keyboard on arrival; nil for none.
	focusTarget() fyne.Focusable
}

// wizard is the Set up tab: the step trail above one screen at a time. The
// screens share one model and talk to the engine through the window's
// Engine; workers come back on the UI goroutine through ui.do.
type wizard struct {
	u      *ui
	m      *setupModel
	step   setupStep
	body   *fyne.Container // holds the current page
	crumbs []*widget.Label

	address *addressScreen
	search  *searchScreen
	servers *serversScreen
	login   *loginScreen
	export  *exportScreen
}

func newWizard(u *ui) *wizard {
	w := &wizard{u: u, m: newSetupModel()}
	w.address = &addressScreen{w: w}
	w.search = &searchScreen{w: w}
	w.servers = &serversScreen{w: w}
	w.login = &loginScreen{w: w}
	w.export = newExportScreen(w)
	return w
}

// screenOf is the screen of step s.
func (w *wizard) screenOf(s setupStep) screen {
	switch s {
	case stepSearch:
		return w.search
	case stepServers:
		return w.servers
	case stepLogin:
		return w.login
	case stepExport:
		return w.export
	}
	return w.address
}

// content is the wizard: the step trail above the current page.
func (w *wizard) content() fyne.CanvasObject {
	names := []string{
		lang.X("step.address", "1 Address"),
		lang.X("step.search", "2 Search"),
		lang.X("step.servers", "3 Servers"),
		lang.X("step.login", "4 Log in"),
		lang.X("step.export", "5 Export"),
	}
	w.crumbs = w.crumbs[:0]
	trail := container.NewHBox()
	for i, n := range names {
		if i > 0 {
			trail.Add(widget.NewIcon(theme.NewDisabledResource(theme.NavigateNextIcon())))
		}
		l := widget.NewLabel(n)
		w.crumbs = append(w.crumbs, l)
		trail.Add(l)
	}
	w.body = container.NewStack()
	w.render(w.step)
	return container.NewBorder(container.NewVBox(trail, widget.NewSeparator()), nil, nil, nil, w.body)
}

// show switches to page s and puts the focus on its first field.
func (w *wizard) show(s setupStep) {
	w.render(s)
	w.focusFirst()
}

// render builds page s in place of the current one.
func (w *wizard) render(s setupStep) {
	w.step = s
	for i, l := range w.crumbs {
		l.TextStyle.Bold = setupStep(i) == s
		l.Importance = widget.LowImportance
		if setupStep(i) == s {
			l.Importance = widget.HighImportance
		}
		l.Refresh()
	}
	w.body.Objects = []fyne.CanvasObject{w.screenOf(s).content()}
	w.body.Refresh()
}

// focusFirst puts the keyboard focus on the page's first field.
func (w *wizard) focusFirst() {
	u := w.u
	if u.win == nil || u.tabs == nil || u.tabs.SelectedIndex() != tabSetup {
		return
	}
	target := w.screenOf(w.step).focusTarget()
	if target == nil {
		u.win.Canvas().Unfocus() // the field that had it may be gone with its page
		return
	}
	u.win.Canvas().Focus(target)
}

// startOver goes back to the address page for another account.
func (w *wizard) startOver() {
	w.m.password = ""
	w.m.forgetLogins()
	w.export.includePassword = false
	w.show(stepAddress)
}

// page lays out a wizard page: scrolling body, buttons at the bottom.
func page(body fyne.CanvasObject, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	bar := container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...)
	return container.NewBorder(nil, container.NewPadded(bar), nil, nil, container.NewVScroll(container.NewPadded(body)))
}
