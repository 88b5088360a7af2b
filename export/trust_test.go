package export

import (
	"errors"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

func TestTrustOptionsRejected(t *testing.T) {
	cases := map[string]Options{
		"relative CA file":      {CAFile: "certs/ca.pem"},
		"CA file with newline":  {CAFile: "/etc/ca.pem\ntls off"},
		"CA file with space":    {CAFile: "/etc/ca.pem "},
		"CA file with dollar":   {CAFile: "/home/$USER/ca.pem"},
		"short fingerprint":     {IncomingFingerprint: "abcd"},
		"fingerprint not hex":   {OutgoingFingerprint: strings.Repeat("g", 64)},
		"SHA-1 fingerprint":     {IncomingFingerprint: strings.Repeat("ab:", 19) + "ab"},
		"fingerprint with junk": {OutgoingFingerprint: strings.Repeat("a", 63) + "\n"},
	}
	for name, o := range cases {
		for _, f := range Formats() {
			_, err := f.Render(testAccounts[0].acct, o)
			var oe *OptionError
			if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("%s/%s: want OptionError, got %v", name, f.ID, err)
			}
		}
	}
}

// What each client file says about certificates, for a CA file and for
// pins; plaintext servers get no certificate lines at all.
func TestTrustRendering(t *testing.T) {
	const ca = "/home/u/my CA's \"bundle\" #1;x.pem"
	pin := strings.Repeat("ab", 32)
	colon := strings.TrimSuffix(strings.Repeat("AB:", 32), ":")
	cases := []struct {
		name string
		acct mailcfg.Account
		opts Options
		want map[string][]string // format → lines that must appear
		not  map[string][]string // format → substrings that must not
	}{
		{"CA file", testAccounts[0].acct, Options{CAFile: ca}, map[string][]string{
			"msmtp":     {`tls_trust_file "` + ca + `"`},
			"mpop":      {`tls_trust_file "` + ca + `"`},
			"fetchmail": {`    sslcertfile "/home/u/my CA's \x22bundle\x22 #1;x.pem"`},
			"getmail":   {"ca_certs = " + ca},
			"mutt":      {`set ssl_ca_certificates_file = "/home/u/my CA's \"bundle\" #1;x.pem"`},
		}, map[string][]string{"msmtp": {"tls_fingerprint"}, "getmail": {"ssl_fingerprints"}}},
		{"pins win over the CA file", testAccounts[0].acct, Options{CAFile: ca, IncomingFingerprint: pin, OutgoingFingerprint: colon}, map[string][]string{
			"msmtp":   {"tls_fingerprint " + colon},
			"mpop":    {"tls_fingerprint " + colon},
			"getmail": {`ssl_fingerprints = ("` + pin + `",)`},
			"mutt":    {"accept it only if its SHA-256 fingerprint is " + colon},
		}, map[string][]string{"msmtp": {"tls_trust_file"}, "mpop": {"tls_trust_file"}, "getmail": {"ca_certs"},
			"mutt": {"ssl_ca_certificates_file"}}},
		{"only the outgoing server pinned", testAccounts[0].acct, Options{CAFile: ca, OutgoingFingerprint: pin}, map[string][]string{
			"msmtp":     {"tls_fingerprint " + colon},
			"mpop":      {`tls_trust_file "` + ca + `"`},
			"fetchmail": {"sslcertfile"},
		}, map[string][]string{"mpop": {"tls_fingerprint"}}},
		{"plaintext servers", loopbackPlain(), Options{CAFile: ca, IncomingFingerprint: pin, OutgoingFingerprint: pin}, nil,
			map[string][]string{
				"msmtp": {"tls_", "certificate"}, "mpop": {"tls_trust", "tls_fingerprint", "certificate"},
				"fetchmail": {"sslcertfile", "certificate"}, "getmail": {"ca_certs", "ssl_fingerprints", "certificate"},
				"mutt": {"ssl_ca_certificates_file", "certificate"},
			}},
	}
	for _, c := range cases {
		for id, lines := range c.want {
			f, _ := ByID(id)
			out, err := f.Render(c.acct, c.opts)
			if err != nil {
				t.Errorf("%s/%s: %v", c.name, id, err)
				continue
			}
			for _, l := range lines {
				if !strings.Contains(string(out), l) {
					t.Errorf("%s/%s lacks %q:\n%s", c.name, id, l, out)
				}
			}
		}
		for id, subs := range c.not {
			f, _ := ByID(id)
			out, err := f.Render(c.acct, c.opts)
			if err != nil {
				t.Errorf("%s/%s: %v", c.name, id, err)
				continue
			}
			for _, s := range subs {
				if strings.Contains(string(out), s) {
					t.Errorf("%s/%s holds %q:\n%s", c.name, id, s, out)
				}
			}
		}
	}
}

func loopbackPlain() mailcfg.Account {
	return mailcfg.Account{
		Email:    "dave@example.test",
		Incoming: mailcfg.Server{Protocol: mailcfg.POP3, Host: "127.0.0.1", Port: 10110, Security: mailcfg.None},
		Outgoing: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "127.0.0.1", Port: 10025, Security: mailcfg.None},
	}
}

// fetchmail can pin only MD5 fingerprints: a SHA-256 pin for the incoming
// server is refused with advice, one for the outgoing server is not its
// business.
func TestFetchmailRefusesSHA256Pin(t *testing.T) {
	pin := strings.Repeat("cd", 32)
	_, err := renderFetchmail(testAccounts[0].acct, Options{IncomingFingerprint: pin})
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Advice == "" {
		t.Fatalf("want UnsupportedError with advice, got %v", err)
	}
	if _, err := renderFetchmail(testAccounts[0].acct, Options{OutgoingFingerprint: pin}); err != nil {
		t.Errorf("outgoing pin: %v", err)
	}
	if _, err := renderFetchmail(loopbackPlain(), Options{IncomingFingerprint: pin}); err != nil {
		t.Errorf("pin for a plaintext server (nothing to pin): %v", err)
	}
}
