package gui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/clients"
	"mailsetup/export"
)

// outlookAction is "Open in Outlook" for the PRF format, on Windows:
// after the user confirms that classic Outlook is closed, the profile file
// is saved in Documents and outlook.exe /importprf is started with it.
type outlookAction struct {
	found    clients.Outlook
	findErr  error // clients.ErrUnsupported off Windows: no button at all
	box      *fyne.Container
	open     *widget.Button
	note     *widget.Label
	warnings *widget.Label
}

func (a *outlookAction) content(s *exportScreen) fyne.CanvasObject {
	a.found, a.findErr = s.desk.FindOutlook()
	a.open = widget.NewButtonWithIcon(lang.X("export.outlook_open", "Open in Outlook"), theme.MailComposeIcon(), func() { a.start(s) })
	a.note = wrapLabel("")
	a.warnings = wrapLabel("")
	a.warnings.Importance = widget.WarningImportance
	a.box = container.NewVBox(container.NewBorder(nil, nil, a.open, nil, a.note), a.warnings)
	a.box.Hide()
	return a.box
}

// render shows the button for the PRF format on Windows, disabled with
// the reason when this Outlook cannot import it.
func (a *outlookAction) render(s *exportScreen, fm export.Format, ok bool) {
	if fm.ID != "outlook-prf" || errors.Is(a.findErr, clients.ErrUnsupported) {
		a.box.Hide()
		return
	}
	a.box.Show()
	a.warnings.Hide()
	a.note.Importance = widget.MediumImportance
	can := a.findErr
	if can == nil {
		can = a.found.CanImportPRF()
	}
	switch {
	case can != nil:
		a.open.Disable()
		a.note.Importance = widget.WarningImportance
		a.note.SetText(outlookProblem(can))
	case !ok:
		a.open.Disable()
		a.note.SetText(lang.X("export.outlook_ready", "Saves the profile in your Documents folder and starts classic Outlook with it."))
	default:
		a.open.Enable()
		a.note.SetText(lang.X("export.outlook_ready", "Saves the profile in your Documents folder and starts classic Outlook with it."))
		if a.found.PrefersNew {
			a.warnings.SetText(newOutlookSwitch())
			a.warnings.Show()
		}
	}
	a.note.Refresh()
}

// start asks the user to close Outlook, then imports.
func (a *outlookAction) start(s *exportScreen) {
	o, err := s.desk.FindOutlook() // Outlook may have come or gone since the page was built
	if err == nil {
		err = o.CanImportPRF()
	}
	if err != nil {
		a.found, a.findErr = o, err
		s.render()
		s.tell(outlookProblem(err), widget.WarningImportance)
		return
	}
	dir, err := s.desk.ExportDir()
	if err != nil {
		s.tell(lang.X("export.outlook_no_folder", "mailsetup cannot find your Documents folder: {{.Error}}", map[string]string{"Error": err.Error()}), widget.DangerImportance)
		return
	}
	text := lang.X("export.outlook_close_text", "Outlook reads a profile file only when it starts with one. Close classic Outlook now if it is open (File › Exit) and wait until it is gone from the taskbar.\n\nmailsetup then saves the profile in {{.Folder}} and starts Outlook, which adds the account to your default profile and asks for the password when it first connects.", map[string]string{"Folder": dir})
	if o.PrefersNew {
		text += "\n\n" + newOutlookSwitch()
	}
	s.w.u.ask(lang.X("export.outlook_close_title", "Close Outlook first"), lang.X("export.outlook_open", "Open in Outlook"),
		wrapLabel(text), func(yes bool) {
			if yes {
				a.importPRF(s, o, dir)
			}
		})
}

// importPRF saves the profile under a new name in dir, naming it in its
// own instructions, and starts Outlook with it. A file Outlook did not
// get is removed again.
func (a *outlookAction) importPRF(s *exportScreen, o clients.Outlook, dir string) {
	fail := func(err error) {
		s.tell(lang.X("export.outlook_failed", "Outlook could not be started with the profile: {{.Error}}", map[string]string{"Error": errorText(err)}), widget.DangerImportance)
	}
	fm, ok := export.ByID("outlook-prf")
	if !ok {
		fail(errors.New("no outlook-prf format"))
		return
	}
	path, f, err := s.desk.CreateNew(dir, exportFileName(s.w.m.addr.ASCIIString(), fm.Ext))
	if err != nil {
		fail(err)
		return
	}
	_, data, err := s.fileAs(path)
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.desk.ImportPRF(o, path)
	}
	if err != nil {
		_ = s.desk.Remove(path)
		if errors.Is(err, clients.ErrOutlookRunning) {
			s.tell(lang.X("export.outlook_running", "Outlook is still open, so it would ignore the profile. Close it (File › Exit; check that it is gone from the taskbar and the notification area), then press Open in Outlook again."), widget.WarningImportance)
			return
		}
		if errors.Is(err, clients.ErrOnlyNewOutlook) || errors.Is(err, clients.ErrNoOutlook) {
			s.tell(outlookProblem(err), widget.WarningImportance)
			return
		}
		fail(err)
		return
	}
	s.savedAs, s.savedDir = path, dir
	s.render() // the preview names the file now
	s.tell(lang.X("export.outlook_started", "Outlook is starting with the profile saved as {{.Path}}. It adds the account to your default profile and asks for the password.", map[string]string{"Path": path}), widget.SuccessImportance)
}

// outlookProblem says why Outlook cannot import a profile file here.
func outlookProblem(err error) string {
	switch {
	case errors.Is(err, clients.ErrOnlyNewOutlook):
		return lang.X("export.outlook_only_new", "Only the new Outlook is installed on this computer. It imports no profile file and reads no Autodiscover file (both are for classic Outlook): add the account in the new Outlook itself (Settings › Accounts › Email accounts › Add account) with the servers shown on the previous pages, or save the file for classic Outlook on another computer.")
	case errors.Is(err, clients.ErrNoOutlook):
		return lang.X("export.outlook_none", "Classic Outlook is not installed on this computer (Windows lists no outlook.exe). Save the file and import it where Outlook is installed, or choose your mail program above.")
	}
	return lang.X("export.outlook_unknown", "mailsetup could not find out which Outlook is installed: {{.Error}}", map[string]string{"Error": errorText(err)})
}

// newOutlookSwitch warns that classic Outlook may start the new one.
func newOutlookSwitch() string {
	return lang.X("export.outlook_prefers_new", "The “New Outlook” switch is on, so starting Outlook may open the new Outlook, which ignores the profile file. Turn the switch off first (top right of the new Outlook's window).")
}
