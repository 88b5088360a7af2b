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
	preview := container.NewPadded(s.preview)
	if s.sheet.render(s, fm, ok) {
		// The fields above, the whole sheet (with what to set afterwards
		// and the provider's notes) below.
		s.previewHead.SetText(lang.X("export.sheet_head", "Foxmail's setup fields, in its order: copy each into Foxmail"))
		split := container.NewVSplit(s.sheet.scroll, preview)
		split.SetOffset(0.62)
		s.center.Objects = []fyne.CanvasObject{split}
	} else {
		s.previewHead.SetText(lang.X("export.preview", "Preview"))
		s.center.Objects = []fyne.CanvasObject{preview}
	}
	s.center.Refresh()
}
