package assistant

import (
	"testing"

	"mailsetup/hints"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

func TestProposed(t *testing.T) {
	rec := mailcfg.Server{Protocol: mailcfg.IMAP, Host: "imap.qq.com", Port: 993, Security: mailcfg.TLS, Username: "alice@qq.com"}
	tests := []struct {
		name string
		rep  Report
		role mailcfg.Role
		want mailcfg.Server
	}{
		{"the recommendation", Report{Email: "alice@qq.com", Recommended: Recommended{Incoming: &rec}}, mailcfg.Incoming, rec},
		{"blank POP3 by default", Report{Email: "alice@example.test"}, mailcfg.Incoming,
			mailcfg.Server{Protocol: mailcfg.POP3, Port: 995, Security: mailcfg.TLS, Username: "alice@example.test"}},
		{"blank IMAP when preferred", Report{Email: "alice@example.test", Protocol: mailcfg.IMAP}, mailcfg.Incoming,
			mailcfg.Server{Protocol: mailcfg.IMAP, Port: 993, Security: mailcfg.TLS, Username: "alice@example.test"}},
		{"blank SMTP", Report{Email: "alice@example.test", Protocol: mailcfg.IMAP}, mailcfg.Outgoing,
			mailcfg.Server{Protocol: mailcfg.SMTP, Port: 465, Security: mailcfg.TLS, Username: "alice@example.test"}},
		{"the provider's login name", Report{Email: "alice@web.de", Provider: &ProviderRef{ID: "webde"}}, mailcfg.Outgoing,
			mailcfg.Server{Protocol: mailcfg.SMTP, Port: 465, Security: mailcfg.TLS, Username: "alice"}},
		{"an IDN domain in ASCII", Report{Email: "alice@例子.测试"}, mailcfg.Incoming,
			mailcfg.Server{Protocol: mailcfg.POP3, Port: 995, Security: mailcfg.TLS, Username: "alice@xn--fsqu00a.xn--0zwm56d"}},
	}
	for _, tt := range tests {
		if got := tt.rep.Proposed(tt.role); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestChooseAndSelectable(t *testing.T) {
	rep := &Report{Email: "alice@example.test"}
	tests := []struct {
		name       string
		c          Candidate
		want       mailcfg.Server
		selectable bool
	}{
		{"as probed", Candidate{Protocol: mailcfg.IMAP, Host: "h", Port: 993, Security: mailcfg.TLS, Status: mailcfg.StatusOK, Username: "bob"},
			mailcfg.Server{Protocol: mailcfg.IMAP, Host: "h", Port: 993, Security: mailcfg.TLS, Username: "bob"}, true},
		{"plain text when insecure", Candidate{Protocol: mailcfg.POP3, Host: "h", Port: 110, Security: mailcfg.STARTTLS, Status: mailcfg.StatusInsecure},
			mailcfg.Server{Protocol: mailcfg.POP3, Host: "h", Port: 110, Security: mailcfg.None, Username: "alice@example.test"}, true},
		{"a certificate to pin", Candidate{Protocol: mailcfg.SMTP, Host: "h", Port: 465, Security: mailcfg.TLS, Status: mailcfg.StatusCertInvalid},
			mailcfg.Server{Protocol: mailcfg.SMTP, Host: "h", Port: 465, Security: mailcfg.TLS, Username: "alice@example.test"}, true},
		{"refused", Candidate{Protocol: mailcfg.SMTP, Host: "h", Port: 25, Security: mailcfg.STARTTLS, Status: mailcfg.StatusRefused},
			mailcfg.Server{Protocol: mailcfg.SMTP, Host: "h", Port: 25, Security: mailcfg.STARTTLS, Username: "alice@example.test"}, false},
		{"abandoned", Candidate{Protocol: mailcfg.SMTP, Host: "h", Port: 587, Security: mailcfg.STARTTLS, Status: mailcfg.StatusAbandoned},
			mailcfg.Server{Protocol: mailcfg.SMTP, Host: "h", Port: 587, Security: mailcfg.STARTTLS, Username: "alice@example.test"}, false},
	}
	for _, tt := range tests {
		if got := rep.Choose(&tt.c); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
		if got := tt.c.Selectable(); got != tt.selectable {
			t.Errorf("%s: selectable %v", tt.name, got)
		}
	}
	// The chosen server is the candidate still: its consents follow it.
	c := Candidate{Role: mailcfg.Incoming, Protocol: mailcfg.POP3, Host: "h", Port: 110, Security: mailcfg.STARTTLS,
		Status: mailcfg.StatusInsecure, Trusted: true}
	rep.Candidates = []Candidate{c}
	needs := rep.Consents(mailcfg.Incoming, rep.Choose(&c), nil)
	if len(needs) != 1 || needs[0].Kind != ConsentPlaintext {
		t.Errorf("consents of an insecure choice: %+v", needs)
	}
}

func TestSecretAndProviderFacts(t *testing.T) {
	for _, tt := range []struct{ provider, want string }{
		{"", SecretPassword}, {"qq", SecretAuthCode}, {"gmail", SecretAppPassword}, {"webde", SecretPassword}, {"no-such", SecretPassword},
	} {
		rep := &Report{Email: "alice@example.test"}
		if tt.provider != "" {
			rep.Provider = &ProviderRef{ID: tt.provider, Name: tt.provider}
		}
		if got := rep.Secret(); got != tt.want {
			t.Errorf("%q: secret %q, want %q", tt.provider, got, tt.want)
		}
	}
	if f := (&Report{}).ProviderFacts("en"); f != nil {
		t.Errorf("facts of an unknown provider: %+v", f)
	}
	qq := providers.ByID("qq")
	rep := &Report{Email: "alice@qq.com", Provider: &ProviderRef{ID: "qq", Name: "QQ Mail"}}
	f := rep.ProviderFacts("zh_CN.UTF-8")
	if f.Name != qq.DisplayName("zh-Hans") || f.Note != qq.Note("zh-Hans") || f.HelpURL != qq.HelpURL || f.Name == "QQ Mail" {
		t.Errorf("QQ in Chinese: %+v", f)
	}
	// A provider only a source named (not in the table) keeps its name.
	rep.Provider = &ProviderRef{ID: "m365", Name: "Microsoft 365"}
	if f := rep.ProviderFacts("zh-Hant"); f.Name != "Microsoft 365" || f.Note != "" {
		t.Errorf("a provider outside the table: %+v", f)
	}
}

func TestNotesIn(t *testing.T) {
	qq := providers.ByID("qq")
	en, zh := hints.ProviderNotes(qq, "en"), hints.ProviderNotes(qq, "zh-Hans")
	if len(en) == 0 || en[0].Text == zh[0].Text {
		t.Fatal("QQ has no provider note that differs by language")
	}
	warn := hints.Hint{ID: "cert_self_signed", Severity: hints.SeverityWarning, Text: "self-signed"}
	rep := &Report{Email: "alice@qq.com", Provider: &ProviderRef{ID: "qq"}, Notes: append(append([]hints.Hint{}, en...), warn)}
	got := rep.NotesIn("zh-Hans")
	if len(got) != len(zh)+1 || got[0].Text != zh[0].Text || got[len(got)-1] != warn {
		t.Errorf("notes in Chinese: %+v", got)
	}
	if got := rep.NotesIn("en"); len(got) != len(rep.Notes) || got[0].Text != en[0].Text {
		t.Errorf("notes in the report's language changed: %+v", got)
	}
	// A report that lost its provider notes gets them back, first.
	rep.Notes = []hints.Hint{warn}
	if got := rep.NotesIn("en"); len(got) != len(en)+1 || got[0].ID != en[0].ID || got[len(got)-1] != warn {
		t.Errorf("missing provider notes: %+v", got)
	}
	plain := &Report{Email: "bob@example.test", Notes: []hints.Hint{warn}}
	if got := plain.NotesIn("zh-Hant"); len(got) != 1 || got[0] != warn {
		t.Errorf("unknown provider: %+v", got)
	}
}

func TestSameRank(t *testing.T) {
	tests := []struct {
		name string
		a, b *Candidate
		want bool
	}{
		{"latency only", cand("pop3", 995, "tls", "ok", 5, "guess"), cand("pop3", 995, "tls", "ok", 90, "guess"), true},
		{"two failures", cand("pop3", 995, "tls", "refused", 5, "guess"), cand("pop3", 995, "tls", "timeout", 90, "guess"), true},
		{"usable or not", cand("pop3", 995, "tls", "ok", 5, "guess"), cand("pop3", 995, "tls", "refused", 5, "guess"), false},
		{"security", cand("pop3", 995, "tls", "ok", 5, "guess"), cand("pop3", 110, "starttls", "ok", 5, "guess"), false},
		{"protocol", cand("pop3", 995, "tls", "ok", 5, "guess"), cand("imap", 993, "tls", "ok", 5, "guess"), false},
		{"source", cand("pop3", 995, "tls", "ok", 5, "builtin"), cand("pop3", 995, "tls", "ok", 5, "guess"), false},
		{"role", cand("imap", 993, "tls", "refused", 5, "guess"), cand("smtp", 465, "tls", "refused", 5, "guess"), false},
	}
	for _, tt := range tests {
		if got := SameRank(tt.a, tt.b, Preference{Protocol: mailcfg.POP3}); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}
