package testbed

import (
	"net/http"
	"slices"

	"mailsetup/mailcfg"
)

// Autodiscover's routes, redirects and failures, one domain each. Every
// route is served alone, so the route a recommendation names proves which
// one found it; the mail servers are named mailhost.<domain>, which no
// guess finds.

// adStandard are the three servers most Autodiscover scenarios name.
func adStandard(host string) []mailcfg.Server {
	return []mailcfg.Server{
		{Protocol: mailcfg.POP3, Host: host, Port: 995, Security: mailcfg.TLS},
		{Protocol: mailcfg.IMAP, Host: host, Port: 993, Security: mailcfg.TLS},
		{Protocol: mailcfg.SMTP, Host: host, Port: 465, Security: mailcfg.TLS},
	}
}

// adPopXML uses Type POP and the Encryption and SSL elements: SSL on over
// 110, Encryption TLS over 143 and Auto over 587 all mean STARTTLS.
const adPopXML = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>POP</Type>
        <Server>mailhost.ad-pop.test</Server>
        <Port>110</Port>
        <LoginName>%EMAILADDRESS%</LoginName>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>IMAP</Type>
        <Server>mailhost.ad-pop.test</Server>
        <Port>143</Port>
        <Encryption>TLS</Encryption>
      </Protocol>
      <Protocol>
        <Type>SMTP</Type>
        <Server>mailhost.ad-pop.test</Server>
        <Port>587</Port>
        <Encryption>Auto</Encryption>
        <AuthRequired>on</AuthRequired>
        <UsePOPAuth>on</UsePOPAuth>
        <SMTPLast>off</SMTPLast>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>
`

// autodiscoverScenarios declares the Autodiscover scenarios and starts
// their mail servers with start; autodiscoverWeb starts their web servers
// once the mail servers run.
func (b *Bed) autodiscoverScenarios(s *Scenarios, start func(*Scenario, DovecotOptions, func(*Dovecot))) {
	// One dovecot serves the mail of every route scenario, each under
	// its own mailhost name, which only that scenario's Autodiscover
	// answer gives: five fewer mail servers to start.
	withMail := map[*Scenario]string{}
	mail := func(sc *Scenario, host string) {
		sc.Sources = []string{"autodiscover"}
		withMail[sc] = host
	}

	s.ADRoot = newScenario(b, "adroot", "ad-root.test",
		"only POST https://ad-root.test/autodiscover/autodiscover.xml (the domain itself) knows it; it names mailhost.ad-root.test")
	s.ADRoot.Route = "https-domain"
	mail(s.ADRoot, "mailhost.ad-root.test")

	s.ADGet = newScenario(b, "adget", "ad-get.test",
		"only GET http://autodiscover.ad-get.test/Autodiscover/Autodiscover.xml answers, with a redirect to https://adhost.ad-get.test, which names mailhost.ad-get.test")
	s.ADGet.Route = "http-redirect"
	mail(s.ADGet, "mailhost.ad-get.test")

	s.ADSRV = newScenario(b, "adsrv", "ad-srv.test",
		"only the SRV record _autodiscover._tcp.ad-srv.test → adhost.ad-srv.test:443 leads to Autodiscover; it names mailhost.ad-srv.test")
	s.ADSRV.Route = "srv"
	mail(s.ADSRV, "mailhost.ad-srv.test")

	s.ADChain = newScenario(b, "adchain", "ad-chain.test",
		"Autodiscover answers redirectAddr twice (alice@one.ad-chain.test, then alice@two.ad-chain.test) before naming mailhost.ad-chain.test")
	s.ADChain.Route = "https-autodiscover"
	mail(s.ADChain, "mailhost.ad-chain.test")

	s.ADCross = newScenario(b, "adcross", "ad-cross.test",
		"Autodiscover answers redirectUrl to https://ad.ad-elsewhere.test, another domain, which names mailhost.ad-elsewhere.test: usable but untrusted")
	s.ADCross.Route, s.ADCross.Untrusted = "https-autodiscover", true
	mail(s.ADCross, "mailhost.ad-elsewhere.test")

	s.ADPop = newScenario(b, "adpop", "ad-pop.test",
		"Autodiscover names Type POP on 110 with SSL on, IMAP 143 with Encryption TLS and SMTP 587 with Encryption Auto: all STARTTLS")
	s.ADPop.Route = "https-autodiscover"
	mail(s.ADPop, "mailhost.ad-pop.test")

	o := DovecotOptions{Users: map[string]string{}}
	for sc, host := range withMail {
		o.Hosts = append(o.Hosts, host)
		o.Users[sc.Email] = sc.Password
	}
	slices.Sort(o.Hosts)
	owner := s.ADRoot // start files the address under one scenario; it moves to SharedIPs below
	start(owner, o, func(d *Dovecot) {
		owner.IPs = slices.DeleteFunc(owner.IPs, func(ip string) bool { return ip == d.IP })
		for sc, host := range withMail {
			sc.Dovecot, sc.SharedIPs = d, []string{d.IP}
			if sc == s.ADPop {
				sc.expect(d, host, 110, host, 143, host, 587)
			} else {
				sc.expect(d, host, 995, host, 993, host, 465)
			}
		}
	})

	s.ADLoop = newScenario(b, "adloop", "ad-loop.test",
		"Autodiscover answers redirectAddr alice@back.ad-loop.test, whose answer sends back to alice@ad-loop.test: a loop, nothing found")
	s.ADLoop.noRecommendation("")
	s.ADLoop.SourceNotes = map[string][]string{"autodiscover": {"redirect loop"}}

	s.ADThird = newScenario(b, "adthird", "ad-third.test",
		"Autodiscover answers redirectAddr three times in a row; the third is refused, so mailhost.ad-third.test is never reached")
	s.ADThird.noRecommendation("")
	s.ADThird.SourceNotes = map[string][]string{"autodiscover": {"third redirect"}}
	s.ADThird.NotCandidates = []string{"mailhost.ad-third.test"}

	s.ADHostile = newScenario(b, "adhostile", "ad-hostile.test",
		"every route misbehaves: the domain streams 2 MiB, autodiscover.ad-hostile.test answers text/html over HTTPS and a document without redirect over HTTP, the SRV target drips a byte a second")
	s.ADHostile.noRecommendation("")
	s.ADHostile.SourceNotes = map[string][]string{"autodiscover": {
		"larger than 1 MiB", "not XML", "nothing but a redirect", "in the time allowed"}}
	s.ADHostile.NotCandidates = []string{"mailhost.ad-hostile.test"}
	b.AddSRV("_autodiscover._tcp.ad-hostile.test", "slow.ad-hostile.test", 443, 0, 1)
	b.AddSRV("_autodiscover._tcp.ad-srv.test", "adhost.ad-srv.test", 443, 0, 1)
}

// autodiscoverWeb starts the web servers of the Autodiscover scenarios,
// each on addresses of its own.
func (b *Bed) autodiscoverWeb(s *Scenarios) error {
	cert := CertValid
	lastIP := ""
	// serve starts one web server; again puts it on the previous one's
	// address, for a name served both over HTTPS and plain HTTP.
	serve := func(sc *Scenario, again, tls bool, names []string, h http.Handler) error {
		ip := lastIP
		if !again {
			ip = b.NewIP()
			sc.IPs = append(sc.IPs, ip)
		}
		lastIP = ip
		port, c := 80, (*CertKind)(nil)
		if tls {
			port, c = 443, &cert
		}
		w, err := b.StartWeb(ip, port, names, c, h)
		if err != nil {
			return err
		}
		if sc.Web == nil {
			sc.Web = w
		}
		return nil
	}
	settings := func(host string) string { return AutodiscoverXML(adStandard(host)...) }
	// The chain's last answer names the original address as LoginName, so
	// the login stays the scenario's.
	chainServers := adStandard("mailhost.ad-chain.test")
	for i := range chainServers {
		chainServers[i].Username = s.ADChain.Email
	}
	chain := AutodiscoverXML(chainServers...)
	hostileDoc := settings("mailhost.ad-hostile.test")

	steps := []struct {
		sc    *Scenario
		again bool
		tls   bool
		names []string
		h     http.Handler
	}{
		{s.ADRoot, false, true, []string{"ad-root.test"}, AutodiscoverHandler(settings("mailhost.ad-root.test"))},
		{s.ADGet, false, false, []string{"autodiscover.ad-get.test"},
			AutodiscoverRedirectHandler("https://adhost.ad-get.test" + AutodiscoverPath)},
		{s.ADGet, false, true, []string{"adhost.ad-get.test"}, AutodiscoverHandler(settings("mailhost.ad-get.test"))},
		{s.ADSRV, false, true, []string{"adhost.ad-srv.test"}, AutodiscoverHandler(settings("mailhost.ad-srv.test"))},
		{s.ADChain, false, true, []string{"autodiscover.ad-chain.test", "autodiscover.one.ad-chain.test", "autodiscover.two.ad-chain.test"},
			AutodiscoverByAddress(map[string]string{
				"alice@ad-chain.test":     AutodiscoverRedirectAddrXML("alice@one.ad-chain.test"),
				"alice@one.ad-chain.test": AutodiscoverRedirectAddrXML("alice@two.ad-chain.test"),
				"alice@two.ad-chain.test": chain,
			})},
		{s.ADCross, false, true, []string{"autodiscover.ad-cross.test"},
			AutodiscoverHandler(AutodiscoverRedirectURLXML("https://ad.ad-elsewhere.test" + AutodiscoverPath))},
		{s.ADCross, false, true, []string{"ad.ad-elsewhere.test"}, AutodiscoverHandler(settings("mailhost.ad-elsewhere.test"))},
		{s.ADPop, false, true, []string{"autodiscover.ad-pop.test"}, AutodiscoverHandler(adPopXML)},
		{s.ADLoop, false, true, []string{"autodiscover.ad-loop.test", "autodiscover.back.ad-loop.test"},
			AutodiscoverByAddress(map[string]string{
				"alice@ad-loop.test":      AutodiscoverRedirectAddrXML("alice@back.ad-loop.test"),
				"alice@back.ad-loop.test": AutodiscoverRedirectAddrXML("alice@ad-loop.test"),
			})},
		{s.ADThird, false, true, []string{"autodiscover.ad-third.test", "autodiscover.r1.ad-third.test",
			"autodiscover.r2.ad-third.test", "autodiscover.r3.ad-third.test"},
			AutodiscoverByAddress(map[string]string{
				"alice@ad-third.test":    AutodiscoverRedirectAddrXML("alice@r1.ad-third.test"),
				"alice@r1.ad-third.test": AutodiscoverRedirectAddrXML("alice@r2.ad-third.test"),
				"alice@r2.ad-third.test": AutodiscoverRedirectAddrXML("alice@r3.ad-third.test"),
				"alice@r3.ad-third.test": settings("mailhost.ad-third.test"),
			})},
		{s.ADHostile, false, true, []string{"ad-hostile.test"}, AutodiscoverFaultHandler(ADOversized, hostileDoc)},
		{s.ADHostile, false, true, []string{"autodiscover.ad-hostile.test"}, AutodiscoverFaultHandler(ADWrongContentType, hostileDoc)},
		{s.ADHostile, true, false, []string{"autodiscover.ad-hostile.test"}, AutodiscoverFaultHandler(ADPlainDocument, hostileDoc)},
		{s.ADHostile, false, true, []string{"slow.ad-hostile.test"}, AutodiscoverFaultHandler(ADSlow, hostileDoc)},
	}
	for _, st := range steps {
		if err := serve(st.sc, st.again, st.tls, st.names, st.h); err != nil {
			return err
		}
	}
	return nil
}
