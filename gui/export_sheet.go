package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/export"
)

// sheetView is Foxmail's manual-setup dialog as fields to copy: Foxmail
// imports no account file, so the user types (pastes) each field, in
// Foxmail's own labels and order (export.FoxmailFields). The password
// can be copied only when the user asked to include it.
type sheetView struct {
	form   *fyne.Container
	scroll *container.Scroll
	rows   []sheetRow
}

type sheetRow struct {
	field export.SheetField
	copy  *widget.Button // nil for check boxes and a withheld password
}

func (v *sheetView) content(*exportScreen) {
	v.form = container.New(layout.NewFormLayout())
	v.scroll = container.NewVScroll(container.NewPadded(v.form))
	v.rows = nil
}

// render fills the fields for the Foxmail formats and reports whether it
// did.
func (v *sheetView) render(s *exportScreen, fm export.Format, ok bool) bool {
	v.rows = nil
	v.form.RemoveAll()
	if !ok || (fm.ID != "foxmail" && fm.ID != "foxmail-txt") {
		return false
	}
	a, err := s.account(fm)
	if err != nil {
		return false
	}
	fields, err := export.FoxmailFields(a.Account, export.Options{IncludePassword: s.includePassword && fm.CarriesPassword, Lang: s.w.u.lang})
	if err != nil {
		return false
	}
	english := s.w.u.lang == "en"
	for _, f := range fields {
		r := sheetRow{field: f}
		label := widget.NewLabel(f.Label)
		label.TextStyle.Bold = true
		var left fyne.CanvasObject = label
		if english && f.English != f.Label {
			en := widget.NewLabel(f.English)
			en.Importance = widget.LowImportance
			left = container.NewHBox(label, en)
		}
		var value fyne.CanvasObject
		switch {
		case f.CheckBox:
			icon, text := theme.CheckButtonIcon(), lang.X("export.sheet_unticked", "not ticked")
			if f.Checked {
				icon, text = theme.CheckButtonCheckedIcon(), lang.X("export.sheet_ticked", "ticked")
			}
			value = container.NewHBox(widget.NewIcon(icon), widget.NewLabel(text))
		case f.Secret && f.Value == "":
			l := widget.NewLabel(lang.X("export.sheet_password", "Your password (to copy it from here, tick “Include the password in the file” above)"))
			l.Importance = widget.LowImportance
			l.Wrapping = fyne.TextWrapWord
			value = l
		default:
			text := f.Value
			if f.Secret {
				text = "••••••••" // copied, not shown
			}
			l := widget.NewLabel(text)
			l.TextStyle.Monospace = true
			field := f
			r.copy = widget.NewButtonWithIcon(lang.X("export.copy", "Copy"), theme.ContentCopyIcon(), func() { v.copyField(s, field) })
			value = container.NewBorder(nil, nil, nil, r.copy, l)
		}
		v.rows = append(v.rows, r)
		v.form.Add(left)
		v.form.Add(value)
		if f.Secret && f.Note != "" {
			note := wrapLabel(f.Note)
			note.Importance = widget.WarningImportance
			v.form.Add(layout.NewSpacer())
			v.form.Add(note)
		}
	}
	v.form.Refresh()
	return true
}

// copyField puts one field's value on the clipboard and says which.
func (v *sheetView) copyField(s *exportScreen, f export.SheetField) {
	s.w.u.app.Clipboard().SetContent(f.Value)
	name := f.Label
	if s.w.u.lang == "en" {
		name = f.English
	}
	s.tell(lang.X("export.sheet_copied", "Copied: {{.Field}}", map[string]string{"Field": name}), widget.SuccessImportance)
}
