package mailcfg

import (
	"errors"
	"strings"
	"testing"
)

func TestParseHostPort(t *testing.T) {
	tests := []struct {
		in      string
		host    string
		port    int
		problem SpecProblem
	}{
		{"127.0.0.1:53", "127.0.0.1", 53, ""},
		{"[::1]:1080", "::1", 1080, ""},
		{" dns.example:5353 ", "dns.example", 5353, ""},
		{"localhost", "", 0, SpecFormat},
		{":53", "", 0, SpecHost},
		{"a b:53", "", 0, SpecHost},
		{"host:0", "", 0, SpecPort},
		{"host:65536", "", 0, SpecPort},
		{"host:http", "", 0, SpecPort},
	}
	for _, tt := range tests {
		host, port, err := ParseHostPort(tt.in)
		var se *SpecError
		if tt.problem != "" {
			if !errors.As(err, &se) || se.Problem != tt.problem {
				t.Errorf("ParseHostPort(%q) error %v, want problem %s", tt.in, err, tt.problem)
			}
			continue
		}
		if err != nil || host != tt.host || port != tt.port {
			t.Errorf("ParseHostPort(%q) = %q, %d, %v", tt.in, host, port, err)
		}
	}
}

func TestParseServer(t *testing.T) {
	in := ServerHint{Role: Incoming, Protocol: POP3, RequireSecurity: true, Username: "a@b.example"}
	out := ServerHint{Role: Outgoing, RequireSecurity: true}
	any := ServerHint{}
	tests := []struct {
		spec    string
		hint    ServerHint
		want    string // Server.String(), or the problem
		problem SpecProblem
	}{
		{"mail.example.com:993", in, "imap mail.example.com:993 (tls)", ""}, // the port says IMAP
		{"mail.example.com:995", in, "pop3 mail.example.com:995 (tls)", ""},
		{"mail.example.com:110:none", in, "pop3 mail.example.com:110 (none)", ""},
		{"mail.example.com:2110:starttls", in, "pop3 mail.example.com:2110 (starttls)", ""},
		{"mail.example.com:2110", in, "", SpecNeedSecurity},
		{"smtp.example.com:587", out, "smtp smtp.example.com:587 (starttls)", ""},
		{"smtp.example.com:465:tls", out, "smtp smtp.example.com:465 (tls)", ""},
		{"smtp.example.com:993", out, "", SpecNeedSecurity}, // 993 is not an outgoing port
		{"[2001:db8::1]:993:tls", in, "imap [2001:db8::1]:993 (tls)", ""},
		{"mail.example.com:99999", in, "", SpecPort},
		{"mail.example.com:993:ssl3", in, "", SpecSecurity},
		{"mail.example.com:1:2:3", in, "", SpecFormat},
		{"a@b.example:993", in, "", SpecHost},
		{":993", in, "", SpecHost},
		// diagnose: HOST[:PORT] with the protocol and security given apart
		{"imap.example.com", ServerHint{Protocol: IMAP}, "imap imap.example.com:993 (tls)", ""},
		{"imap.example.com", ServerHint{Protocol: IMAP, Security: STARTTLS}, "imap imap.example.com:143 (starttls)", ""},
		{"smtp.example.com:587", any, "smtp smtp.example.com:587 (starttls)", ""},
		{"smtp.example.com:2525", any, "smtp smtp.example.com:2525 (starttls)", ""},
		{"mx.example.com:2626", any, "", SpecNeedProtocol},
		{"mx.example.com:2626", ServerHint{Protocol: SMTP}, "smtp mx.example.com:2626 (tls)", ""},
		{"mail.example.com.", ServerHint{Protocol: POP3}, "pop3 mail.example.com:995 (tls)", ""},
		{"mail.example.com", ServerHint{Role: Incoming, Protocol: SMTP}, "", SpecProtocol},
	}
	for _, tt := range tests {
		srv, err := ParseServer(tt.spec, tt.hint)
		var se *SpecError
		if tt.problem != "" {
			if !errors.As(err, &se) || se.Problem != tt.problem {
				t.Errorf("ParseServer(%q, %+v) = %v, %v; want problem %s", tt.spec, tt.hint, srv, err, tt.problem)
			} else if !strings.Contains(err.Error(), tt.spec) {
				t.Errorf("error %q does not quote the spec", err)
			}
			continue
		}
		if err != nil || srv.String() != tt.want {
			t.Errorf("ParseServer(%q, %+v) = %v, %v; want %s", tt.spec, tt.hint, srv, err, tt.want)
		}
		if srv.Username != tt.hint.Username {
			t.Errorf("username %q, want %q", srv.Username, tt.hint.Username)
		}
	}
}

func TestFingerprints(t *testing.T) {
	hex := strings.Repeat("ab", 32)
	colon := strings.ToUpper(strings.Repeat("ab:", 31) + "ab")
	dashed := strings.TrimSuffix(strings.Repeat("ab-", 32), "-")
	for _, s := range []string{hex, colon, "sha256:" + hex, "SHA256/" + hex, " " + colon + " ", dashed, strings.ReplaceAll(colon, ":", " ")} {
		if NormalizeFingerprint(s) != hex || !ValidFingerprint(s) {
			t.Errorf("%q: normalised %q, valid %v", s, NormalizeFingerprint(s), ValidFingerprint(s))
		}
	}
	for _, s := range []string{"", "ab", hex + "ab", strings.Repeat("zz", 32)} {
		if ValidFingerprint(s) {
			t.Errorf("%q accepted", s)
		}
	}
	pins := Pins{colon}
	if !pins.Has(hex) || pins.Has(strings.Repeat("cd", 32)) || pins.Has("") || (Pins{""}).Has("") {
		t.Error("Pins.Has")
	}
}
