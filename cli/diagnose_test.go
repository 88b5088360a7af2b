package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"mailsetup/internal/testbed"
)

func TestDiagnoseCommand(t *testing.T) {
	t.Parallel()
	srvUser, starttlsUser := scenarios.SRV.Email, scenarios.STARTTLS.Email
	tests := []struct {
		name     string
		args     []string
		password string // with --user: on stdin
		wantCode int
		target   [3]any   // protocol, port, security inferred
		steps    []string // step names in order
		failed   string   // the failing step
		hint     string
		human    []string // in the human output
	}{
		{name: "pop3 from 995", args: []string{"mail.srv.test:995"}, wantCode: ExitOK,
			target: [3]any{"pop3", 995.0, "tls"}, steps: []string{"dns", "tcp", "tls", "protocol"},
			human: []string{"mail.srv.test:995  POP3 over TLS", "✓ dns", "✓ tls", "certificate verified", "greeting: +OK", "Every step passed."}},
		{name: "smtp from 587", args: []string{"mail.starttls.test:587"}, wantCode: ExitOK,
			target: [3]any{"smtp", 587.0, "starttls"}, steps: []string{"dns", "tcp", "greeting", "tls", "protocol"},
			human: []string{"SMTP with STARTTLS", "STARTTLS offered: true", "login methods: PLAIN LOGIN"}},
		{name: "imap from 143", args: []string{"mail.starttls.test:143"}, wantCode: ExitOK,
			target: [3]any{"imap", 143.0, "starttls"}, steps: []string{"dns", "tcp", "greeting", "tls", "protocol"}},
		{name: "imap by protocol", args: []string{"mail.srv.test", "--protocol", "imap"}, wantCode: ExitOK,
			target: [3]any{"imap", 993.0, "tls"}, steps: []string{"dns", "tcp", "tls", "protocol"}},
		{name: "login", args: []string{"mail.srv.test:993", "--user", srvUser}, password: testbed.DefaultPassword, wantCode: ExitOK,
			target: [3]any{"imap", 993.0, "tls"}, steps: []string{"dns", "tcp", "tls", "protocol", "login"},
			human: []string{"as " + srvUser, "✓ login", "logged in as " + srvUser}},
		{name: "wrong password", args: []string{"mail.starttls.test:587", "--user", starttlsUser}, password: "wrong-password-1",
			wantCode: ExitAuthFailed, target: [3]any{"smtp", 587.0, "starttls"},
			steps: []string{"dns", "tcp", "greeting", "tls", "protocol", "login"}, failed: "login", hint: "auth_failed",
			human: []string{"✗ login", "535", "Failed at the login step."}},
		{name: "certificate for another name", args: []string{"mail.wrongname.test:995"}, wantCode: ExitFailed,
			target: [3]any{"pop3", 995.0, "tls"}, steps: []string{"dns", "tcp", "tls"}, failed: "tls", hint: "cert_name_mismatch",
			human: []string{"✗ tls", "names: " + testbed.WrongCertName, "Failed at the tls step."}},
		{name: "refused", args: []string{"mail.srv.test:110"}, wantCode: ExitFailed,
			target: [3]any{"pop3", 110.0, "starttls"}, steps: []string{"dns", "tcp"}, failed: "tcp", hint: "refused",
			human: []string{"✗ tcp", "refused"}},
		{name: "nxdomain", args: []string{"mail.nxdomain.test:995"}, wantCode: ExitFailed,
			target: [3]any{"pop3", 995.0, "tls"}, steps: []string{"dns"}, failed: "dns", hint: "unresolved",
			human: []string{"✗ dns", "NXDOMAIN", "resolver: " + bed.DNSAddr}},
		{name: "starttls missing", args: []string{"mail.plain.test:143"}, wantCode: ExitFailed,
			target: [3]any{"imap", 143.0, "starttls"}, steps: []string{"dns", "tcp", "protocol"}, failed: "protocol", hint: "starttls_missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"diagnose"}, tt.args...)
			stdin := ""
			if tt.password != "" {
				args, stdin = append(args, "--password-stdin"), tt.password+"\n"
			}
			code, stdout, stderr := run(t, stdin, bedArgs(append(args, "--json")...)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s\n%s", code, tt.wantCode, stdout, stderr)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			target := [3]any{field(doc, "target", "protocol"), field(doc, "target", "port"), field(doc, "target", "security")}
			if target != tt.target {
				t.Errorf("target %v, want %v", target, tt.target)
			}
			var names []string
			list, _ := field(doc, "steps").([]any)
			for _, s := range list {
				name, _ := field(s, "name").(string)
				names = append(names, name)
				ok, _ := field(s, "ok").(bool)
				if summary, _ := field(s, "summary").(string); summary == "" {
					t.Errorf("step %s without a summary", name)
				}
				if _, timed := field(s, "elapsed_ms").(float64); !timed {
					t.Errorf("step %s without a time", name)
				}
				if ok == (name == tt.failed) {
					t.Errorf("step %s ok=%v (failing step: %q)", name, ok, tt.failed)
				}
			}
			if !slices.Equal(names, tt.steps) {
				t.Errorf("steps %v, want %v", names, tt.steps)
			}
			if field(doc, "ok") != (tt.wantCode == ExitOK) {
				t.Errorf("ok = %v", field(doc, "ok"))
			}
			if tt.hint != "" && !slices.Contains(jsonHintIDs(field(doc, "hints")), tt.hint) {
				t.Errorf("hints %v lack %s", jsonHintIDs(field(doc, "hints")), tt.hint)
			}

			hcode, human, _ := run(t, stdin, bedArgs(args...)...)
			if hcode != tt.wantCode {
				t.Errorf("human run: exit %d, want %d", hcode, tt.wantCode)
			}
			for _, want := range tt.human {
				if !strings.Contains(human, want) {
					t.Errorf("human output lacks %q:\n%s", want, human)
				}
			}
			if strings.Contains(human, "\x1b[") {
				t.Errorf("colour codes written to a buffer:\n%s", human)
			}
		})
	}
}

// Hints follow --lang; the steps' own facts stay as the server gave them.
func TestDiagnoseLanguage(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{"zh-Hans": "在 DNS 中查不到", "zh-Hant": "在 DNS 中查不到", "en": "has no address in DNS"} {
		code, out, _ := run(t, "", bedArgs("diagnose", "mail.nxdomain.test:995", "--lang", lang)...)
		if code != ExitFailed || !strings.Contains(out, want) {
			t.Errorf("--lang %s: exit %d, want %q in:\n%s", lang, code, want, out)
		}
	}
}
