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
	notes  *fyne.Container // what to set afterwards, the help page, the notes
	scroll *container.Scroll
	rows   []sheetRow
}

type sheetRow struct {
	field export.SheetField
	copy  *widget.Button // nil for check boxes and a withheld password
}

func (v *sheetView) content(*exportScreen) {
	v.form = container.New(layout.NewFormLayout())
	v.notes = container.NewVBox()
	v.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(v.form, v.notes)))
	v.rows = nil
}

// render fills the fields for the Foxmail formats and reports whether it
// did.
func (v *sheetView) render(s *exportScreen, fm export.Format, ok bool) bool {
	v.rows = nil
	v.form.RemoveAll()
	v.notes.RemoveAll()
	if !ok || (fm.ID != "foxmail" && fm.ID != "foxmail-txt") {
		return false
	}
	a, err := s.account(fm)
	if err != nil {
		return false
	}
	opts := export.Options{IncludePassword: s.includePassword && fm.CarriesPassword, Lang: s.w.u.lang}
	fields, err := export.FoxmailFields(a.Account, opts)
	if err != nil {
		return false
	}
	notes, err := export.FoxmailNotes(a.Account, opts)
	if err != nil {
		return false
	}
	english := s.w.u.lang == "en"
	for _, f := range fields {
		r := sheetRow{field: f}
		left, value := sheetLabel(f, english), fyne.CanvasObject(nil)
		switch {
		case f.CheckBox:
			// A box to tick, as Foxmail shows it: the box, then its label
			// (wrapped: STARTTLS's is long).
			icon, state := theme.CheckButtonIcon(), lang.X("export.sheet_unticked", "not ticked")
			if f.Checked {
				icon, state = theme.CheckButtonCheckedIcon(), lang.X("export.sheet_ticked", "ticked")
			}
			subdued := widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, Inline: true}
			segs := []widget.RichTextSegment{&widget.TextSegment{Text: f.Label, Style: widget.RichTextStyleStrong}}
			if english && f.English != f.Label {
				segs = append(segs, &widget.TextSegment{Text: "  " + f.English, Style: subdued})
			}
			segs = append(segs, &widget.TextSegment{Text: "  " + state, Style: subdued})
			text := widget.NewRichText(segs...)
			text.Wrapping = fyne.TextWrapWord
			value = container.NewBorder(nil, nil, widget.NewIcon(icon), nil, text)
			left = layout.NewSpacer()
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
	if notes.AfterTitle != "" {
		v.notes.Add(boldLabel(notes.AfterTitle))
		for _, line := range notes.After {
			v.notes.Add(wrapLabel("• " + line))
		}
	}
	if notes.Help != "" {
		v.notes.Add(wrapLabel(notes.Help))
	}
	for _, line := range notes.Notes {
		l := wrapLabel(line)
		l.Importance = widget.LowImportance
		v.notes.Add(l)
	}
	v.form.Refresh()
	v.notes.Refresh()
	return true
}

// sheetLabel is a field's label as Foxmail shows it, with the English
// beside it in an English window.
func sheetLabel(f export.SheetField, english bool) fyne.CanvasObject {
	label := widget.NewLabel(f.Label)
	label.TextStyle.Bold = true
	if !english || f.English == f.Label {
		return label
	}
	en := widget.NewLabel(f.English)
	en.Importance = widget.LowImportance
	return container.NewHBox(label, en)
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
