package mailcfg

import "testing"

func TestParseProtocolAndSecurity(t *testing.T) {
	for in, want := range map[string]Protocol{"pop3": POP3, "POP": POP3, "imap": IMAP, " smtp ": SMTP, "submission": SMTP} {
		if got, err := ParseProtocol(in); err != nil || got != want {
			t.Errorf("ParseProtocol(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseProtocol("nntp"); err == nil {
		t.Error("ParseProtocol accepted nntp")
	}
	for in, want := range map[string]Security{"ssl": TLS, "TLS": TLS, "starttls": STARTTLS, "stls": STARTTLS, "plain": None, "none": None} {
		if got, err := ParseSecurity(in); err != nil || got != want {
			t.Errorf("ParseSecurity(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseSecurity("maybe"); err == nil {
		t.Error("ParseSecurity accepted maybe")
	}
}

func TestInferFromPort(t *testing.T) {
	tests := []struct {
		port  int
		proto Protocol
		sec   Security
		ok    bool
	}{
		{995, POP3, TLS, true}, {110, POP3, STARTTLS, true}, {993, IMAP, TLS, true}, {143, IMAP, STARTTLS, true},
		{465, SMTP, TLS, true}, {587, SMTP, STARTTLS, true}, {25, SMTP, STARTTLS, true}, {8080, "", "", false},
	}
	for _, tt := range tests {
		p, s, ok := InferFromPort(tt.port)
		if p != tt.proto || s != tt.sec || ok != tt.ok {
			t.Errorf("InferFromPort(%d) = %s %s %v", tt.port, p, s, ok)
		}
	}
}

func TestServer(t *testing.T) {
	s := Server{Protocol: IMAP, Host: "IMAP.Example.com", Port: 993, Security: TLS, Username: "a"}
	if s.Role() != Incoming || s.HostPort() != "IMAP.Example.com:993" {
		t.Errorf("role/hostport: %s %s", s.Role(), s.HostPort())
	}
	other := s
	other.Username, other.Host = "b", "imap.example.com"
	if s.Key() != other.Key() {
		t.Error("Key must ignore the username and the host's case")
	}
	if (Server{Protocol: SMTP, Host: "::1", Port: 25, Security: None}).HostPort() != "[::1]:25" {
		t.Error("IPv6 host not bracketed")
	}
	bad := []Server{{Protocol: "x", Host: "h", Port: 1, Security: TLS}, {Protocol: IMAP, Port: 1, Security: TLS},
		{Protocol: IMAP, Host: "h", Port: 0, Security: TLS}, {Protocol: IMAP, Host: "h", Port: 1, Security: "x"}}
	for _, b := range bad {
		if b.Validate() == nil {
			t.Errorf("Validate accepted %+v", b)
		}
	}
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
}

func TestStandardEndpointsOrder(t *testing.T) {
	eps := StandardEndpoints(SMTP)
	if len(eps) != 3 || eps[0].Port != 465 || eps[1].Port != 587 || eps[2].Port != 25 {
		t.Errorf("SMTP endpoints %v", eps)
	}
	if PortRank(SMTP, 465) <= PortRank(SMTP, 587) || PortRank(SMTP, 587) <= PortRank(SMTP, 25) {
		t.Error("port rank must be 465 > 587 > 25")
	}
}
