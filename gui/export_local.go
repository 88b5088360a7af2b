package gui

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/clients"
	"mailsetup/export"
)

// localActions are "Install for <client>" for the command-line clients on
// this machine (clients.FindLocal: msmtp, mpop, fetchmail, getmail6,
// mutt, neomutt, aerc), one per client that reads the chosen format's
// file. Each says where the file goes, asks first, and never replaces a
// file without keeping a backup beside it (clients.Install).
type localActions struct {
	found []clients.LocalClient
	box   *fyne.Container
	rows  []localRow // the shown format's clients
}

type localRow struct {
	client  clients.LocalClient
	install *widget.Button
	where   *widget.Label
}

func (a *localActions) content(s *exportScreen) fyne.CanvasObject {
	a.found = s.desk.FindLocal()
	a.rows = nil
	a.box = container.NewVBox()
	a.box.Hide()
	return a.box
}

// render lists the installed clients that read fm's file, with where it
// goes and whether one is there already.
func (a *localActions) render(s *exportScreen, fm export.Format, ok bool) {
	a.rows = nil
	a.box.RemoveAll()
	for _, c := range a.found {
		if c.Format != fm.ID {
			continue
		}
		c := c
		r := localRow{client: c, where: wrapLabel("")}
		r.install = widget.NewButtonWithIcon(lang.X("export.install", "Install for {{.Client}}", map[string]string{"Client": c.Name}),
			theme.DownloadIcon(), func() { a.install(s, c) })
		path, exists, err := s.desk.Target(c)
		switch {
		case err != nil:
			r.where.SetText(lang.X("export.install_cannot", "mailsetup cannot write {{.Path}}: {{.Error}}", map[string]string{"Path": c.Config, "Error": err.Error()}))
			r.where.Importance = widget.DangerImportance
			r.install.Disable()
		case exists:
			r.where.SetText(lang.X("export.install_replaces", "Writes {{.Path}}; the file there now is kept as a backup beside it.", map[string]string{"Path": path}))
		default:
			r.where.SetText(lang.X("export.install_new", "Writes {{.Path}}, a new file.", map[string]string{"Path": path}))
		}
		if !ok {
			r.install.Disable()
		}
		a.rows = append(a.rows, r)
		a.box.Add(container.NewBorder(nil, nil, r.install, nil, r.where))
	}
	if len(a.rows) == 0 {
		a.box.Hide()
	} else {
		a.box.Show()
	}
	a.box.Refresh()
}

// install asks, then writes the file for c: a new file, or in place of
// the one there after a backup.
func (a *localActions) install(s *exportScreen, c clients.LocalClient) {
	_, data, err := s.file()
	if err != nil {
		s.tell(lang.X("export.error", "These settings cannot be exported: {{.Error}}", map[string]string{"Error": errorText(err)}), widget.DangerImportance)
		return
	}
	path, exists, err := s.desk.Target(c)
	if err != nil {
		s.tell(lang.X("export.install_cannot", "mailsetup cannot write {{.Path}}: {{.Error}}", map[string]string{"Path": c.Config, "Error": err.Error()}), widget.DangerImportance)
		return
	}
	args := map[string]string{"Path": path, "Client": c.Name, "Backup": filepath.Base(path) + ".mailsetup-backup-…"}
	title := lang.X("export.install_new_title", "Write {{.Path}}?", args)
	text := lang.X("export.install_new_text", "mailsetup writes the settings for {{.Client}} to {{.Path}}, readable by you alone.", args)
	yes := lang.X("export.install_write", "Write")
	if exists {
		title = lang.X("export.install_replace_title", "Replace {{.Path}}?", args)
		text = lang.X("export.install_replace_text", "{{.Path}} exists. mailsetup first keeps a copy of it beside it, named {{.Backup}}, then writes the settings for {{.Client}} in its place, readable by you alone.", args)
		yes = lang.X("export.install_replace", "Replace")
	}
	if s.includePassword && s.w.m.password != "" {
		text += "\n\n" + lang.X("export.install_password", "The file holds your password.")
	}
	s.w.u.ask(title, yes, wrapLabel(text), func(ok bool) {
		if ok {
			a.write(s, c, data, exists)
		}
	})
}

func (a *localActions) write(s *exportScreen, c clients.LocalClient, data []byte, replace bool) {
	done, err := s.desk.Install(c, data, replace)
	s.render() // the rows say what is there now
	var appeared *clients.ExistsError
	switch {
	case errors.As(err, &appeared):
		s.tell(lang.X("export.install_appeared", "{{.Path}} appeared in the meantime; nothing was written. Press Install again to replace it.", map[string]string{"Path": appeared.Path}), widget.WarningImportance)
	case err != nil:
		s.tell(lang.X("export.install_failed", "The settings for {{.Client}} could not be written: {{.Error}}", map[string]string{"Client": c.Name, "Error": err.Error()}), widget.DangerImportance)
	case done.Backup != "":
		s.tell(lang.X("export.installed_backup", "Written to {{.Path}} for {{.Client}}. The previous file is kept as {{.Backup}}.", map[string]string{"Path": done.Path, "Client": c.Name, "Backup": done.Backup}), widget.SuccessImportance)
	default:
		s.tell(lang.X("export.installed", "Written to {{.Path}} for {{.Client}}.", map[string]string{"Path": done.Path, "Client": c.Name}), widget.SuccessImportance)
	}
}
