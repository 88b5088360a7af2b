package gui

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"mailsetup/clients"
)

// fakeWindows plays a Windows machine for "Open in Outlook": Documents
// is a Windows path, files live in a map, Outlook is what the test says,
// and ImportPRF records what it was given.
type fakeWindows struct {
	outlook   clients.Outlook
	findErr   error
	importErr error
	files     map[string][]byte
	imported  []string // the files ImportPRF got
}

const fakeDocuments = `C:\Users\Alice\Documents`

func (d *fakeWindows) ExportDir() (string, error) { return fakeDocuments, nil }

func (d *fakeWindows) CreateNew(dir, name string) (string, io.WriteCloser, error) {
	ext := filepath.Ext(name)
	for n := 1; n < 10; n++ {
		p := dir + `\` + name
		if n > 1 {
			p = dir + `\` + strings.TrimSuffix(name, ext) + " (" + string(rune('0'+n)) + ")" + ext
		}
		if _, ok := d.files[p]; !ok {
			d.files[p] = nil
			return p, &mapFile{d: d, path: p}, nil
		}
	}
	return "", nil, os.ErrExist
}

func (d *fakeWindows) Remove(path string) error {
	if _, ok := d.files[path]; !ok {
		return os.ErrNotExist
	}
	delete(d.files, path)
	return nil
}

func (d *fakeWindows) FindOutlook() (clients.Outlook, error) { return d.outlook, d.findErr }

func (d *fakeWindows) ImportPRF(o clients.Outlook, prf string) error {
	if err := o.CanImportPRF(); err != nil {
		return err
	}
	if _, ok := d.files[prf]; !ok {
		return os.ErrNotExist
	}
	d.imported = append(d.imported, prf)
	return d.importErr
}

func (d *fakeWindows) FindLocal() []clients.LocalClient { return nil }
func (d *fakeWindows) Target(clients.LocalClient) (string, bool, error) {
	return "", false, errors.New("no local clients on Windows")
}
func (d *fakeWindows) Install(clients.LocalClient, []byte, bool) (clients.Installed, error) {
	return clients.Installed{}, errors.New("no local clients on Windows")
}

type mapFile struct {
	d    *fakeWindows
	path string
	buf  bytes.Buffer
}

func (f *mapFile) Write(p []byte) (int, error) { return f.buf.Write(p) }
func (f *mapFile) Close() error {
	f.d.files[f.path] = f.buf.Bytes()
	return nil
}

// toExportOn runs to the export page on the machine desk.
func toExportOn(t *testing.T, desk desktop) *harness {
	t.Helper()
	h := toLogin(t)
	h.u.setup.export.desk = desk
	test.Type(h.u.setup.login.password, testPassword)
	test.Tap(h.u.setup.login.test)
	h.settle()
	h.u.setup.show(stepExport)
	return h
}

// askedWith records each question's title and its text, and answers yes.
func askedWith(h *harness) *[]string {
	var got []string
	h.u.ask = func(title, _ string, content fyne.CanvasObject, answer func(bool)) {
		h.asked = append(h.asked, title)
		got = append(got, title+"\n"+strings.Join(texts(content), "\n"))
		answer(h.answer)
	}
	return &got
}

func TestOpenInOutlookOnlyOnWindows(t *testing.T) {
	h := toExport(t) // this machine: Linux, no Outlook to find
	if h.u.setup.export.outlook.box.Visible() || h.shows("Open in Outlook") {
		t.Error("Open in Outlook is offered off Windows")
	}
}

func TestOpenInOutlook(t *testing.T) {
	desk := &fakeWindows{outlook: clients.Outlook{Classic: `C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`},
		files: map[string][]byte{}}
	h := toExportOn(t, desk)
	f := h.u.setup.export
	questions := askedWith(h)
	if !f.outlook.box.Visible() || f.outlook.open.Disabled() {
		t.Fatal("no Open in Outlook button for the PRF format on Windows with classic Outlook")
	}

	// No: nothing written, nothing started.
	h.answer = false
	test.Tap(f.outlook.open)
	if len(desk.files) != 0 || len(desk.imported) != 0 {
		t.Errorf("after No: files %v, imported %v", desk.files, desk.imported)
	}
	if len(*questions) != 1 || !strings.Contains((*questions)[0], "Close Outlook first") ||
		!strings.Contains((*questions)[0], "Close classic Outlook now") || !strings.Contains((*questions)[0], fakeDocuments) {
		t.Errorf("the question: %q", *questions)
	}

	h.answer = true
	test.Tap(f.outlook.open)
	want := fakeDocuments + `\alice@qq.com.prf`
	if !slices.Equal(desk.imported, []string{want}) {
		t.Fatalf("ImportPRF got %v, want %s", desk.imported, want)
	}
	prf := previewText(desk.files[want])
	for _, s := range []string{`outlook.exe /importprf "` + want + `"`, "POP3Server=pop.qq.com", "SMTPServer=smtp.qq.com"} {
		if !strings.Contains(prf, s) {
			t.Errorf("the saved profile lacks %q:\n%s", s, prf)
		}
	}
	if strings.Contains(prf, testPassword) {
		t.Error("the profile holds the password")
	}
	if !h.shows("Outlook is starting with the profile saved as " + want) {
		t.Errorf("no word of the import: %q", f.saved.Text)
	}
	drv := h.app.Driver()
	if f.saved.Size().Height < 10 || drv.AbsolutePositionForObject(f.saved).Y+f.saved.Size().Height > drv.AbsolutePositionForObject(f.preview).Y {
		t.Errorf("the word of the import has no room: %v at %v, the preview at %v", f.saved.Size(),
			drv.AbsolutePositionForObject(f.saved), drv.AbsolutePositionForObject(f.preview))
	}
	if !strings.Contains(f.preview.Text, want) {
		t.Error("the preview does not name the saved file")
	}

	// Again: a new file beside the first, never over it.
	test.Tap(f.outlook.open)
	second := fakeDocuments + `\alice@qq.com (2).prf`
	if len(desk.imported) != 2 || desk.imported[1] != second || len(desk.files) != 2 {
		t.Errorf("second import: %v, files %d", desk.imported, len(desk.files))
	}
}

func TestOpenInOutlookWhenItCannot(t *testing.T) {
	classic := `C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`
	tests := []struct {
		name      string
		outlook   clients.Outlook
		importErr error
		disabled  bool   // the button, on arrival
		says      string // on the page
	}{
		{"only the new Outlook", clients.Outlook{New: true}, nil, true, "Only the new Outlook is installed on this computer"},
		{"no Outlook", clients.Outlook{}, nil, true, "Classic Outlook is not installed on this computer"},
		{"Outlook open", clients.Outlook{Classic: classic}, clients.ErrOutlookRunning, false, "Outlook is still open"},
		{"Outlook fails to start", clients.Outlook{Classic: classic}, errors.New("access denied"), false, "Outlook could not be started with the profile: access denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			desk := &fakeWindows{outlook: tt.outlook, importErr: tt.importErr, files: map[string][]byte{}}
			h := toExportOn(t, desk)
			f := h.u.setup.export
			if !f.outlook.box.Visible() || f.outlook.open.Disabled() != tt.disabled {
				t.Fatalf("button shown %v, disabled %v; want disabled %v", f.outlook.box.Visible(), f.outlook.open.Disabled(), tt.disabled)
			}
			if !tt.disabled {
				test.Tap(f.outlook.open)
			}
			if !h.shows(tt.says) {
				t.Errorf("the page does not say %q: %q", tt.says, texts(h.u.win.Content()))
			}
			if len(desk.files) != 0 {
				t.Errorf("a profile Outlook did not take is left in Documents: %v", desk.files)
			}
		})
	}
}

// Outlook changed between the page and the click: the click finds out.
func TestOpenInOutlookLooksAgain(t *testing.T) {
	desk := &fakeWindows{outlook: clients.Outlook{Classic: `C:\Office\OUTLOOK.EXE`}, files: map[string][]byte{}}
	h := toExportOn(t, desk)
	f := h.u.setup.export
	desk.outlook = clients.Outlook{New: true}
	test.Tap(f.outlook.open)
	if len(h.asked) != 0 || len(desk.imported) != 0 {
		t.Errorf("asked %v, imported %v with only the new Outlook left", h.asked, desk.imported)
	}
	if !strings.Contains(f.saved.Text, "Only the new Outlook") || !f.outlook.open.Disabled() {
		t.Errorf("status %q, button disabled %v", f.saved.Text, f.outlook.open.Disabled())
	}
}

func TestOpenInOutlookWarnsOfTheNewOutlookSwitch(t *testing.T) {
	desk := &fakeWindows{outlook: clients.Outlook{Classic: `C:\Office\OUTLOOK.EXE`, New: true, PrefersNew: true}, files: map[string][]byte{}}
	h := toExportOn(t, desk)
	questions := askedWith(h)
	if !h.shows("“New Outlook” switch is on") {
		t.Error("the page does not warn of the New Outlook switch")
	}
	test.Tap(h.u.setup.export.outlook.open)
	if len(*questions) != 1 || !strings.Contains((*questions)[0], "“New Outlook” switch is on") {
		t.Errorf("the question does not warn of the switch: %q", *questions)
	}
}

// Every field of Foxmail's dialog, in its order, with a copy button that
// puts that very value on the clipboard; the password only when asked for.
func TestFoxmailSheetCopyButtons(t *testing.T) {
	for _, id := range []string{"foxmail", "foxmail-txt"} {
		t.Run(id, func(t *testing.T) {
			h := toExport(t)
			f := h.u.setup.export
			selectFormat(t, h.u.setup, id)
			if !h.shows("Foxmail's setup fields") || len(f.center.Objects) != 1 || f.center.Objects[0] != f.sheet.scroll {
				t.Error("the fields are not shown in place of the file")
			}
			// QQ's POP3: leave a copy on the server, set once the account exists.
			if !h.shows("After the account is created:") || !h.shows("• POP3: a copy of each message is left on the server.") {
				t.Errorf("no word on what to set afterwards: %q", texts(f.sheet.notes))
			}
			type want struct {
				label, value string
				copy         bool
			}
			wants := []want{
				{"接收服务器类型", "POP3", true}, {"邮件账号", "alice@qq.com", true}, {"密码", "", false},
				{"POP服务器", "pop.qq.com", true}, {"SSL", "", false}, {"端口", "995", true},
				{"SMTP服务器", "smtp.qq.com", true}, {"SSL", "", false}, {"端口", "465", true},
				{"如果服务器支持，就使用STARTTLS加密传输", "", false},
			}
			rows := f.sheet.rows
			if len(rows) != len(wants) {
				t.Fatalf("%d rows, want %d", len(rows), len(wants))
			}
			for i, w := range wants {
				r := rows[i]
				if r.field.Label != w.label || (r.copy != nil) != w.copy {
					t.Errorf("row %d: %s, copy button %v; want %s, %v", i, r.field.Label, r.copy != nil, w.label, w.copy)
					continue
				}
				if r.copy == nil {
					continue
				}
				h.app.Clipboard().SetContent("")
				test.Tap(r.copy)
				if got := h.app.Clipboard().Content(); got != w.value {
					t.Errorf("copy %s put %q on the clipboard, want %q", w.label, got, w.value)
				}
			}
			if !h.shows("Copied: Port") || !h.shows("Email account") {
				t.Error("the English labels or the copy's word are missing")
			}

			// Asked for: the password can be copied, but is not shown.
			f.include.SetChecked(true)
			pw := f.sheet.rows[2]
			if !pw.field.Secret || pw.copy == nil {
				t.Fatalf("password row %+v without a copy button after ticking", pw.field)
			}
			test.Tap(pw.copy)
			if got := h.app.Clipboard().Content(); got != testPassword {
				t.Errorf("the password's copy gave %q", got)
			}
			for _, s := range texts(f.sheet.form) {
				if strings.Contains(s, testPassword) {
					t.Error("the fields show the password")
				}
			}
			f.include.SetChecked(false)
			if f.sheet.rows[2].copy != nil {
				t.Error("the password can still be copied after unticking")
			}

			// Other formats: the preview alone.
			selectFormat(t, h.u.setup, "json")
			if len(f.sheet.rows) != 0 || h.shows("Foxmail's setup fields") {
				t.Error("the Foxmail fields stay for another format")
			}
		})
	}
}

// localMachine is a Linux home with msmtp on PATH (a stand-in script) and
// nothing else: the window's real desktop finds and installs there.
func localMachine(t *testing.T) (home string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the command-line clients are found on Unix systems only")
	}
	home, bin := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "msmtp"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("PATH", bin)
	return home
}

func TestInstallForALocalClient(t *testing.T) {
	home := localMachine(t)
	rc := filepath.Join(home, ".msmtprc")
	h := toExportOn(t, systemDesktop{})
	f := h.u.setup.export
	questions := askedWith(h)

	selectFormat(t, h.u.setup, "mpop") // not installed: no button
	if len(f.local.rows) != 0 || f.local.box.Visible() {
		t.Errorf("install offered for mpop, which is not on PATH: %+v", f.local.rows)
	}
	selectFormat(t, h.u.setup, "msmtp")
	if len(f.local.rows) != 1 || f.local.rows[0].install.Text != "Install for msmtp" || !f.local.box.Visible() {
		t.Fatalf("install rows %+v", f.local.rows)
	}
	if !h.shows("Writes " + rc + ", a new file.") {
		t.Errorf("does not say where the file goes: %q", f.local.rows[0].where.Text)
	}

	// A new file, after asking.
	test.Tap(f.local.rows[0].install)
	if len(*questions) != 1 || !strings.HasPrefix((*questions)[0], "Write "+rc+"?") {
		t.Errorf("questions %q", *questions)
	}
	first := readText(t, rc)
	if first != f.preview.Text || !strings.Contains(first, "smtp.qq.com") || strings.Contains(first, testPassword) {
		t.Errorf("%s holds %q", rc, first)
	}
	if fi, _ := os.Stat(rc); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if !h.shows("Written to " + rc + " for msmtp.") {
		t.Errorf("status %q", f.saved.Text)
	}
	if !h.shows("the file there now is kept as a backup beside it") {
		t.Errorf("the row does not say the file exists now: %q", f.local.rows[0].where.Text)
	}

	// Replacing: asked, refused, nothing changes.
	f.include.SetChecked(true)
	h.answer = false
	test.Tap(f.local.rows[0].install)
	if len(*questions) != 2 || !strings.HasPrefix((*questions)[1], "Replace "+rc+"?") ||
		!strings.Contains((*questions)[1], ".msmtprc.mailsetup-backup-…") || !strings.Contains((*questions)[1], "The file holds your password.") {
		t.Errorf("the question before replacing: %q", (*questions)[1:])
	}
	if got := readText(t, rc); got != first {
		t.Error("the file changed after No")
	}

	// Replacing, yes: the old file is kept beside it and named.
	h.answer = true
	test.Tap(f.local.rows[0].install)
	if got := readText(t, rc); !strings.Contains(got, testPassword) {
		t.Errorf("the new file lacks the password asked for: %q", got)
	}
	backups, _ := filepath.Glob(rc + ".mailsetup-backup-*")
	if len(backups) != 1 || readText(t, backups[0]) != first {
		t.Fatalf("backups %v", backups)
	}
	if !h.shows("The previous file is kept as " + backups[0] + ".") {
		t.Errorf("status %q does not name the backup", f.saved.Text)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestCreateNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 3; i++ {
		p, f, err := createNew(dir, "alice@example.com.prf")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(p); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append(paths, filepath.Base(p))
	}
	want := []string{"alice@example.com.prf", "alice@example.com (2).prf", "alice@example.com (3).prf"}
	if !slices.Equal(paths, want) {
		t.Errorf("names %q, want %q", paths, want)
	}
	if got := readText(t, filepath.Join(dir, want[0])); got != filepath.Join(dir, want[0]) {
		t.Errorf("the first file was overwritten: %q", got)
	}
}

func TestExportFileName(t *testing.T) {
	tests := []struct{ addr, ext, want string }{
		{"alice@qq.com", ".prf", "alice@qq.com.prf"},
		{`"a/b:c"@example.com`, ".xml", "_a_b_c_@example.com.xml"},
		{"", ".json", "mail.json"},
	}
	for _, tt := range tests {
		if got := exportFileName(tt.addr, tt.ext); got != tt.want {
			t.Errorf("exportFileName(%q, %q) = %q, want %q", tt.addr, tt.ext, got, tt.want)
		}
	}
}

// Tab from the page's start reaches the mail program list first, then the
// preview, as the page reads (the keyboard and the screenshots use it).
func TestExportTabOrder(t *testing.T) {
	h := toExport(t)
	f := h.u.setup.export
	c := h.u.win.Canvas()
	c.Unfocus()
	c.FocusNext()
	if c.Focused() != f.client {
		t.Fatalf("Tab focuses %T first, want the mail program list", c.Focused())
	}
	for i := 0; i < 10 && c.Focused() != fyne.Focusable(f.preview); i++ {
		c.FocusNext()
	}
	if c.Focused() != fyne.Focusable(f.preview) {
		t.Error("Tab never reaches the preview")
	}
}

// Rows that come or go above the preview move it: the page is laid out
// again, not left with the old gap.
func TestExportPreviewFollowsTheRowsAbove(t *testing.T) {
	localMachine(t) // msmtp on PATH
	h := toExportOn(t, systemDesktop{})
	f := h.u.setup.export
	top := func() float32 {
		return h.app.Driver().AbsolutePositionForObject(f.preview).Y
	}
	selectFormat(t, h.u.setup, "outlook-prf") // with its note
	withNote := top()
	selectFormat(t, h.u.setup, "thunderbird") // no note, no rows
	bare := top()
	selectFormat(t, h.u.setup, "msmtp") // an install row
	withRow := top()
	if !(bare < withNote && bare < withRow) {
		t.Errorf("preview at %v with the PRF note, %v bare, %v with an install row", withNote, bare, withRow)
	}
}

// documentsDesk is this machine with Documents in a folder of the test's.
type documentsDesk struct {
	systemDesktop
	dir string
}

func (d documentsDesk) ExportDir() (string, error) { return d.dir, nil }

// The Save dialog starts in Documents, then where the last file went; the
// file written is the one for that path.
func TestSaveStartsInDocuments(t *testing.T) {
	docs, elsewhere := t.TempDir(), t.TempDir()
	h := toExportOn(t, documentsDesk{dir: docs})
	f := h.u.setup.export
	if got := f.startFolder(); got == nil || got.Path() != docs {
		t.Fatalf("the Save dialog starts in %v, want %s", got, docs)
	}
	selectFormat(t, h.u.setup, "thunderbird")
	path := filepath.Join(elsewhere, "alice@qq.com.xml")
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	f.writeSaved(wc)
	if got := readText(t, path); got != f.preview.Text || !strings.Contains(got, "pop.qq.com") {
		t.Errorf("saved %q", got)
	}
	if !h.shows("Saved to "+path) || f.savedAs != path {
		t.Errorf("status %q, savedAs %q", f.saved.Text, f.savedAs)
	}
	if got := f.startFolder(); got == nil || got.Path() != elsewhere {
		t.Errorf("the next Save starts in %v, want %s", got, elsewhere)
	}
}
