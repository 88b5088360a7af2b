package assistant

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

func stepNames(steps []Step) []string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	return names
}

func TestDiagnose(t *testing.T) {
	t.Parallel()
	srvEmail, starttlsEmail := scenarios.SRV.Email, scenarios.STARTTLS.Email
	tests := []struct {
		name      string
		srv       mailcfg.Server
		password  string
		wantSteps []string
		failed    string // the step that must fail; "" = all pass
		wantOK    bool
		wantAuth  bool
		wantHint  string // among the hints
		details   []string
	}{
		{name: "pop3 tls", srv: mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.srv.test", Port: 995, Security: mailcfg.TLS},
			wantSteps: []string{"dns", "tcp", "tls", "protocol"}, wantOK: true,
			details: []string{"resolver: " + bed.DNSAddr, "greeting: +OK", "login methods: PLAIN LOGIN", "SHA-256: "}},
		{name: "imap tls login", srv: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.srv.test", Port: 993, Security: mailcfg.TLS, Username: srvEmail},
			password: testbed.DefaultPassword, wantSteps: []string{"dns", "tcp", "tls", "protocol", "login"}, wantOK: true,
			details: []string{"0 messages in the mailbox"}},
		{name: "smtp starttls login", srv: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.starttls.test", Port: 587, Security: mailcfg.STARTTLS, Username: starttlsEmail},
			password: testbed.DefaultPassword, wantSteps: []string{"dns", "tcp", "greeting", "tls", "protocol", "login"}, wantOK: true,
			details: []string{"STARTTLS offered: true", "capabilities before TLS: "}},
		{name: "pop3 starttls wrong password", srv: mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.starttls.test", Port: 110, Security: mailcfg.STARTTLS, Username: starttlsEmail},
			password: wrongPassword, wantSteps: []string{"dns", "tcp", "greeting", "tls", "protocol", "login"}, failed: "login",
			wantAuth: true, wantHint: "auth_failed"},
		{name: "wrong certificate name", srv: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.wrongname.test", Port: 993, Security: mailcfg.TLS, Username: "alice@wrongname.test"},
			password: testbed.DefaultPassword, wantSteps: []string{"dns", "tcp", "tls", "login"}, failed: "tls",
			wantHint: "cert_name_mismatch", details: []string{"names: " + testbed.WrongCertName}},
		{name: "refused port", srv: mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.srv.test", Port: 110, Security: mailcfg.STARTTLS},
			wantSteps: []string{"dns", "tcp"}, failed: "tcp", wantHint: "refused"},
		{name: "nxdomain", srv: mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.nxdomain.test", Port: 995, Security: mailcfg.TLS},
			wantSteps: []string{"dns"}, failed: "dns", wantHint: "unresolved"},
		{name: "starttls not offered", srv: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.plain.test", Port: 143, Security: mailcfg.STARTTLS},
			wantSteps: []string{"dns", "tcp", "protocol"}, failed: "protocol", wantHint: "starttls_missing"},
		{name: "plaintext without consent", srv: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.plain.test", Port: 143, Security: mailcfg.None, Username: "alice@plain.test"},
			password: testbed.DefaultPassword, wantSteps: []string{"dns", "tcp", "protocol", "login"}, failed: "login", wantHint: "insecure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := bedEngine(t, Options{Offline: true})
			d := e.Diagnose(context.Background(), DiagnoseRequest{Server: tt.srv, Password: tt.password})
			if got := stepNames(d.Steps); !slices.Equal(got, tt.wantSteps) {
				t.Errorf("steps %v, want %v", got, tt.wantSteps)
			}
			for _, s := range d.Steps {
				switch {
				case s.Name == tt.failed && (s.OK || s.Skipped || s.Summary == ""):
					t.Errorf("step %s should fail with a reason: %+v", s.Name, s)
				case s.Name != tt.failed && !s.OK && !s.Skipped:
					t.Errorf("step %s failed: %s", s.Name, s.Summary)
				}
			}
			if d.OK != tt.wantOK || d.AuthFailed != tt.wantAuth {
				t.Errorf("ok=%v auth_failed=%v, want %v %v", d.OK, d.AuthFailed, tt.wantOK, tt.wantAuth)
			}
			if tt.wantHint != "" && !slices.Contains(hintIDs(d.Hints), tt.wantHint) {
				t.Errorf("hints %v lack %s", hintIDs(d.Hints), tt.wantHint)
			}
			if tt.wantOK && len(d.Hints) > 0 {
				t.Errorf("hints for a server that works: %v", hintIDs(d.Hints))
			}
			var all []string
			for _, s := range d.Steps {
				all = append(all, s.Details...)
			}
			text := strings.Join(all, "\n")
			for _, want := range tt.details {
				if !strings.Contains(text, want) {
					t.Errorf("details lack %q:\n%s", want, text)
				}
			}
			if t.Failed() {
				for _, s := range d.Steps {
					t.Logf("%s ok=%v skipped=%v %s %v", s.Name, s.OK, s.Skipped, s.Summary, s.Details)
				}
			}
		})
	}
}

// A diagnosis with a wrong password names the login as the only failure,
// so the command line can exit 3.
func TestDiagnoseLoginOnlyWithPassword(t *testing.T) {
	t.Parallel()
	e := bedEngine(t, Options{Offline: true})
	srv := mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.srv.test", Port: 465, Security: mailcfg.TLS, Username: scenarios.SRV.Email}
	d := e.Diagnose(context.Background(), DiagnoseRequest{Server: srv})
	if slices.Contains(stepNames(d.Steps), "login") {
		t.Errorf("a login step without a password: %v", stepNames(d.Steps))
	}
	if !d.OK {
		t.Errorf("diagnosis failed: %+v", d.Steps)
	}
}

// The layers below TLS: a CNAME followed, a port that never connects, a
// connection reset at once.
func TestDiagnoseNetwork(t *testing.T) {
	t.Parallel()
	bed.AddCNAME("alias.diag.test", "mail.srv.test")
	resetIP := bed.NewIP()
	bed.AddA("reset.diag.test", resetIP)
	bed.Fault(t, resetIP, 995, testbed.ResetAfterAccept)
	blackIP := bed.NewIP()
	bed.AddA("blackhole.diag.test", blackIP)
	bed.Blackhole(blackIP, 993)

	tests := []struct {
		name    string
		srv     mailcfg.Server
		failed  string
		hint    string
		details []string
	}{
		{"cname", mailcfg.Server{Protocol: mailcfg.POP3, Host: "alias.diag.test", Port: 995, Security: mailcfg.TLS},
			"tls", "cert_name_mismatch", []string{"CNAME chain: alias.diag.test → mail.srv.test"}},
		{"timeout", mailcfg.Server{Protocol: mailcfg.IMAP, Host: "blackhole.diag.test", Port: 993, Security: mailcfg.TLS},
			"tcp", "timeout", nil},
		{"reset", mailcfg.Server{Protocol: mailcfg.POP3, Host: "reset.diag.test", Port: 995, Security: mailcfg.TLS},
			"", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := bedEngine(t, Options{Offline: true, ProbeTimeout: time.Second})
			d := e.Diagnose(context.Background(), DiagnoseRequest{Server: tt.srv})
			if d.OK {
				t.Fatalf("diagnosis passed: %+v", d.Steps)
			}
			last := d.Steps[len(d.Steps)-1]
			if tt.failed != "" && (last.Name != tt.failed || last.OK) {
				t.Errorf("last step %s ok=%v %q, want %s failing", last.Name, last.OK, last.Summary, tt.failed)
			}
			if tt.hint != "" && !slices.Contains(hintIDs(d.Hints), tt.hint) {
				t.Errorf("hints %v lack %s", hintIDs(d.Hints), tt.hint)
			}
			if len(d.Hints) == 0 {
				t.Errorf("a failure without a hint: %+v", d.Steps)
			}
			text := ""
			for _, s := range d.Steps {
				text += strings.Join(s.Details, "\n") + "\n"
			}
			for _, want := range tt.details {
				if !strings.Contains(text, want) {
					t.Errorf("details lack %q:\n%s", want, text)
				}
			}
			if t.Failed() {
				for _, s := range d.Steps {
					t.Logf("%s ok=%v %s", s.Name, s.OK, s.Summary)
				}
			}
		})
	}
}
