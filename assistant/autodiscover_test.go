package assistant

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"mailsetup/discover"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// A Microsoft 365 domain is recognised from Autodiscover (its plain-HTTP
// route redirecting to Microsoft's Autodiscover, which wants a sign-in)
// and from MX (both the classic and the DNSSEC form), and then gets
// Exchange Online's servers and the note on OAuth2 and SMTP AUTH. Microsoft's
// host names are served by a dovecot of the bed.
func TestExchangeOnline(t *testing.T) {
	t.Parallel()
	users := map[string]string{}
	for _, d := range []string{"m365-ad.test", "m365-mx.test", "m365-dnssec.test"} {
		users["alice@"+d] = testbed.DefaultPassword
	}
	d := bed.Dovecot(t, testbed.DovecotOptions{Hosts: []string{"outlook.office365.com", "smtp.office365.com"},
		Users: users, Services: []testbed.Listener{{StdPort: 993}, {StdPort: 995}, {StdPort: 587}}})
	ip := bed.NewIP()
	bed.HTTP(t, ip, []string{"autodiscover.m365-ad.test"},
		testbed.AutodiscoverRedirectHandler("https://autodiscover-s.outlook.com"+testbed.AutodiscoverGETPath))
	ms := bed.HTTPS(t, bed.NewIP(), []string{"autodiscover-s.outlook.com"}, testbed.CertValid,
		testbed.AutodiscoverFaultHandler(testbed.ADLoginRequired, ""))
	bed.AddMX("m365-mx.test", "m365-mx-test.mail.protection.outlook.com", 0)
	bed.AddMX("m365-dnssec.test", "m365-dnssec-test.o-v1.mx.microsoft", 0)

	tests := []struct {
		email   string
		offline bool // offline, Microsoft's Autodiscover is not asked: the redirect tells
		source  discover.SourceName
	}{
		{"alice@m365-ad.test", false, discover.SourceAutodiscover},
		{"alice@m365-ad.test", true, discover.SourceAutodiscover},
		{"alice@m365-mx.test", true, discover.SourceMX},
		{"alice@m365-dnssec.test", true, discover.SourceMX},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/offline=%v", tt.email, tt.offline), func(t *testing.T) {
			e := bedEngine(t, Options{Protocol: mailcfg.IMAP, Offline: tt.offline})
			rep, err := e.Discover(context.Background(), tt.email)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Provider == nil || rep.Provider.ID != "microsoft365" {
				t.Errorf("provider %+v, want microsoft365", rep.Provider)
			}
			want := map[mailcfg.Role]mailcfg.Server{
				mailcfg.Incoming: d.Server("outlook.office365.com", 993),
				mailcfg.Outgoing: d.Server("smtp.office365.com", 587),
			}
			for role, w := range want {
				best := rep.Best(role)
				if best == nil || best.Host != w.Host || best.Port != w.Port || best.Security != w.Security {
					t.Errorf("%s: %+v, want %s", role, best, w.HostPort())
					continue
				}
				if !slices.Contains(best.Sources, tt.source) || !best.Trusted || best.Username != tt.email {
					t.Errorf("%s: sources %v trusted %v user %s", role, best.Sources, best.Trusted, best.Username)
				}
				if tt.source == discover.SourceAutodiscover && !namesRoute(best, discover.RouteHTTPRedirect) {
					t.Errorf("%s: routes %+v", role, best.Routes)
				}
			}
			ids := hintIDs(rep.Notes)
			if !slices.Contains(ids, "note_m365") {
				t.Errorf("notes %v lack note_m365", ids)
			}
		})
	}
	// Asked once, online, without credentials (a 401 answer is the sign).
	if got := ms.Requests(); len(got) != 1 || got[0] != "POST "+testbed.AutodiscoverGETPath {
		t.Errorf("Microsoft's Autodiscover was asked %q", got)
	}
}

// A server only a cross-domain Autodiscover redirect named is never sent
// the password without consent; with consent the login works.
func TestAutodiscoverCrossDomainConsent(t *testing.T) {
	t.Parallel()
	sc := scenarios.ADCross
	e := bedEngine(t, Options{})
	rep := checkAddress(t, e, sc.Email, LoginRequest{Password: sc.Password})
	for _, o := range []*LoginOutcome{rep.Login.Incoming, rep.Login.Outgoing} {
		if o.OK || !strings.Contains(o.Error, "untrusted") || !strings.Contains(o.Error, "outside ad-cross.test") {
			t.Errorf("%s without consent: ok %v, error %q", o.Server.HostPort(), o.OK, o.Error)
		}
	}
	if log := sc.Dovecot.Log(); strings.Contains(log, sc.Email) {
		t.Errorf("the server saw the user before consent:\n%s", log)
	}
	rep = checkAddress(t, e, sc.Email, LoginRequest{Password: sc.Password, Grants: Grants{UntrustedSource: Grant{All: true}}})
	if !rep.Login.OK() {
		t.Errorf("with consent: %+v / %+v", rep.Login.Incoming, rep.Login.Outgoing)
	}
	if !sc.Dovecot.LogContains(sc.Email) { // the log does name users that log in
		t.Errorf("the consented login left no trace in the server's log")
	}
}
