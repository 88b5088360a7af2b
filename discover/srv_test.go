package discover

import (
	"errors"
	"slices"
	"testing"

	"mailsetup/dnsx"
	"mailsetup/mailcfg"
)

func TestSRVSource(t *testing.T) {
	r := &fakeResolver{
		srv: map[string][]dnsx.SRV{
			"_imaps._tcp.example.com": {
				{Target: "imap2.example.com", Port: 993, Priority: 20},
				{Target: "imap.example.com", Port: 993, Priority: 10},
			},
			"_submissions._tcp.example.com": {{Target: "smtp.other.net", Port: 465}},
			"_submission._tcp.example.com":  {{Target: "mail.badexample.com", Port: 587}},
			"_pop3s._tcp.example.com":       {{Target: "pop.mail.example.com.", Port: 995}},
			"_pop3._tcp.example.com":        {{Target: ".", Port: 0}, {Target: "", Port: 110}},
		},
		srvErr: map[string]error{
			"_imap._tcp.example.com": &dnsx.Error{Kind: dnsx.ServiceNotOffered},
		},
	}
	cands, lines, err := runSource(t, &SRVSource{Env: Env{Resolver: r}}, "alice@example.com")
	if err != nil {
		t.Errorf("Find: %v", err)
	}
	equalLines(t, lines, []string{
		"srv imap imap.example.com:993 (tls) user=alice@example.com trusted",
		"srv imap imap2.example.com:993 (tls) user=alice@example.com trusted",
		"srv pop3 pop.mail.example.com:995 (tls) user=alice@example.com trusted",
		"srv smtp smtp.other.net:465 (tls) user=alice@example.com untrusted why=SRV target smtp.other.net is outside example.com",
		"srv smtp mail.badexample.com:587 (starttls) user=alice@example.com untrusted why=SRV target mail.badexample.com is outside example.com",
	})
	// Within one service, records come in priority order.
	var imaps []string
	for _, c := range cands {
		if c.Protocol == mailcfg.IMAP {
			imaps = append(imaps, c.Host)
		}
	}
	if !slices.Equal(imaps, []string{"imap.example.com", "imap2.example.com"}) {
		t.Errorf("IMAP order %v", imaps)
	}
	want := []string{"SRV _imap._tcp.example.com", "SRV _imaps._tcp.example.com", "SRV _pop3._tcp.example.com",
		"SRV _pop3s._tcp.example.com", "SRV _submission._tcp.example.com", "SRV _submissions._tcp.example.com"}
	if got := r.asked(); !slices.Equal(got, want) {
		t.Errorf("queries %v, want %v", got, want)
	}
}

func TestSRVSourceProtocols(t *testing.T) {
	r := &fakeResolver{srv: map[string][]dnsx.SRV{
		"_pop3s._tcp.example.com": {{Target: "pop.example.com", Port: 995}},
		"_imaps._tcp.example.com": {{Target: "imap.example.com", Port: 993}},
	}}
	_, lines, err := runSource(t, &SRVSource{Env: Env{Resolver: r, Protocols: []mailcfg.Protocol{mailcfg.IMAP}}}, "a@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, []string{"srv imap imap.example.com:993 (tls) user=a@example.com trusted"})
	for _, q := range r.asked() {
		if q == "SRV _pop3s._tcp.example.com" || q == "SRV _pop3._tcp.example.com" {
			t.Errorf("asked %s though POP3 is not wanted", q)
		}
	}
}

func TestSRVSourceErrors(t *testing.T) {
	servfail := &dnsx.Error{Kind: dnsx.ServFail}
	tests := []struct {
		name    string
		errs    map[string]error
		wantErr bool
	}{
		{"nothing published", nil, false},
		{"servfail", map[string]error{"_imaps._tcp.example.com": servfail}, true},
		{"not offered", map[string]error{"_imaps._tcp.example.com": &dnsx.Error{Kind: dnsx.ServiceNotOffered}}, false},
		{"nodata", map[string]error{"_imaps._tcp.example.com": &dnsx.Error{Kind: dnsx.NoData}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &fakeResolver{srvErr: tt.errs}
			cands, _, err := runSource(t, &SRVSource{Env: Env{Resolver: r}}, "a@example.com")
			if len(cands) != 0 {
				t.Errorf("candidates %v", cands)
			}
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr && !errors.Is(err, dnsx.ErrServFail) {
				t.Errorf("err %v does not wrap SERVFAIL", err)
			}
		})
	}
	if _, _, err := runSource(t, &SRVSource{}, "a@example.com"); !errors.Is(err, ErrNoResolver) {
		t.Errorf("no resolver: %v", err)
	}
}

func TestInDomain(t *testing.T) {
	tests := []struct {
		host, domain string
		want         bool
	}{
		{"example.com", "example.com", true},
		{"mail.example.com", "example.com", true},
		{"Mail.Example.COM.", "example.com", true},
		{"badexample.com", "example.com", false},
		{"example.com.evil.net", "example.com", false},
		{"com", "example.com", false},
	}
	for _, tt := range tests {
		if got := inDomain(tt.host, tt.domain); got != tt.want {
			t.Errorf("inDomain(%q, %q) = %v", tt.host, tt.domain, got)
		}
	}
}
