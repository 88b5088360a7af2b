package gui

import (
	"strings"
	"unicode/utf16"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/export"
)

// exportWidgets are the parts of the export page.
type exportWidgets struct {
	formats     []export.Format
	client      *widget.Select
	description *widget.Label
	prfNote     *widget.Label
	include     *widget.Check
	preview     *readOnlyEntry
	errText     *widget.Label
	saved       *widget.Label
	save, copy  *widget.Button
}

func (f *setupFlow) exportPage() fyne.CanvasObject {
	v := &f.ev
	*v = exportWidgets{formats: export.Formats()}
	names := make([]string, len(v.formats))
	for i, fm := range v.formats {
		names[i] = formatName(fm)
	}
	v.description = wrapLabel("")
	v.prfNote = wrapLabel(lang.X("export.prf_note", "An Outlook profile file carries no password; Outlook will ask for it."))
	v.prfNote.Importance = widget.WarningImportance
	v.include = widget.NewCheck(lang.X("export.include_password", "Include the password in the file"), func(on bool) {
		f.includePassword = on
		f.renderExport()
	})
	v.include.SetChecked(f.includePassword)
	v.preview = newReadOnlyEntry()
	v.preview.SetMinRowsVisible(8)
	v.errText = wrapLabel("")
	v.errText.Importance = widget.DangerImportance
	v.saved = wrapLabel(f.savedTo)
	v.saved.Importance = widget.SuccessImportance
	if f.savedTo == "" {
		v.saved.Hide()
	}
	v.client = widget.NewSelect(names, func(string) {
		if i := v.client.SelectedIndex(); i >= 0 {
			f.formatID = v.formats[i].ID
			f.savedTo = ""
			v.saved.Hide()
			f.renderExport()
		}
	})
	v.save = widget.NewButtonWithIcon(lang.X("export.save", "Save…"), theme.DocumentSaveIcon(), f.saveExport)
	v.save.Importance = widget.HighImportance
	v.copy = widget.NewButtonWithIcon(lang.X("export.copy", "Copy"), theme.ContentCopyIcon(), f.copyExport)

	form := widget.NewForm(widget.NewFormItem(lang.X("export.client", "Mail program"), v.client))
	body := container.NewVBox(
		boldLabel(lang.X("export.title", "Export the settings")),
		form, v.description, v.prfNote, v.include, v.errText,
		widget.NewLabel(lang.X("export.preview", "Preview")),
	)
	selected := 0
	for i, fm := range v.formats {
		if fm.ID == f.formatID {
			selected = i
		}
	}
	if len(v.formats) > 0 {
		v.client.SetSelectedIndex(selected) // renders the preview
	}
	back := widget.NewButtonWithIcon(lang.X("export.back", "Back"), theme.NavigateBackIcon(), func() { f.show(stepLogin) })
	again := widget.NewButtonWithIcon(lang.X("export.again", "Set up another account"), theme.ContentAddIcon(), func() {
		f.password, f.includePassword, f.logins, f.sendTest = "", false, nil, nil
		f.show(stepAddress)
	})
	bottom := container.NewPadded(container.NewHBox(back, again, layoutSpacer(), v.copy, v.save))
	top := container.NewVBox(body, v.saved)
	return container.NewBorder(container.NewPadded(top), bottom, nil, nil, container.NewPadded(v.preview))
}

// format is the chosen export format.
func (f *setupFlow) format() (export.Format, bool) {
	return export.ByID(f.formatID)
}

// account is the edited settings as the engine makes them into an
// account for the exporters; the password is in it only when the user
// asked for it and the format can hold it.
func (f *setupFlow) account(fm export.Format) (assistant.ExportAccount, error) {
	in, out := f.in, f.out
	rep := f.report
	if rep == nil {
		rep = &assistant.Report{Email: f.addr.String()}
	}
	a, err := rep.Account(assistant.AccountChoices{Incoming: &in, Outgoing: &out, DisplayName: f.name,
		LeaveOnServer: f.leaveOnServer, Pins: f.u.settings.Trust, Lang: f.u.lang})
	if f.includePassword && fm.CarriesPassword {
		a.Password = f.password
	}
	return a, err
}

// renderFile produces the file for the chosen format.
func (f *setupFlow) renderFile() (export.Format, []byte, error) {
	fm, ok := f.format()
	if !ok {
		return fm, nil, &export.AccountError{Field: "format", Reason: "unknown format " + f.formatID}
	}
	a, err := f.account(fm)
	if err != nil {
		return fm, nil, err
	}
	data, err := fm.Render(a.Account, export.Options{IncludePassword: f.includePassword && fm.CarriesPassword,
		Lang: f.u.lang, Seed: f.seed, IncomingFingerprint: a.IncomingPin, OutgoingFingerprint: a.OutgoingPin})
	return fm, data, err
}

// renderExport refreshes the description, the password box and the preview.
func (f *setupFlow) renderExport() {
	v := &f.ev
	if v.preview == nil {
		return
	}
	fm, data, err := f.renderFile()
	v.description.SetText(formatDescription(fm))
	if fm.ID == "outlook-prf" {
		v.prfNote.Show()
	} else {
		v.prfNote.Hide()
	}
	if fm.CarriesPassword && f.password != "" {
		v.include.Enable()
	} else {
		v.include.Disable()
	}
	if err != nil {
		v.errText.SetText(lang.X("export.error", "These settings cannot be exported: {{.Error}}", map[string]string{"Error": err.Error()}))
		v.errText.Show()
		v.preview.SetText("")
		v.save.Disable()
		v.copy.Disable()
		return
	}
	v.errText.Hide()
	v.save.Enable()
	v.copy.Enable()
	v.preview.SetText(previewText(data))
}

// previewText is the file as text: UTF-16 files (an Outlook profile with
// non-ASCII text) are decoded, other bytes are shown as they are.
func previewText(data []byte) string {
	if len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE {
		units := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
		}
		return string(utf16.Decode(units))
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

// saveExport asks where to save the file and writes it.
func (f *setupFlow) saveExport() {
	fm, data, err := f.renderFile()
	if err != nil {
		f.u.showError(err)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			f.u.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		_, werr := w.Write(data)
		cerr := w.Close()
		if werr == nil {
			werr = cerr
		}
		if werr != nil {
			f.u.showError(werr)
			return
		}
		f.savedTo = lang.X("export.saved", "Saved to {{.Path}}", map[string]string{"Path": w.URI().Path()})
		if f.step == stepExport {
			f.ev.saved.SetText(f.savedTo)
			f.ev.saved.Show()
		}
	}, f.u.win)
	d.SetFileName(f.addr.ASCIIString() + fm.Ext)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// copyExport puts the file's text on the clipboard.
func (f *setupFlow) copyExport() {
	_, data, err := f.renderFile()
	if err != nil {
		f.u.showError(err)
		return
	}
	f.u.app.Clipboard().SetContent(previewText(data))
	f.savedTo = lang.X("export.copied", "Copied to the clipboard.")
	f.ev.saved.SetText(f.savedTo)
	f.ev.saved.Show()
}

// formatName is the menu name of a format in the user's language.
func formatName(fm export.Format) string {
	switch fm.ID {
	case "outlook-prf":
		return lang.X("format.outlook-prf", "Outlook (profile file, PRF)")
	case "outlook-autodiscover":
		return lang.X("format.outlook-autodiscover", "Outlook (Autodiscover XML)")
	case "foxmail":
		return lang.X("format.foxmail", "Foxmail (setup sheet, HTML)")
	case "foxmail-txt":
		return lang.X("format.foxmail-txt", "Foxmail (setup sheet, text)")
	case "thunderbird":
		return lang.X("format.thunderbird", "Thunderbird (autoconfig XML)")
	case "apple":
		return lang.X("format.apple", "Apple Mail — macOS, iPhone, iPad (.mobileconfig)")
	case "json":
		return lang.X("format.json", "JSON settings document")
	}
	return fm.Name // program names: msmtp, mpop, fetchmail, getmail6, mutt, aerc
}

// formatDescription tells what the file is for and how to use it.
func formatDescription(fm export.Format) string {
	switch fm.ID {
	case "outlook-prf":
		return lang.X("format.outlook-prf.desc", "For classic Outlook 2007–365 on Windows: run outlook.exe /importprf with the saved file. New Outlook cannot import it.")
	case "outlook-autodiscover":
		return lang.X("format.outlook-autodiscover.desc", "An Autodiscover answer for Outlook's local XML setting; the file's comments explain the registry values.")
	case "foxmail":
		return lang.X("format.foxmail.desc", "Foxmail imports no account file: this sheet is laid out like its manual setup dialog, to copy from.")
	case "foxmail-txt":
		return lang.X("format.foxmail-txt.desc", "The Foxmail setup sheet as plain text.")
	case "thunderbird":
		return lang.X("format.thunderbird.desc", "config-v1.1.xml for Thunderbird's isp folder or an autoconfig server.")
	case "apple":
		return lang.X("format.apple.desc", "A configuration profile: open it on a Mac, or send it to an iPhone or iPad, and confirm the installation in Settings.")
	case "msmtp":
		return lang.X("format.msmtp.desc", "~/.msmtprc for sending with msmtp.")
	case "mpop":
		return lang.X("format.mpop.desc", "~/.mpoprc for fetching POP3 mail with mpop.")
	case "fetchmail":
		return lang.X("format.fetchmail.desc", "~/.fetchmailrc for fetchmail.")
	case "getmail":
		return lang.X("format.getmail.desc", "A getmailrc for getmail6.")
	case "mutt":
		return lang.X("format.mutt.desc", "muttrc lines for mutt and neomutt.")
	case "aerc":
		return lang.X("format.aerc.desc", "An accounts.conf section for aerc.")
	case "json":
		return lang.X("format.json.desc", "The account as JSON, which mailsetup export --from reads back.")
	}
	return fm.Description
}
