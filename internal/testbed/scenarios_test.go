package testbed

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"mailsetup/internal/portmap"
	"mailsetup/mailcfg"
)

// login signs in to srv as a mail client configured with it would,
// resolving its host through the bed's DNS.
func login(t *testing.T, b *Bed, srv mailcfg.Server, pass string) {
	t.Helper()
	ip := resolveA(t, b, srv.Host)
	tlsName := ""
	if srv.Security == mailcfg.TLS {
		tlsName = srv.Host
	}
	c := dial(t, b, ip, srv.Port, tlsName)
	switch srv.Protocol {
	case mailcfg.POP3:
		c.expect("+OK")
		if srv.Security == mailcfg.STARTTLS {
			c.expectCode("+OK", "STLS")
			c.startTLS(b, srv.Host)
		}
		c.expectCode("+OK", "USER %s", srv.Username)
		c.expectCode("+OK", "PASS %s", pass)
	case mailcfg.IMAP:
		c.expect("* OK")
		if srv.Security == mailcfg.STARTTLS {
			c.send("s STARTTLS")
			c.untilTagged("s")
			c.startTLS(b, srv.Host)
		}
		c.send(`l LOGIN "%s" "%s"`, srv.Username, pass)
		if l := c.untilTagged("l"); !strings.HasPrefix(l[len(l)-1], "l OK") {
			t.Fatalf("IMAP LOGIN on %s: %q", srv, l)
		}
	case mailcfg.SMTP:
		c.smtp(220, "")
		c.smtp(250, "EHLO client.test")
		if srv.Security == mailcfg.STARTTLS {
			c.smtp(220, "STARTTLS")
			c.startTLS(b, srv.Host)
			c.smtp(250, "EHLO client.test")
		}
		c.smtp(235, "AUTH PLAIN %s", plainAuth(srv.Username, pass))
	}
}

func TestStandardScenarios(t *testing.T) {
	t.Parallel()
	b := Start(t)
	s := b.Standard(t)
	if again := b.Standard(t); again != s {
		t.Error("Standard built the scenarios twice")
	}
	names := map[string]bool{}
	ips := map[string]string{}
	for _, sc := range s.All() {
		if sc == nil || names[sc.Name] || s.ByDomain(sc.Domain) != sc || s.ByName(sc.Name) != sc {
			t.Fatalf("scenario %+v missing, duplicated or not found by name and domain", sc)
		}
		names[sc.Name] = true
		for _, ip := range sc.IPs {
			if other, ok := ips[ip]; ok {
				t.Errorf("%s shares %s with %s", sc.Name, ip, other)
			}
			ips[ip] = sc.Name
		}
		if sc.Email != "alice@"+sc.Domain || sc.Password != DefaultPassword {
			t.Errorf("%s: user %s / %s", sc.Name, sc.Email, sc.Password)
		}
	}

	for _, sc := range s.All() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			if sc.Incoming == nil {
				if sc.LoginOK || sc.Outgoing != nil || sc.IncomingIMAP != nil {
					t.Errorf("half an expectation: %+v", sc)
				}
				return
			}
			for _, srv := range []*mailcfg.Server{sc.Incoming, sc.IncomingIMAP, sc.Outgoing} {
				if ip := resolveA(t, b, srv.Host); !slices.Contains(sc.IPs, ip) && !slices.Contains(sc.SharedIPs, ip) {
					t.Errorf("%s resolves to %s, not one of the scenario's %v", srv.Host, ip, append(sc.IPs, sc.SharedIPs...))
				}
				if srv.Username != sc.Email {
					t.Errorf("%s: username %q", srv, srv.Username)
				}
				login(t, b, *srv, sc.Password)
			}
			wantStatus := mailcfg.StatusOK
			if sc.Incoming.Security == mailcfg.None {
				wantStatus = mailcfg.StatusInsecure
			}
			if sc.Status != wantStatus {
				t.Errorf("status %q, want %q", sc.Status, wantStatus)
			}
		})
	}

	t.Run("records", func(t *testing.T) {
		t.Parallel()
		srvTarget := func(name string) string {
			r := lookup(t, b.DNSAddr, "udp", name, dns.TypeSRV)
			if len(r.Answer) != 1 {
				t.Fatalf("%s: %v", name, r.Answer)
			}
			return r.Answer[0].(*dns.SRV).Target
		}
		if got := srvTarget("_pop3s._tcp.srv.test"); got != "mail.srv.test." {
			t.Errorf("srv.test SRV target %s", got)
		}
		if got := srvTarget("_pop3._tcp.srv.test"); got != "." {
			t.Errorf("srv.test _pop3 target %s, want .", got)
		}
		if got := srvTarget("_imaps._tcp.srvout.test"); got != "mail.elsewhere.test." {
			t.Errorf("srvout.test SRV target %s", got)
		}
		mx := lookup(t, b.DNSAddr, "tcp", "hosted.test", dns.TypeMX)
		if len(mx.Answer) != 2 || !strings.Contains(mx.Answer[0].String()+mx.Answer[1].String(), "mxbiz1.qq.com.") {
			t.Errorf("hosted.test MX %v", mx.Answer)
		}
		for _, name := range []string{"nxdomain.test", "mail.nxdomain.test", "pop.srv.test", "pop3.guess.test"} {
			if r := lookup(t, b.DNSAddr, "udp", name, dns.TypeA); r.Rcode != dns.RcodeNameError {
				t.Errorf("%s: rcode %s, want NXDOMAIN", name, dns.RcodeToString[r.Rcode])
			}
		}
		if s.DeadDNS.DNS != b.DeadDNSAddr() || s.SRV.DNS != b.DNSAddr {
			t.Errorf("DNS servers: dead scenario %s, srv %s", s.DeadDNS.DNS, s.SRV.DNS)
		}
	})

	t.Run("documents", func(t *testing.T) {
		t.Parallel()
		c := httpClient(t, b)
		if _, body := get(t, c, "GET", "https://autoconfig.autoconfig.test"+AutoconfigPath, ""); !strings.Contains(body, "mail.autoconfig.test") {
			t.Errorf("autoconfig: %s", body)
		}
		if _, body := get(t, c, "GET", s.ISPDBURL+"ispdb.test", ""); !strings.Contains(body, "mailhost.ispdb.test") {
			t.Errorf("ISPDB: %s", body)
		}
		_, body := get(t, c, "POST", "https://autodiscover.autodiscover.test"+AutodiscoverPath,
			"<Autodiscover><Request><EMailAddress>alice@autodiscover.test</EMailAddress></Request></Autodiscover>")
		if !strings.Contains(body, "mailhost.autodiscover.test") || !strings.Contains(body, "<LoginName>alice@autodiscover.test</LoginName>") {
			t.Errorf("Autodiscover: %s", body)
		}
	})

	t.Run("certificates", func(t *testing.T) {
		t.Parallel()
		for _, sc := range []*Scenario{s.WrongName, s.Expired, s.SelfSigned} {
			host := "mail." + sc.Domain
			for _, port := range []int{995, 993, 465} {
				c, err := rawDial(t, b, resolveA(t, b, host), port)
				if err != nil {
					t.Fatal(err)
				}
				tc := tls.Client(c, b.ClientTLS(host))
				c.SetDeadline(time.Now().Add(5 * time.Second))
				err = tc.Handshake()
				var (
					invalid  x509.CertificateInvalidError
					hostname x509.HostnameError
					unknown  x509.UnknownAuthorityError
				)
				ok := map[string]bool{
					"wrongname":  errors.As(err, &hostname),
					"expired":    errors.As(err, &invalid) && invalid.Reason == x509.Expired,
					"selfsigned": errors.As(err, &unknown),
				}[sc.Name]
				if !ok {
					t.Errorf("%s:%d: handshake error %v, not the failure %s names", host, port, err, sc.Name)
				}
			}
		}
	})

	t.Run("tarpit faults", func(t *testing.T) {
		t.Parallel()
		ip := s.Tarpit.Dovecot.IP
		m := b.PortMap()
		if m[hostPort(ip, 465)] != portmap.Blackhole || m[hostPort(ip, 995)] == "" {
			t.Fatalf("map for %s: 465→%q 995→%q", ip, m[hostPort(ip, 465)], m[hostPort(ip, 995)])
		}
		c, err := rawDial(t, b, ip, 995)
		if err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); !isTimeout(err) {
			t.Errorf("995 spoke: %v", err)
		}
	})
}
