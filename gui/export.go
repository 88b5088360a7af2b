package gui

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/export"
	"mailsetup/l10n"
)

// exportScreen writes the edited settings for a mail program: the engine
// makes the account (assistant.Report.Account), an exporter the file.
type exportScreen struct {
	w               *wizard
	formatID        string
	includePassword bool
	seed            string // keeps generated identifiers stable between preview and file
	savedTo         string
	savedLevel      widget.Importance
	// savedAs is where this format's file was last saved: the Outlook
	// formats' instructions name it.
	savedAs  string
	savedDir string // the folder of the last save, where the next one starts

	// desk is this machine: the folder to save in, the mail programs on
	// it; the one-click actions hand the file to them.
	desk    desktop
	outlook outlookAction
	local   localActions
	sheet   sheetView

	formats     []export.Format
	client      *widget.Select
	description *widget.Label
	prfNote     *widget.Label
	include     *widget.Check
	preview     *readOnlyEntry
	errText     *widget.Label
	saved       *widget.Label
	previewHead *widget.Label
	center      *fyne.Container // the preview, or Foxmail's fields in its place
	page        *fyne.Container
	save, copy  *widget.Button
}

func newExportScreen(w *wizard) *exportScreen {
	return &exportScreen{w: w, formatID: "outlook-prf", seed: randomSeed(), desk: systemDesktop{}}
}

func randomSeed() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *exportScreen) focusTarget() fyne.Focusable { return nil }

func (s *exportScreen) content() fyne.CanvasObject {
	s.formats = export.Formats()
	names := make([]string, len(s.formats))
	for i, fm := range s.formats {
		names[i] = formatName(fm)
	}
	s.description = wrapLabel("")
	s.prfNote = wrapLabel(lang.X("export.prf_note", "An Outlook profile file carries no password; Outlook will ask for it."))
	s.prfNote.Importance = widget.WarningImportance
	s.include = widget.NewCheck(lang.X("export.include_password", "Include the password in the file"), func(on bool) {
		s.includePassword = on
		s.render()
	})
	s.include.SetChecked(s.includePassword)
	s.preview = newReadOnlyEntry()
	s.preview.SetMinRowsVisible(8)
	s.errText = wrapLabel("")
	s.errText.Importance = widget.DangerImportance
	s.saved = wrapLabel(s.savedTo)
	s.saved.Importance = s.savedLevel
	if s.savedTo == "" {
		s.saved.Hide()
	}
	s.client = widget.NewSelect(names, func(string) {
		if i := s.client.SelectedIndex(); i >= 0 {
			s.formatID = s.formats[i].ID
			s.savedTo, s.savedAs = "", ""
			s.saved.Hide()
			s.render()
		}
	})
	s.save = widget.NewButtonWithIcon(lang.X("export.save", "Save…"), theme.DocumentSaveIcon(), s.saveFile)
	s.save.Importance = widget.HighImportance
	s.copy = widget.NewButtonWithIcon(lang.X("export.copy", "Copy"), theme.ContentCopyIcon(), s.copyText)

	form := widget.NewForm(widget.NewFormItem(lang.X("export.client", "Mail program"), s.client))
	actions := s.actionsContent()
	s.sheet.content(s)
	s.center = container.NewStack(container.NewPadded(s.preview))
	s.previewHead = widget.NewLabel("")
	body := container.NewVBox(
		boldLabel(lang.X("export.title", "Export the settings")),
		form, s.description, s.prfNote, s.include, s.errText, actions,
		s.previewHead,
	)
	selected := 0
	for i, fm := range s.formats {
		if fm.ID == s.formatID {
			selected = i
		}
	}
	if len(s.formats) > 0 {
		s.client.SetSelectedIndex(selected) // renders the preview
	}
	back := widget.NewButtonWithIcon(lang.X("export.back", "Back"), theme.NavigateBackIcon(), func() { s.w.show(stepLogin) })
	again := widget.NewButtonWithIcon(lang.X("export.again", "Set up another account"), theme.ContentAddIcon(), s.w.startOver)
	bottom := container.NewPadded(container.NewHBox(back, again, layoutSpacer(), s.copy, s.save))
	top := container.NewVBox(body, s.saved)
	// Laid out as NewBorder does, listed top to bottom: Tab goes that way.
	head := container.NewPadded(top)
	s.page = container.New(layout.NewBorderLayout(head, bottom, nil, nil), head, s.center, bottom)
	return s.page
}

// account is the edited settings as the engine makes them into an
// account for the exporters; the password is in it only when the user
// asked for it and the format can hold it.
func (s *exportScreen) account(fm export.Format) (assistant.ExportAccount, error) {
	u, m := s.w.u, s.w.m
	in, out := m.in, m.out
	rep := m.report
	if rep == nil {
		rep = &assistant.Report{Email: m.addr.String()}
	}
	a, err := rep.Account(assistant.AccountChoices{Incoming: &in, Outgoing: &out, DisplayName: m.name,
		LeaveOnServer: m.leaveOnServer, Pins: u.settings.Trust, Lang: u.lang})
	if s.includePassword && fm.CarriesPassword {
		a.Password = m.password
	}
	return a, err
}

// file produces the file for the chosen format, as saved last.
func (s *exportScreen) file() (export.Format, []byte, error) { return s.fileAs(s.savedAs) }

// fileAs produces the file for the chosen format, to be saved as savedAs
// (which the Outlook formats name in their instructions; "" for none).
func (s *exportScreen) fileAs(savedAs string) (export.Format, []byte, error) {
	fm, ok := export.ByID(s.formatID)
	if !ok {
		return fm, nil, &export.AccountError{Field: "format", Reason: "unknown format " + s.formatID}
	}
	a, err := s.account(fm)
	if err != nil {
		return fm, nil, err
	}
	data, err := fm.Render(a.Account, export.Options{IncludePassword: s.includePassword && fm.CarriesPassword,
		Lang: s.w.u.lang, Seed: s.seed, IncomingFingerprint: a.IncomingPin, OutgoingFingerprint: a.OutgoingPin, SavedAs: savedAs})
	return fm, data, err
}

// render refreshes the description, the password box and the preview.
func (s *exportScreen) render() {
	if s.preview == nil {
		return
	}
	fm, data, err := s.file()
	s.description.SetText(formatDescription(fm))
	if fm.ID == "outlook-prf" {
		s.prfNote.Show()
	} else {
		s.prfNote.Hide()
	}
	if fm.CarriesPassword && s.w.m.password != "" {
		s.include.Enable()
	} else {
		s.include.Disable()
	}
	if err != nil {
		s.errText.SetText(lang.X("export.error", "These settings cannot be exported: {{.Error}}", map[string]string{"Error": errorText(err)}))
		s.errText.Show()
		s.preview.SetText("")
		s.save.Disable()
		s.copy.Disable()
		s.renderActions(fm, false)
		return
	}
	s.errText.Hide()
	s.save.Enable()
	s.copy.Enable()
	s.preview.SetText(previewText(data))
	s.renderActions(fm, true)
}

// errorText is an error in the window's language when the engine says it
// through the catalogue.
func errorText(err error) string {
	var said interface{ Message() l10n.Message }
	if errors.As(err, &said) {
		return said.Message().In(currentLanguage())
	}
	return err.Error()
}

// saveFile asks where to save the file and writes it. The dialog starts
// in the folder of the last save, else in the export folder (Documents
// on Windows).
func (s *exportScreen) saveFile() {
	u := s.w.u
	fm, _, err := s.file()
	if err != nil {
		u.showError(err)
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if wc == nil {
			return // cancelled
		}
		s.writeSaved(wc)
	}, u.win)
	if lister := s.startFolder(); lister != nil {
		d.SetLocation(lister)
	}
	d.SetFileName(exportFileName(s.w.m.addr.ASCIIString(), fm.Ext))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// writeSaved writes the file where the Save dialog said, naming that very
// path in it (export.Options.SavedAs).
func (s *exportScreen) writeSaved(wc fyne.URIWriteCloser) {
	u := s.w.u
	path := filepath.FromSlash(wc.URI().Path()) // Fyne's URIs use slashes, Windows' paths not
	_, data, err := s.fileAs(path)
	if err != nil {
		wc.Close()
		u.showError(err)
		return
	}
	_, err = wc.Write(data)
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		u.showError(err)
		return
	}
	s.savedAs, s.savedDir = path, filepath.Dir(path)
	if s.w.step == stepExport {
		s.render() // the preview names the file now
	}
	s.tell(lang.X("export.saved", "Saved to {{.Path}}", map[string]string{"Path": path}), widget.SuccessImportance)
}

// copyText puts the file's text on the clipboard.
func (s *exportScreen) copyText() {
	_, data, err := s.file()
	if err != nil {
		s.w.u.showError(err)
		return
	}
	s.w.u.app.Clipboard().SetContent(previewText(data))
	s.tell(lang.X("export.copied", "Copied to the clipboard."), widget.SuccessImportance)
}

// tell shows the outcome of the last action above the preview.
func (s *exportScreen) tell(text string, level widget.Importance) {
	s.savedTo, s.savedLevel = text, level
	if s.saved == nil || s.w.step != stepExport {
		return
	}
	s.saved.SetText(text)
	s.saved.Importance = level
	s.saved.Show()
	s.saved.Refresh()
	s.relayout() // makes room for it above the preview
}

// relayout lays the page out again when rows above the preview came, went
// or grew: a second time too, as a wrapping label knows its height only
// once it has its width.
func (s *exportScreen) relayout() {
	if s.page == nil {
		return
	}
	s.page.Refresh()
	s.page.Layout.Layout(s.page.Objects, s.page.Size())
}

// startFolder is where the Save dialog opens: the last save's folder,
// else the export folder; nil when neither can be listed.
func (s *exportScreen) startFolder() fyne.ListableURI {
	dir := s.savedDir
	if dir == "" {
		var err error
		if dir, err = s.desk.ExportDir(); err != nil {
			return nil
		}
	}
	lister, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		return nil
	}
	return lister
}
