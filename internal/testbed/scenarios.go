package testbed

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"mailsetup/mailcfg"
)

// Scenario is one standard domain: what is set up for it and what the
// engine should conclude. Expected servers carry Username = Email.
type Scenario struct {
	Name     string // short key: "srv", "guess", …
	Domain   string
	Email    string // alice@Domain
	Password string // DefaultPassword
	About    string // what the scenario shows, in one sentence

	// DNS is the server the engine must be pointed at (--dns): the bed's,
	// or the dead one for the dead-DNS scenario.
	DNS string
	// ProviderID is the built-in provider the domain should be recognised
	// as, if any.
	ProviderID string
	// Incoming is the expected recommended incoming server with the default
	// protocol preference (POP3); IncomingIMAP with --protocol imap;
	// Outgoing the expected SMTP server. Nil: nothing should be recommended.
	Incoming, IncomingIMAP, Outgoing *mailcfg.Server
	// Sources lists the discovery sources that must report the recommended
	// servers (others may too, e.g. guess).
	Sources []string
	// Status is what the recommended servers' probes end with, or, when
	// nothing is recommended, what the scenario's servers end with; empty
	// when more than one status is reasonable.
	Status mailcfg.Status
	// Untrusted means the recommended servers came from an untrusted
	// source (an SRV target outside the domain): a login needs consent.
	Untrusted bool
	// LoginOK tells whether a login with Email/Password on the recommended
	// servers must succeed.
	LoginOK bool
	// Route is the Autodiscover route (discover.Route* names) the
	// recommended servers must name in their routes; "" when none.
	Route string
	// SourceNotes maps a source name to words its error must contain: the
	// clear note a failed search ends with (a redirect loop, an oversized
	// answer …).
	SourceNotes map[string][]string
	// NotCandidates are hosts that must not appear among the candidates
	// at all (named only where nothing may be taken).
	NotCandidates []string
	// SharedIPs are addresses of a server several scenarios share (the
	// Autodiscover scenarios' mail server, under names only their
	// Autodiscover answers give).
	SharedIPs []string

	IPs     []string   // the loopback addresses the scenario uses
	Dovecot *Dovecot   // the main mail server, nil if none
	Web     *WebServer // the autoconfig, ISPDB or Autodiscover server, if any
	// OAuth is the authorization server whose tokens the scenario's
	// dovecot takes (oauth.test only).
	OAuth *OAuthServer
}

// Scenarios holds every standard scenario.
type Scenarios struct {
	SRV, SRVOut, Guess, Hosted, Autoconfig, ISPDB, Autodiscover *Scenario
	STARTTLS, Plain, WrongName, Expired, SelfSigned, Tarpit     *Scenario
	NXDomain, DeadDNS, OAuth                                    *Scenario

	// ISPDBURL is where the ISPDB look-alike answers (the real URL, which
	// the bed's DNS and port map send to the look-alike).
	ISPDBURL string

	// Autodiscover's other routes, redirects and failures (see
	// scenarios_autodiscover.go).
	ADRoot, ADGet, ADSRV, ADChain, ADCross, ADPop *Scenario
	ADLoop, ADThird, ADHostile                    *Scenario
}

// All lists the scenarios in a fixed order.
func (s *Scenarios) All() []*Scenario {
	return []*Scenario{s.SRV, s.SRVOut, s.Guess, s.Hosted, s.Autoconfig, s.ISPDB, s.Autodiscover,
		s.ADRoot, s.ADGet, s.ADSRV, s.ADChain, s.ADCross, s.ADPop, s.ADLoop, s.ADThird, s.ADHostile,
		s.STARTTLS, s.Plain, s.WrongName, s.Expired, s.SelfSigned, s.Tarpit, s.NXDomain, s.DeadDNS, s.OAuth}
}

// ByDomain finds a scenario by its domain, or nil.
func (s *Scenarios) ByDomain(domain string) *Scenario {
	for _, sc := range s.All() {
		if strings.EqualFold(sc.Domain, domain) {
			return sc
		}
	}
	return nil
}

// ByName finds a scenario by its short name, or nil.
func (s *Scenarios) ByName(name string) *Scenario {
	for _, sc := range s.All() {
		if sc.Name == name {
			return sc
		}
	}
	return nil
}

// Standard builds every standard scenario once per bed (later calls return
// the same set). They live as long as the bed, not t's test, since tests
// sharing a bed share them; t only reports failure.
func (b *Bed) Standard(t testing.TB) *Scenarios {
	if t != nil {
		t.Helper()
	}
	s, err := b.StartStandard()
	if err != nil {
		fail(t, err)
	}
	return s
}

// StartStandard is Standard for callers without a testing.TB.
func (b *Bed) StartStandard() (*Scenarios, error) {
	b.scenarioOnce.Do(func() { b.scenarios, b.scenarioErr = b.buildStandard() })
	return b.scenarios, b.scenarioErr
}

func newScenario(b *Bed, name, domain, about string) *Scenario {
	return &Scenario{Name: name, Domain: domain, Email: "alice@" + domain, Password: DefaultPassword,
		About: about, DNS: b.DNSAddr, Status: mailcfg.StatusOK, LoginOK: true}
}

// expect fills the expected servers from d's listeners for host names.
func (sc *Scenario) expect(d *Dovecot, pop3Host string, pop3Port int, imapHost string, imapPort int, smtpHost string, smtpPort int) {
	server := func(host string, port int) *mailcfg.Server {
		if host == "" {
			return nil
		}
		s := d.Server(host, port)
		s.Username = sc.Email
		return &s
	}
	sc.Incoming = server(pop3Host, pop3Port)
	sc.IncomingIMAP = server(imapHost, imapPort)
	sc.Outgoing = server(smtpHost, smtpPort)
}

func (sc *Scenario) noRecommendation(status mailcfg.Status) {
	sc.Incoming, sc.IncomingIMAP, sc.Outgoing = nil, nil, nil
	sc.Status, sc.LoginOK = status, false
}

func listeners(ports ...int) []Listener {
	ls := make([]Listener, len(ports))
	for i, p := range ports {
		ls[i] = Listener{StdPort: p}
	}
	return ls
}

func (b *Bed) buildStandard() (*Scenarios, error) {
	s := &Scenarios{ISPDBURL: ISPDBURL}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	// Every dovecot starts at once: each takes a few hundred milliseconds,
	// mostly waiting on its config process.
	start := func(sc *Scenario, o DovecotOptions, then func(d *Dovecot)) {
		o.IP = b.NewIP()
		if o.Users == nil {
			o.Users = map[string]string{sc.Email: sc.Password}
		}
		sc.IPs = append(sc.IPs, o.IP)
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := b.StartDovecot(o)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, errors.New(sc.Domain+": "+err.Error()))
				return
			}
			then(d)
		}()
	}
	setMain := func(sc *Scenario) func(d *Dovecot) { return func(d *Dovecot) { sc.Dovecot = d } }

	// srv.test: SRV records only (RFC 6186 / 8314), targets inside the domain.
	s.SRV = newScenario(b, "srv", "srv.test", "SRV records only, targets inside the domain (mail.srv.test); _pop3 and _imap say \".\" (not offered)")
	s.SRV.Sources = []string{"srv"}
	start(s.SRV, DovecotOptions{Hosts: []string{"mail.srv.test"}, Services: listeners(995, 993, 465, 587)}, func(d *Dovecot) {
		s.SRV.Dovecot = d
		s.SRV.expect(d, "mail.srv.test", 995, "mail.srv.test", 993, "mail.srv.test", 465)
	})
	b.AddSRV("_pop3s._tcp.srv.test", "mail.srv.test", 995, 0, 1)
	b.AddSRV("_imaps._tcp.srv.test", "mail.srv.test", 993, 0, 1)
	b.AddSRV("_submissions._tcp.srv.test", "mail.srv.test", 465, 0, 1)
	b.AddSRV("_submission._tcp.srv.test", "mail.srv.test", 587, 0, 1)
	b.AddSRV("_pop3._tcp.srv.test", ".", 0, 0, 0)
	b.AddSRV("_imap._tcp.srv.test", ".", 0, 0, 0)

	// srvout.test: SRV records pointing outside the domain — untrusted.
	s.SRVOut = newScenario(b, "srvout", "srvout.test", "SRV records whose target lies outside the domain (mail.elsewhere.test): usable but untrusted")
	s.SRVOut.Sources, s.SRVOut.Untrusted = []string{"srv"}, true
	start(s.SRVOut, DovecotOptions{Hosts: []string{"mail.elsewhere.test"}, Services: listeners(995, 993, 465)}, func(d *Dovecot) {
		s.SRVOut.Dovecot = d
		s.SRVOut.expect(d, "mail.elsewhere.test", 995, "mail.elsewhere.test", 993, "mail.elsewhere.test", 465)
	})
	b.AddSRV("_pop3s._tcp.srvout.test", "mail.elsewhere.test", 995, 0, 1)
	b.AddSRV("_imaps._tcp.srvout.test", "mail.elsewhere.test", 993, 0, 1)
	b.AddSRV("_submissions._tcp.srvout.test", "mail.elsewhere.test", 465, 0, 1)

	// guess.test: only A records; pop./imap./smtp. offer implicit TLS, the
	// mail. host only STARTTLS, so the best guess is unique.
	s.Guess = newScenario(b, "guess", "guess.test", "only A records: pop./imap./smtp.guess.test (all ports, TLS) and mail.guess.test (STARTTLS only)")
	s.Guess.Sources = []string{"guess"}
	start(s.Guess, DovecotOptions{Hosts: []string{"pop.guess.test", "imap.guess.test", "smtp.guess.test"}}, func(d *Dovecot) {
		s.Guess.Dovecot = d
		s.Guess.expect(d, "pop.guess.test", 995, "imap.guess.test", 993, "smtp.guess.test", 465)
	})
	start(s.Guess, DovecotOptions{Hosts: []string{"mail.guess.test"}, Services: listeners(110, 143, 587)}, func(*Dovecot) {})

	// hosted.test: MX at Tencent Exmail; the provider's hosts are served here.
	s.Hosted = newScenario(b, "hosted", "hosted.test", "MX mxbiz1/mxbiz2.qq.com reveals Tencent Exmail; pop/imap/smtp.exmail.qq.com are served by the bed")
	s.Hosted.Sources, s.Hosted.ProviderID = []string{"mx"}, "exmail"
	b.AddMX("hosted.test", "mxbiz1.qq.com", 10)
	b.AddMX("hosted.test", "mxbiz2.qq.com", 20)
	start(s.Hosted, DovecotOptions{Hosts: []string{"pop.exmail.qq.com", "imap.exmail.qq.com", "smtp.exmail.qq.com"},
		Services: listeners(995, 993, 465)}, func(d *Dovecot) {
		s.Hosted.Dovecot = d
		s.Hosted.expect(d, "pop.exmail.qq.com", 995, "imap.exmail.qq.com", 993, "smtp.exmail.qq.com", 465)
	})

	// autoconfig.test: the provider's own autoconfig file over HTTPS.
	s.Autoconfig = newScenario(b, "autoconfig", "autoconfig.test", "https://autoconfig.autoconfig.test/mail/config-v1.1.xml names mail.autoconfig.test")
	s.Autoconfig.Sources = []string{"autoconfig"}
	start(s.Autoconfig, DovecotOptions{Hosts: []string{"mail.autoconfig.test"}, Services: listeners(995, 993, 465, 587)}, func(d *Dovecot) {
		s.Autoconfig.Dovecot = d
		s.Autoconfig.expect(d, "mail.autoconfig.test", 995, "mail.autoconfig.test", 993, "mail.autoconfig.test", 465)
	})

	// ispdb.test: only the ISPDB knows it, and names a host nobody guesses.
	s.ISPDB = newScenario(b, "ispdb", "ispdb.test", "only the ISPDB look-alike knows it; it names mailhost.ispdb.test, which guessing cannot find (nothing with --offline)")
	s.ISPDB.Sources = []string{"ispdb"}
	start(s.ISPDB, DovecotOptions{Hosts: []string{"mailhost.ispdb.test"}, Services: listeners(995, 993, 465)}, func(d *Dovecot) {
		s.ISPDB.Dovecot = d
		s.ISPDB.expect(d, "mailhost.ispdb.test", 995, "mailhost.ispdb.test", 993, "mailhost.ispdb.test", 465)
	})

	// autodiscover.test: only Autodiscover (POX) knows it.
	s.Autodiscover = newScenario(b, "autodiscover", "autodiscover.test", "only https://autodiscover.autodiscover.test/autodiscover/autodiscover.xml (POST) knows it; it names mailhost.autodiscover.test")
	s.Autodiscover.Sources, s.Autodiscover.Route = []string{"autodiscover"}, "https-autodiscover"
	start(s.Autodiscover, DovecotOptions{Hosts: []string{"mailhost.autodiscover.test"}, Services: listeners(995, 993, 465)}, func(d *Dovecot) {
		s.Autodiscover.Dovecot = d
		s.Autodiscover.expect(d, "mailhost.autodiscover.test", 995, "mailhost.autodiscover.test", 993, "mailhost.autodiscover.test", 465)
	})

	b.autodiscoverScenarios(s, start)

	// starttls.test: no implicit TLS anywhere.
	s.STARTTLS = newScenario(b, "starttls", "starttls.test", "mail.starttls.test offers only STARTTLS: 110, 143, 587")
	s.STARTTLS.Sources = []string{"guess"}
	start(s.STARTTLS, DovecotOptions{Hosts: []string{"mail.starttls.test"}, Services: listeners(110, 143, 587)}, func(d *Dovecot) {
		s.STARTTLS.Dovecot = d
		s.STARTTLS.expect(d, "mail.starttls.test", 110, "mail.starttls.test", 143, "mail.starttls.test", 587)
	})

	// plain.test: no TLS at all.
	s.Plain = newScenario(b, "plain", "plain.test", "mail.plain.test speaks plaintext only (110, 143, 25): recommended only as insecure, login needs --allow-insecure")
	s.Plain.Sources, s.Plain.Status = []string{"guess"}, mailcfg.StatusInsecure
	start(s.Plain, DovecotOptions{Hosts: []string{"mail.plain.test"}, PlaintextOnly: true}, func(d *Dovecot) {
		s.Plain.Dovecot = d
		s.Plain.expect(d, "mail.plain.test", 110, "mail.plain.test", 143, "mail.plain.test", 25)
	})

	// Certificates that fail verification: nothing may be recommended.
	for _, c := range []struct {
		sc   **Scenario
		name string
		kind CertKind
		what string
	}{
		{&s.WrongName, "wrongname", CertWrongName, "a certificate for " + WrongCertName + " only"},
		{&s.Expired, "expired", CertExpired, "a certificate that expired a month ago"},
		{&s.SelfSigned, "selfsigned", CertSelfSigned, "a self-signed certificate"},
	} {
		domain := c.name + ".test"
		sc := newScenario(b, c.name, domain, "mail."+domain+" (995, 993, 465, 587) presents "+c.what+": cert_invalid, nothing recommended")
		sc.Sources = []string{"guess"}
		sc.noRecommendation(mailcfg.StatusCertInvalid)
		*c.sc = sc
		start(sc, DovecotOptions{Hosts: []string{"mail." + domain}, Cert: c.kind, Services: listeners(995, 993, 465, 587)}, setMain(sc))
	}

	// tarpit.test: 995 never answers and 465 is blackholed, beside a
	// working 993 and 587; the answer must not wait for their timeouts.
	s.Tarpit = newScenario(b, "tarpit", "tarpit.test", "mail.tarpit.test: 995 accepts and never speaks, 465 is blackholed; 993 and 587 work")
	s.Tarpit.Sources = []string{"guess"}
	start(s.Tarpit, DovecotOptions{Hosts: []string{"mail.tarpit.test"}, Services: listeners(993, 587)}, func(d *Dovecot) {
		s.Tarpit.Dovecot = d
		s.Tarpit.expect(d, "mail.tarpit.test", 993, "mail.tarpit.test", 993, "mail.tarpit.test", 587)
	})

	// oauth.test: SRV records like srv.test, and a dovecot that takes
	// OAuth2 tokens from https://auth.oauth.test (besides the password).
	s.OAuth = newScenario(b, "oauth", "oauth.test", "SRV records name mail.oauth.test, whose dovecot also takes OAuth2 tokens (XOAUTH2, OAUTHBEARER) issued by https://auth.oauth.test to client "+OAuthClientID)
	s.OAuth.Sources = []string{"srv"}
	as, err := b.StartOAuth(OAuthOptions{IP: b.NewIP(), Host: "auth.oauth.test", Users: map[string]string{s.OAuth.Email: s.OAuth.Password}})
	if err != nil {
		return nil, err
	}
	s.OAuth.OAuth, s.OAuth.IPs = as, append(s.OAuth.IPs, as.IP)
	start(s.OAuth, DovecotOptions{Hosts: []string{"mail.oauth.test"}, Services: listeners(995, 110, 993, 143, 465, 587), OAuth: as}, func(d *Dovecot) {
		s.OAuth.Dovecot = d
		s.OAuth.expect(d, "mail.oauth.test", 995, "mail.oauth.test", 993, "mail.oauth.test", 465)
	})
	b.AddSRV("_pop3s._tcp.oauth.test", "mail.oauth.test", 995, 0, 1)
	b.AddSRV("_imaps._tcp.oauth.test", "mail.oauth.test", 993, 0, 1)
	b.AddSRV("_submissions._tcp.oauth.test", "mail.oauth.test", 465, 0, 1)
	b.AddSRV("_submission._tcp.oauth.test", "mail.oauth.test", 587, 0, 1)

	s.NXDomain = newScenario(b, "nxdomain", "nxdomain.test", "the domain does not exist: every name answers NXDOMAIN")
	s.NXDomain.noRecommendation(mailcfg.StatusUnresolved)

	s.DeadDNS = newScenario(b, "deaddns", "deaddns.test", "the DNS server (DNS field) never answers: nothing can be resolved, the answer must still come within the timeout")
	s.DeadDNS.DNS = b.DeadDNSAddr()
	s.DeadDNS.noRecommendation("")

	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	// Web servers and faults start quickly; they go after the dovecots so
	// the tarpit shares its dovecot's address.
	acXML := AutoconfigXML("autoconfig.test",
		mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.autoconfig.test", Port: 995, Security: mailcfg.TLS},
		mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.autoconfig.test", Port: 993, Security: mailcfg.TLS},
		mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.autoconfig.test", Port: 465, Security: mailcfg.TLS},
		mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.autoconfig.test", Port: 587, Security: mailcfg.STARTTLS})
	cert := CertValid
	w, err := b.StartWeb(b.NewIP(), 443, []string{"autoconfig.autoconfig.test"}, &cert, AutoconfigHandler(acXML))
	if err != nil {
		return nil, err
	}
	s.Autoconfig.Web, s.Autoconfig.IPs = w, append(s.Autoconfig.IPs, w.IP)

	ispdbXML := AutoconfigXML("ispdb.test",
		mailcfg.Server{Protocol: mailcfg.POP3, Host: "mailhost.ispdb.test", Port: 995, Security: mailcfg.TLS},
		mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mailhost.ispdb.test", Port: 993, Security: mailcfg.TLS},
		mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mailhost.ispdb.test", Port: 465, Security: mailcfg.TLS})
	if w, err = b.StartWeb(b.NewIP(), 443, []string{ISPDBHost}, &cert, ISPDBHandler(map[string]string{"ispdb.test": ispdbXML})); err != nil {
		return nil, err
	}
	s.ISPDB.Web, s.ISPDB.IPs = w, append(s.ISPDB.IPs, w.IP)

	adXML := AutodiscoverXML(
		mailcfg.Server{Protocol: mailcfg.POP3, Host: "mailhost.autodiscover.test", Port: 995, Security: mailcfg.TLS},
		mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mailhost.autodiscover.test", Port: 993, Security: mailcfg.TLS},
		mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mailhost.autodiscover.test", Port: 465, Security: mailcfg.TLS})
	if w, err = b.StartWeb(b.NewIP(), 443, []string{"autodiscover.autodiscover.test"}, &cert, AutodiscoverHandler(adXML)); err != nil {
		return nil, err
	}
	s.Autodiscover.Web, s.Autodiscover.IPs = w, append(s.Autodiscover.IPs, w.IP)
	if err := b.autodiscoverWeb(s); err != nil {
		return nil, err
	}

	if _, err := b.StartFault(s.Tarpit.Dovecot.IP, 995, Tarpit); err != nil {
		return nil, err
	}
	b.Blackhole(s.Tarpit.Dovecot.IP, 465)
	return s, nil
}
