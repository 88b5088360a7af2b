package assistant

import (
	"context"
	"testing"

	"mailsetup/internal/testbed"
	"mailsetup/l10n"
	"mailsetup/l10n/l10ntest"
	"mailsetup/mailcfg"
)

// Every step of a diagnosis says its outcome and details in any language:
// messages beside the English strings scripts read (the same words), and
// in Chinese no English outside the server's quoted words.
func TestDiagnosisMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		srv      mailcfg.Server
		password string
	}{
		{"starttls login", mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.starttls.test", Port: 587, Security: mailcfg.STARTTLS,
			Username: scenarios.STARTTLS.Email}, testbed.DefaultPassword},
		{"wrong password", mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.starttls.test", Port: 110, Security: mailcfg.STARTTLS,
			Username: scenarios.STARTTLS.Email}, wrongPassword},
		{"expired certificate", mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.expired.test", Port: 993, Security: mailcfg.TLS,
			Username: scenarios.Expired.Email}, testbed.DefaultPassword},
		{"plain text without consent", mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.plain.test", Port: 143, Security: mailcfg.None,
			Username: "alice@plain.test"}, testbed.DefaultPassword},
		{"no STARTTLS", mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.plain.test", Port: 143, Security: mailcfg.STARTTLS}, ""},
		{"refused", mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.srv.test", Port: 110, Security: mailcfg.STARTTLS}, ""},
		{"nxdomain", mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.nxdomain.test", Port: 995, Security: mailcfg.TLS}, ""},
		{"an IP address", mailcfg.Server{Protocol: mailcfg.POP3, Host: "127.0.0.1", Port: 9, Security: mailcfg.TLS}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := bedEngine(t, Options{Offline: true})
			d := e.Diagnose(context.Background(), DiagnoseRequest{Server: tc.srv, Password: tc.password})
			for _, s := range d.Steps {
				if s.SummaryMessage.IsZero() || s.SummaryMessage.Code == "verbatim" {
					t.Errorf("step %s: no message for %q", s.Name, s.Summary)
				}
				if len(s.DetailMessages) != len(s.Details) {
					t.Errorf("step %s: %d detail messages for %d details", s.Name, len(s.DetailMessages), len(s.Details))
					continue
				}
				for i, m := range s.DetailMessages {
					if m.String() != s.Details[i] {
						t.Errorf("step %s: detail %q, its message says %q", s.Name, s.Details[i], m)
					}
				}
				for _, lang := range []string{l10n.SimplifiedChinese, l10n.TraditionalChinese} {
					for _, text := range append([]string{s.Label(lang), s.Title(lang), s.SummaryText(lang)}, s.DetailTexts(lang)...) {
						if words := l10ntest.EnglishIn(text); len(words) > 0 {
							t.Errorf("step %s in %s keeps English %q: %s", s.Name, lang, words, text)
						}
					}
				}
			}
		})
	}
}
