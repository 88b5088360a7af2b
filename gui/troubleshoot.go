package gui

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// troubleshootView diagnoses one server layer by layer: DNS, connection,
// encryption, protocol and, with a password, the login.
type troubleshootView struct {
	u *ui
	// State, kept across a change of language.
	srv      mailcfg.Server
	password string
	running  bool
	cancel   context.CancelFunc
	run      int
	result   *assistant.Diagnosis

	host, port, user, pass *widget.Entry
	protocol, security     *widget.Select
	errText                *widget.Label
	diagnose, stop         *widget.Button
	copyBtn, saveBtn       *widget.Button
	busy                   *widget.Activity
	steps                  *fyne.Container
	summary                *widget.Label
	hints                  *fyne.Container
}

func newTroubleshootView(u *ui) *troubleshootView {
	return &troubleshootView{u: u, srv: mailcfg.Server{Protocol: mailcfg.IMAP, Port: 993, Security: mailcfg.TLS}}
}

var troubleProtocols = []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP, mailcfg.SMTP}

func (t *troubleshootView) content() fyne.CanvasObject {
	modes, modeLabels := securityOptions()
	t.host = widget.NewEntry()
	t.host.SetPlaceHolder(lang.X("trouble.host.placeholder", "imap.example.com"))
	t.host.SetText(t.srv.Host)
	t.port = widget.NewEntry()
	t.port.SetText(strconv.Itoa(t.srv.Port))
	t.protocol = widget.NewSelect([]string{protocolText(mailcfg.POP3), protocolText(mailcfg.IMAP), protocolText(mailcfg.SMTP)}, nil)
	for i, p := range troubleProtocols {
		if p == t.srv.Protocol {
			t.protocol.SetSelectedIndex(i)
		}
	}
	t.security = widget.NewSelect(modeLabels, nil)
	for i, m := range modes {
		if m == t.srv.Security {
			t.security.SetSelectedIndex(i)
		}
	}
	t.user = widget.NewEntry()
	t.user.SetPlaceHolder(lang.X("trouble.user.placeholder", "optional: to test the login"))
	t.user.SetText(t.srv.Username)
	t.pass = newPasswordEntry()
	t.pass.SetPlaceHolder(lang.X("trouble.pass.placeholder", "optional"))
	t.pass.SetText(t.password)
	t.errText = wrapLabel("")
	t.errText.Importance = widget.DangerImportance
	t.errText.Hide()

	t.host.OnChanged = func(s string) {
		t.srv.Host = strings.TrimSpace(s)
		t.updateButtons()
	}
	t.port.OnChanged = func(s string) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			t.srv.Port = 0
			t.updateButtons()
			return
		}
		t.srv.Port = n
		if p, sec, ok := mailcfg.InferFromPort(n); ok {
			for i, x := range troubleProtocols {
				if x == p {
					t.protocol.SetSelectedIndex(i)
				}
			}
			for i, m := range modes {
				if m == sec {
					t.security.SetSelectedIndex(i)
				}
			}
		}
		t.updateButtons()
	}
	t.protocol.OnChanged = func(string) {
		if i := t.protocol.SelectedIndex(); i >= 0 {
			t.srv.Protocol = troubleProtocols[i]
		}
	}
	t.security.OnChanged = func(string) {
		if i := t.security.SelectedIndex(); i >= 0 {
			t.srv.Security = modes[i]
		}
	}
	t.user.OnChanged = func(s string) { t.srv.Username = strings.TrimSpace(s) }
	t.pass.OnChanged = func(s string) { t.password = s }
	for _, e := range []*widget.Entry{t.host, t.port, t.user, t.pass} {
		e.OnSubmitted = func(string) { t.start() }
	}

	t.diagnose = widget.NewButtonWithIcon(lang.X("trouble.run", "Diagnose"), theme.SearchIcon(), t.start)
	t.diagnose.Importance = widget.HighImportance
	t.stop = widget.NewButtonWithIcon(lang.X("trouble.stop", "Stop"), theme.CancelIcon(), t.stopRun)
	t.copyBtn = widget.NewButtonWithIcon(lang.X("trouble.copy", "Copy report"), theme.ContentCopyIcon(), t.copyReport)
	t.saveBtn = widget.NewButtonWithIcon(lang.X("trouble.save", "Save report…"), theme.DocumentSaveIcon(), t.saveReport)
	t.busy = widget.NewActivity()
	t.steps = container.NewVBox()
	t.summary = wrapLabel("")
	t.hints = container.NewVBox()

	// Two fields a row, in reading order, so the steps show without scrolling.
	pair := func(label string, field fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, boldLabel(label), nil, field)
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.X("trouble.host", "Server"),
			container.NewGridWithColumns(2, t.host, pair(lang.X("trouble.port", "Port"), t.port))),
		widget.NewFormItem(lang.X("trouble.protocol", "Protocol"),
			container.NewGridWithColumns(2, t.protocol, pair(lang.X("trouble.security", "Encryption"), t.security))),
		widget.NewFormItem(lang.X("trouble.user", "Username"),
			container.NewGridWithColumns(2, t.user, pair(lang.X("trouble.pass", "Password"), t.pass))),
	)
	body := container.NewVBox(
		boldLabel(lang.X("trouble.title", "Diagnose a server")),
		wrapLabel(lang.X("trouble.intro", "When a mail program cannot connect, type the server it uses: mailsetup checks each layer in turn and says where it breaks and what to do.")),
		form, t.errText,
		container.NewHBox(t.diagnose, t.stop, t.busy, layoutSpacer(), t.copyBtn, t.saveBtn),
		widget.NewSeparator(),
		t.summary, t.steps, t.hints,
	)
	t.render()
	return container.NewVScroll(container.NewPadded(body))
}

func (t *troubleshootView) focusFirst() {
	if t.host != nil && t.u.tabs != nil && t.u.tabs.SelectedIndex() == tabTroubleshoot {
		t.u.win.Canvas().Focus(t.host)
	}
}

// splitHostPort moves a port typed or pasted with the host ("host:993")
// into the port field, which also adopts its protocol and security. It
// reports false for a host with a port mailcfg does not accept.
func (t *troubleshootView) splitHostPort() bool {
	h, p, err := mailcfg.ParseHostPort(t.srv.Host)
	var spec *mailcfg.SpecError
	if errors.As(err, &spec) && spec.Problem == mailcfg.SpecFormat {
		return true // no port with the host
	}
	if err != nil {
		return false
	}
	t.host.SetText(h)
	t.port.SetText(strconv.Itoa(p))
	return true
}

// serverOK tells whether the fields make a server to diagnose.
func (t *troubleshootView) serverOK() bool {
	_, _, err := mailcfg.ParseHostPort(net.JoinHostPort(t.srv.Host, strconv.Itoa(t.srv.Port)))
	return err == nil && t.srv.Validate() == nil
}

// updateButtons enables Diagnose when host and port are usable.
func (t *troubleshootView) updateButtons() {
	if t.diagnose == nil {
		return
	}
	_, _, withPort := mailcfg.ParseHostPort(t.srv.Host) // nil: the port comes with the host
	portOK := t.srv.Port >= 1 && t.srv.Port <= 65535
	if t.running || t.srv.Host == "" || (!portOK && withPort != nil) {
		t.diagnose.Disable()
	} else {
		t.diagnose.Enable()
	}
	if t.running {
		t.stop.Show()
		t.busy.Show()
		t.busy.Start()
	} else {
		t.stop.Hide()
		t.busy.Stop()
		t.busy.Hide()
	}
	if t.result != nil && !t.running {
		t.copyBtn.Enable()
		t.saveBtn.Enable()
	} else {
		t.copyBtn.Disable()
		t.saveBtn.Disable()
	}
}

// start runs the diagnosis off the UI goroutine.
func (t *troubleshootView) start() {
	if t.running {
		return
	}
	if !t.splitHostPort() || !t.serverOK() {
		t.errText.SetText(lang.X("trouble.invalid", "Type a server name and a port from 1 to 65535."))
		t.errText.Show()
		return
	}
	t.errText.Hide()
	u := t.u
	t.running = true
	t.result = nil
	t.run++
	run := t.run
	s := u.engineSettings()
	ctx, cancel := context.WithTimeout(context.Background(), s.Timeout+searchGrace)
	t.cancel = cancel
	req := assistant.DiagnoseRequest{Server: t.srv, Password: t.password}
	if req.Server.Username == "" {
		req.Password = ""
	}
	t.render()
	u.background(func() {
		defer cancel()
		d := u.eng.Diagnose(ctx, req, s)
		u.do(func() {
			if t.run != run {
				return
			}
			t.running = false
			t.cancel = nil
			t.result = d
			t.render()
		})
	})
}

// stopRun abandons the running diagnosis.
func (t *troubleshootView) stopRun() {
	if t.cancel != nil {
		t.cancel()
		t.cancel = nil
	}
	t.run++
	t.running = false
	t.render()
}

// render shows the steps, the verdict and the hints of the last diagnosis.
func (t *troubleshootView) render() {
	t.steps.RemoveAll()
	t.hints.RemoveAll()
	d := t.result
	switch {
	case t.running:
		t.summary.SetText(lang.X("trouble.running", "Checking {{.Server}}…", map[string]string{"Server": t.srv.HostPort()}))
		t.summary.Importance = widget.MediumImportance
	case d == nil:
		t.summary.SetText("")
	case d.OK:
		t.summary.SetText(lang.X("trouble.ok", "{{.Server}} works: every step passed.", map[string]string{"Server": d.Target.HostPort()}))
		t.summary.Importance = widget.SuccessImportance
	default:
		t.summary.SetText(lang.X("trouble.failed", "{{.Server}}: a step failed. See below what it means.", map[string]string{"Server": d.Target.HostPort()}))
		t.summary.Importance = widget.DangerImportance
	}
	t.summary.Refresh()
	if d != nil && !t.running {
		for _, st := range d.Steps {
			t.steps.Add(stepView(st))
		}
		if len(d.Hints) > 0 {
			t.hints.Add(boldLabel(lang.X("trouble.hints", "What to do")))
			for _, h := range d.Hints {
				t.hints.Add(hintView(h))
			}
		}
	}
	t.updateButtons()
}
