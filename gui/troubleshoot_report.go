package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
)

// stepIcon is ✓, ✗ or – as an icon.
func stepIcon(st assistant.Step) fyne.Resource {
	if st.Skipped {
		return skippedIcon()
	}
	return okIcon(st.OK)
}

// stepMark is ✓, ✗ or – as text, for the Markdown report.
func stepMark(st assistant.Step) string {
	switch {
	case st.Skipped:
		return "–"
	case st.OK:
		return "✓"
	}
	return "✗"
}

// stepName names a diagnosis step.
func stepName(name string) string {
	switch name {
	case "dns":
		return lang.X("step.dns", "Name look-up (DNS)")
	case "tcp":
		return lang.X("step.tcp", "Connection")
	case "greeting":
		return lang.X("step.greeting", "Greeting before encryption")
	case "tls":
		return lang.X("step.tls", "Encryption and certificate")
	case "protocol":
		return lang.X("step.protocol", "Mail protocol")
	case "login":
		return lang.X("step.login_check", "Login")
	case "setup":
		return lang.X("step.setup", "Settings")
	}
	return name
}

func stepView(st assistant.Step) fyne.CanvasObject {
	title := stepName(st.Name)
	if st.MS > 0 {
		title += " · " + lang.X("candidate.ms", "{{.N}} ms", map[string]any{"N": st.MS})
	}
	body := container.NewVBox(boldLabel(title), selectable(st.Summary))
	for _, d := range st.Details {
		l := widget.NewLabel(d)
		l.Wrapping = fyne.TextWrapBreak
		l.Importance = widget.LowImportance
		l.Selectable = true
		body.Add(l)
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(stepIcon(st))), nil, body)
}

// diagnosisMarkdown is the report to copy or save: the steps, the verdict
// and the hints. It never holds the password.
func diagnosisMarkdown(d *assistant.Diagnosis) string {
	var b strings.Builder
	t := d.Target
	fmt.Fprintf(&b, "# %s\n\n", lang.X("report.title", "mailsetup diagnosis of {{.Server}}", map[string]string{"Server": t.HostPort()}))
	fmt.Fprintf(&b, "- %s: %s\n", lang.X("trouble.protocol", "Protocol"), protocolText(t.Protocol))
	fmt.Fprintf(&b, "- %s: %s\n", lang.X("trouble.security", "Encryption"), securityText(t.Security))
	if t.Username != "" {
		fmt.Fprintf(&b, "- %s: %s\n", lang.X("trouble.user", "Username"), t.Username)
	}
	verdict := lang.X("report.ok", "every step passed")
	if !d.OK {
		verdict = lang.X("report.failed", "a step failed")
	}
	fmt.Fprintf(&b, "- %s: %s\n\n", lang.X("report.result", "Result"), verdict)
	fmt.Fprintf(&b, "## %s\n\n", lang.X("report.steps", "Steps"))
	for _, st := range d.Steps {
		fmt.Fprintf(&b, "- %s **%s**", stepMark(st), stepName(st.Name))
		if st.MS > 0 {
			fmt.Fprintf(&b, " (%d ms)", st.MS)
		}
		fmt.Fprintf(&b, ": %s\n", oneLine(st.Summary))
		for _, det := range st.Details {
			fmt.Fprintf(&b, "  - %s\n", oneLine(det))
		}
	}
	if len(d.Hints) > 0 {
		fmt.Fprintf(&b, "\n## %s\n\n", lang.X("trouble.hints", "What to do"))
		for _, h := range d.Hints {
			fmt.Fprintf(&b, "- %s", oneLine(h.Text))
			if h.URL != "" {
				fmt.Fprintf(&b, " <%s>", h.URL)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// oneLine keeps a server's text on one Markdown list line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (t *troubleshootView) copyReport() {
	if t.result == nil {
		return
	}
	t.u.app.Clipboard().SetContent(diagnosisMarkdown(t.result))
	t.summary.SetText(t.summary.Text + " " + lang.X("trouble.copied", "(report copied)"))
}

func (t *troubleshootView) saveReport() {
	if t.result == nil {
		return
	}
	data := []byte(diagnosisMarkdown(t.result))
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.u.showError(err)
			return
		}
		if w == nil {
			return
		}
		_, werr := w.Write(data)
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			t.u.showError(werr)
		}
	}, t.u.win)
	d.SetFileName("mailsetup-" + strings.NewReplacer(":", "-", "[", "", "]", "").Replace(t.result.Target.HostPort()) + ".md")
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}
