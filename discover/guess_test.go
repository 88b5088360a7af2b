package discover

import (
	"slices"
	"testing"

	"mailsetup/mailcfg"
)

func TestGuessSourceExact(t *testing.T) {
	cands, _, err := runSource(t, &GuessSource{}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands {
		if !c.Trusted || c.Username != "alice@example.com" {
			t.Errorf("%+v", c)
		}
		got = append(got, c.Server.String())
	}
	want := []string{
		"pop3 pop3.example.com:995 (tls)", "pop3 pop3.example.com:110 (starttls)",
		"pop3 pop.example.com:995 (tls)", "pop3 pop.example.com:110 (starttls)",
		"pop3 mail.example.com:995 (tls)", "pop3 mail.example.com:110 (starttls)",
		"pop3 example.com:995 (tls)", "pop3 example.com:110 (starttls)",
		"imap imap.example.com:993 (tls)", "imap imap.example.com:143 (starttls)",
		"imap mail.example.com:993 (tls)", "imap mail.example.com:143 (starttls)",
		"imap example.com:993 (tls)", "imap example.com:143 (starttls)",
		"smtp smtp.example.com:465 (tls)", "smtp smtp.example.com:587 (starttls)", "smtp smtp.example.com:25 (starttls)",
		"smtp mail.example.com:465 (tls)", "smtp mail.example.com:587 (starttls)", "smtp mail.example.com:25 (starttls)",
		"smtp example.com:465 (tls)", "smtp example.com:587 (starttls)", "smtp example.com:25 (starttls)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("guesses:\n got %q\nwant %q", got, want)
	}
}

func TestGuessSourceIDNAndProtocols(t *testing.T) {
	src := &GuessSource{Env: Env{Protocols: []mailcfg.Protocol{mailcfg.IMAP}}}
	cands, _, err := runSource(t, src, "jörg@bücher.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 6+9 {
		t.Fatalf("%d candidates, want 15 (IMAP and SMTP only)", len(cands))
	}
	for _, c := range cands {
		if c.Protocol == mailcfg.POP3 {
			t.Errorf("POP3 guessed though not wanted: %v", c.Server)
		}
		if c.Username != "jörg@xn--bcher-kva.example" {
			t.Errorf("username %q", c.Username)
		}
	}
	if cands[0].Host != "imap.xn--bcher-kva.example" {
		t.Errorf("host %q, want punycode", cands[0].Host)
	}
}

func TestSourcesOrderAndTrust(t *testing.T) {
	var names []SourceName
	for _, s := range Sources(NewEnv(nil, nil)) {
		names = append(names, s.Name())
	}
	if !slices.Equal(names, AllSources) {
		t.Errorf("Sources order %v, want %v", names, AllSources)
	}
	want := []SourceName{"builtin", "srv", "autoconfig", "ispdb", "mx", "autodiscover", "guess"}
	if !slices.Equal(AllSources, want) {
		t.Errorf("AllSources %v", AllSources)
	}
	for i := 1; i < len(want); i++ {
		if Trust(want[i-1]) <= Trust(want[i]) {
			t.Errorf("Trust(%s) = %d not above Trust(%s) = %d", want[i-1], Trust(want[i-1]), want[i], Trust(want[i]))
		}
	}
	if Trust(SourceGuess) <= Trust("nonsense") {
		t.Errorf("guess ranks no higher than an unknown source")
	}
}

func TestEnvWants(t *testing.T) {
	tests := []struct {
		protos []mailcfg.Protocol
		p      mailcfg.Protocol
		want   bool
	}{
		{nil, mailcfg.POP3, true},
		{nil, mailcfg.IMAP, true},
		{nil, mailcfg.SMTP, true},
		{[]mailcfg.Protocol{mailcfg.IMAP}, mailcfg.POP3, false},
		{[]mailcfg.Protocol{mailcfg.IMAP}, mailcfg.SMTP, true},
		{[]mailcfg.Protocol{}, mailcfg.IMAP, false},
	}
	for _, tt := range tests {
		if got := (Env{Protocols: tt.protos}).wants(tt.p); got != tt.want {
			t.Errorf("Protocols %v wants(%s) = %v", tt.protos, tt.p, got)
		}
	}
}
