package perf

import (
	"fmt"

	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// Domains the login modes add to the bed.
const (
	// namedDomain's autoconfig document names a host that no guess
	// reaches, so its probe must wait for the document.
	namedDomain = "acnamed.test"
	namedHost   = "mailstore.acnamed.test"
	// slowIMAPDomain is slow.test for a user who prefers IMAP: 993
	// tarpitted, 465 blackholed, 143 and 587 (STARTTLS) working.
	slowIMAPDomain = "slowimap.test"
	slowIMAPHost   = "mail.slowimap.test"
)

// startLoginScenarios adds the login modes' own domains to the bed.
func (e *Env) startLoginScenarios() error {
	bed := e.Bed
	_, err := bed.StartDovecot(testbed.DovecotOptions{
		Hosts:    []string{namedHost},
		Users:    map[string]string{"alice@" + namedDomain: testbed.DefaultPassword},
		Services: listeners(995, 993, 465),
	})
	if err != nil {
		return fmt.Errorf("%s: %w", namedDomain, err)
	}
	doc := testbed.AutoconfigXML(namedDomain,
		server(mailcfg.POP3, namedHost, 995, mailcfg.TLS),
		server(mailcfg.IMAP, namedHost, 993, mailcfg.TLS),
		server(mailcfg.SMTP, namedHost, 465, mailcfg.TLS))
	cert := testbed.CertValid
	if _, err := bed.StartWeb(bed.NewIP(), 443, []string{"autoconfig." + namedDomain}, &cert, testbed.AutoconfigHandler(doc)); err != nil {
		return fmt.Errorf("%s: %w", namedDomain, err)
	}

	slow, err := bed.StartDovecot(testbed.DovecotOptions{
		Hosts:    []string{slowIMAPHost},
		Users:    map[string]string{"alice@" + slowIMAPDomain: testbed.DefaultPassword},
		Services: listeners(143, 587),
	})
	if err != nil {
		return fmt.Errorf("%s: %w", slowIMAPDomain, err)
	}
	if _, err := bed.StartFault(slow.IP, 993, testbed.Tarpit); err != nil {
		return fmt.Errorf("%s: %w", slowIMAPDomain, err)
	}
	bed.Blackhole(slow.IP, 465)
	return nil
}

// loginCases are the cases of the login modes for a user who prefers
// incoming protocol p: the rows (guess, SRV, an autoconfig document
// naming an unguessable host, STARTTLS only) and the discover cases.
func loginCases(s *testbed.Scenarios, p mailcfg.Protocol) []Case {
	pick := func(sc *testbed.Scenario) mailcfg.Server {
		if p == mailcfg.IMAP {
			return *sc.IncomingIMAP
		}
		return *sc.Incoming
	}
	ispdb404 := httpsFetch("ISPDB says 404")
	var out []Case
	add := func(c Case, names int, inLabel, outLabel string, before []Step, gates ...Path) {
		in := route{c.Incoming, probePath(inLabel, c.Incoming, before...)}
		outR := route{c.Outgoing, probePath(outLabel, c.Outgoing, before...)}
		c.Protocol, c.Password = p, testbed.DefaultPassword
		c.Floor, c.Rejected = loginFloors(in, outR, gates, names)
		out = append(out, c)
	}
	hp := func(srv mailcfg.Server) string { return srv.HostPort() }

	qqIn := server(mailcfg.POP3, "pop.qq.com", 995, mailcfg.TLS)
	if p == mailcfg.IMAP {
		qqIn = server(mailcfg.IMAP, "imap.qq.com", 993, mailcfg.TLS)
	}
	qq := Case{Name: "builtin", Email: "alice@qq.com", About: "qq.com from the built-in table; its hosts point at a local dovecot",
		Incoming: qqIn, Outgoing: server(mailcfg.SMTP, "smtp.qq.com", 465, mailcfg.TLS)}
	// A known provider names the login exactly: one name to try.
	add(qq, 1, hp(qq.Incoming)+" (built-in)", hp(qq.Outgoing)+" (built-in)", nil)

	srv := Case{Name: "srv", Email: s.SRV.Email, About: s.SRV.About, Incoming: pick(s.SRV), Outgoing: *s.SRV.Outgoing}
	add(srv, 2, hp(srv.Incoming)+" (guessed at once)", hp(srv.Outgoing)+" (guessed at once)", nil,
		Path{"SRV answers", []Step{stepSRV}})

	guess := Case{Name: "guess", Email: s.Guess.Email, About: s.Guess.About, Incoming: pick(s.Guess), Outgoing: *s.Guess.Outgoing}
	add(guess, 2, hp(guess.Incoming)+" (guessed)", hp(guess.Outgoing)+" (guessed)", nil, ispdb404)

	ac := Case{Name: "autoconfig", Email: s.Autoconfig.Email, About: s.Autoconfig.About, Incoming: pick(s.Autoconfig),
		Outgoing: *s.Autoconfig.Outgoing}
	add(ac, 2, hp(ac.Incoming)+" (guessed at once)", hp(ac.Outgoing)+" (guessed at once)", nil, httpsFetch("autoconfig document"))

	namedIn := server(mailcfg.POP3, namedHost, 995, mailcfg.TLS)
	if p == mailcfg.IMAP {
		namedIn = server(mailcfg.IMAP, namedHost, 993, mailcfg.TLS)
	}
	named := Case{Name: "autoconfig-named", Email: "alice@" + namedDomain,
		About:    "https://autoconfig." + namedDomain + "/mail/config-v1.1.xml names " + namedHost + ", which no guess reaches",
		Incoming: namedIn, Outgoing: server(mailcfg.SMTP, namedHost, 465, mailcfg.TLS)}
	// mailstore. is guessed by nobody: the probes wait for the document.
	add(named, 2, hp(named.Incoming), hp(named.Outgoing), []Step{httpsSteps("autoconfig")})

	ispdb := Case{Name: "ispdb", Email: s.ISPDB.Email, About: s.ISPDB.About, Incoming: pick(s.ISPDB), Outgoing: *s.ISPDB.Outgoing}
	add(ispdb, 2, hp(ispdb.Incoming), hp(ispdb.Outgoing), []Step{httpsSteps("ISPDB")})

	st := Case{Name: "starttls", Email: s.STARTTLS.Email, About: s.STARTTLS.About, Incoming: pick(s.STARTTLS),
		Outgoing: *s.STARTTLS.Outgoing}
	add(st, 2, hp(st.Incoming)+" (guessed)", hp(st.Outgoing)+" (guessed)", nil, ispdb404)

	tarpit := Case{Name: "tarpit", Email: s.Tarpit.Email, About: s.Tarpit.About, Slow: true, Incoming: pick(s.Tarpit),
		Outgoing: *s.Tarpit.Outgoing}
	add(tarpit, 2, hp(tarpit.Incoming)+" (guessed)", hp(tarpit.Outgoing)+" (guessed)", nil, ispdb404)

	slow := slowCase()
	if p == mailcfg.IMAP {
		slow = Case{Name: "slow", Email: "alice@" + slowIMAPDomain, Slow: true,
			About:    slowIMAPHost + ": 993 tarpitted (accepts, never speaks), 465 blackholed; 143 and 587 (STARTTLS) work",
			Incoming: server(mailcfg.IMAP, slowIMAPHost, 143, mailcfg.STARTTLS),
			Outgoing: server(mailcfg.SMTP, slowIMAPHost, 587, mailcfg.STARTTLS)}
	}
	add(slow, 2, hp(slow.Incoming)+" (guessed)", hp(slow.Outgoing)+" (guessed)", nil, ispdb404)
	return out
}
