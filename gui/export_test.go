package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mailsetup/export"
)

// toExport runs to the export page with the password typed.
func toExport(t *testing.T) *harness {
	t.Helper()
	h := toLogin(t)
	test.Type(h.u.setup.login.password, testPassword)
	test.Tap(h.u.setup.login.test)
	h.settle()
	h.u.setup.show(stepExport)
	return h
}

func selectFormat(t *testing.T, f *wizard, id string) export.Format {
	t.Helper()
	for i, fm := range f.export.formats {
		if fm.ID == id {
			f.export.client.SetSelectedIndex(i)
			return fm
		}
	}
	t.Fatalf("no format %s", id)
	return export.Format{}
}

func TestExportPreview(t *testing.T) {
	h := toExport(t)
	f := h.u.setup
	if f.export.client.Selected != "Outlook (profile file, PRF)" || !f.export.prfNote.Visible() ||
		!h.shows("An Outlook profile file carries no password; Outlook will ask for it.") {
		t.Errorf("default format %q, PRF note visible %v", f.export.client.Selected, f.export.prfNote.Visible())
	}
	for _, id := range []string{"outlook-prf", "thunderbird", "foxmail", "apple", "msmtp", "json"} {
		fm := selectFormat(t, f, id)
		p := f.export.preview.Text
		for _, host := range []string{"pop.qq.com", "smtp.qq.com"} {
			if id != "msmtp" && !strings.Contains(p, host) {
				t.Errorf("%s preview lacks %s", id, host)
			}
		}
		if strings.Contains(p, testPassword) {
			t.Errorf("%s preview holds the password without the box ticked", id)
		}
		if f.export.include.Disabled() == fm.CarriesPassword {
			t.Errorf("%s: include box disabled %v, format carries passwords %v", id, f.export.include.Disabled(), fm.CarriesPassword)
		}
	}
	if !strings.Contains(f.export.preview.Text, "smtp.qq.com") {
		t.Error("msmtp preview lacks the SMTP host")
	}

	// Ticked: only formats that can carry it get the password.
	f.export.include.SetChecked(true)
	selectFormat(t, f, "json")
	if !strings.Contains(f.export.preview.Text, testPassword) {
		t.Error("JSON preview lacks the password with the box ticked")
	}
	selectFormat(t, f, "outlook-prf")
	if strings.Contains(f.export.preview.Text, testPassword) {
		t.Error("the PRF preview holds a password")
	}
	selectFormat(t, f, "json")
	f.export.include.SetChecked(false)
	if strings.Contains(f.export.preview.Text, testPassword) {
		t.Error("unticking leaves the password in the preview")
	}

	// The preview cannot be edited.
	before := f.export.preview.Text
	test.Type(f.export.preview, "x")
	f.export.preview.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	f.export.preview.TypedShortcut(&fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	if f.export.preview.Text != before {
		t.Error("the preview was edited")
	}

	test.Tap(f.export.copy)
	if got := h.app.Clipboard().Content(); !strings.Contains(got, "pop.qq.com") || strings.Contains(got, testPassword) {
		t.Errorf("clipboard %q", got)
	}
}
