package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/mailcfg"
)

func failedDiagnosis() *assistant.Diagnosis {
	return &assistant.Diagnosis{
		Steps: []assistant.Step{
			{Name: "dns", OK: true, MS: 3, Summary: "mail.example.com → 127.0.0.1", Details: []string{"resolver: 127.0.0.1:53"}},
			{Name: "tcp", OK: true, MS: 1, Summary: "connected to 127.0.0.1:995", Details: []string{}},
			{Name: "tls", OK: false, MS: 5, Summary: "x509: certificate has expired", Details: []string{"SHA-256: 00ff"}},
			{Name: "login", Skipped: true, Summary: "skipped: an earlier step failed", Details: []string{}},
		},
		Hints: []hints.Hint{{ID: "cert_expired", Severity: "error", Text: "The server's certificate expired on 2020-01-01; ask its administrator to renew it."}},
	}
}

func TestTroubleshootShowsSteps(t *testing.T) {
	eng := &fakeEngine{diagnosis: failedDiagnosis()}
	h := newHarness(t, eng)
	h.u.tabs.SelectIndex(tabTroubleshoot)
	v := h.u.trouble
	v.host.SetText("")
	test.Type(v.host, "mail.example.com")
	v.port.SetText("995")
	if v.protocol.Selected != "POP3" || v.security.Selected != "SSL/TLS" {
		t.Errorf("port 995 gave %q / %q", v.protocol.Selected, v.security.Selected)
	}
	v.port.SetText("587")
	if v.protocol.Selected != "SMTP" || v.security.Selected != "STARTTLS" {
		t.Errorf("port 587 gave %q / %q", v.protocol.Selected, v.security.Selected)
	}
	v.port.SetText("995")
	test.Type(v.user, "alice@example.com")
	test.Type(v.pass, "hunter2-secret")
	if !v.copyBtn.Disabled() {
		t.Error("Copy report enabled before any diagnosis")
	}
	pressEnter(v.port)
	h.settle()

	if len(eng.diagnoses) != 1 {
		t.Fatalf("%d diagnoses", len(eng.diagnoses))
	}
	req := eng.diagnoses[0]
	want := mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.example.com", Port: 995, Security: mailcfg.TLS, Username: "alice@example.com"}
	if req.Server != want || req.Password != "hunter2-secret" {
		t.Errorf("request %+v", req)
	}
	if got := len(v.steps.Objects); got != 4 {
		t.Fatalf("%d step rows, want 4", got)
	}
	wantIcons := []string{"success", "success", "error", "disabled"}
	for i, row := range v.steps.Objects {
		icon := findIcon(row)
		if icon == nil {
			t.Fatalf("step %d has no icon", i)
		}
		if kind, _ := iconKind(icon.Resource); kind != wantIcons[i] {
			t.Errorf("step %d icon %s, want %s", i, kind, wantIcons[i])
		}
	}
	for _, s := range []string{"Name look-up (DNS)", "Encryption and certificate", "x509: certificate has expired",
		"The server's certificate expired on 2020-01-01", "a step failed"} {
		if !h.shows(s) {
			t.Errorf("the troubleshoot tab does not show %q", s)
		}
	}

	md := diagnosisMarkdown(v.result)
	for _, s := range []string{"# mailsetup diagnosis of mail.example.com:995", "- ✓ **Name look-up (DNS)** (3 ms)",
		"- ✗ **Encryption and certificate** (5 ms): x509: certificate has expired", "- – **Login**",
		"The server's certificate expired", "alice@example.com"} {
		if !strings.Contains(md, s) {
			t.Errorf("report lacks %q:\n%s", s, md)
		}
	}
	if strings.Contains(md, "hunter2") {
		t.Error("the report holds the password")
	}
	test.Tap(v.copyBtn)
	if got := h.app.Clipboard().Content(); got != md {
		t.Errorf("clipboard %q", got)
	}
}

func TestTroubleshootNeedsHostAndPort(t *testing.T) {
	eng := &fakeEngine{diagnosis: failedDiagnosis()}
	h := newHarness(t, eng)
	v := h.u.trouble
	if !v.diagnose.Disabled() {
		t.Error("Diagnose enabled without a host")
	}
	test.Type(v.host, "imap.example.com")
	v.port.SetText("99999")
	if !v.diagnose.Disabled() {
		t.Error("Diagnose enabled with port 99999")
	}
	pressEnter(v.host)
	h.settle()
	if len(eng.diagnoses) != 0 || !v.errText.Visible() {
		t.Error("diagnosed an invalid port")
	}

	// A port typed with the host moves to the port field, which sets the rest.
	v.host.SetText("")
	test.Type(v.host, "imap.example.com:143")
	if v.diagnose.Disabled() {
		t.Error("Diagnose disabled for host:port")
	}
	pressEnter(v.host)
	h.settle()
	if v.host.Text != "imap.example.com" || v.port.Text != "143" || v.protocol.Selected != "IMAP" || v.security.Selected != "STARTTLS" {
		t.Errorf("host:port split into %q %q %q %q", v.host.Text, v.port.Text, v.protocol.Selected, v.security.Selected)
	}
	if len(eng.diagnoses) != 1 || eng.diagnoses[0].Server.Port != 143 || eng.diagnoses[0].Password != "" {
		t.Errorf("diagnoses %+v", eng.diagnoses)
	}
}

// findIcon finds the first icon under o.
func findIcon(o fyne.CanvasObject) *widget.Icon {
	switch w := o.(type) {
	case *widget.Icon:
		return w
	case *fyne.Container:
		for _, c := range w.Objects {
			if i := findIcon(c); i != nil {
				return i
			}
		}
	}
	return nil
}
