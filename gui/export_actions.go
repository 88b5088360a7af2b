package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"mailsetup/export"
)

// The Export screen's one-click actions: "Open in Outlook" on Windows
// (export_outlook.go), "Install for <client>" for the command-line
// clients found on this machine (export_local.go), and for Foxmail, which
// imports nothing, its setup fields with a copy button each
// (export_sheet.go).

// actionsContent builds the actions' rows, asking the machine once per
// page what is installed.
func (s *exportScreen) actionsContent() fyne.CanvasObject {
	return container.NewVBox(s.outlook.content(s), s.local.content(s))
}

// renderActions shows the actions that fit format fm; ok tells whether
// its file could be made.
func (s *exportScreen) renderActions(fm export.Format, ok bool) {
	s.outlook.render(s, fm, ok)
	s.local.render(s, fm, ok)
	if s.sheet.render(s, fm, ok) {
		// The sheet's fields in place of the file, which Save and Copy
		// still give.
		s.previewHead.SetText(lang.X("export.sheet_head", "Foxmail's setup fields, in its order: copy each into Foxmail"))
		s.center.Objects = []fyne.CanvasObject{s.sheet.scroll}
	} else {
		s.previewHead.SetText(lang.X("export.preview", "Preview"))
		s.center.Objects = []fyne.CanvasObject{container.NewPadded(s.preview)}
	}
	s.center.Refresh()
	s.relayout()
}
