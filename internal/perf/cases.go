package perf

import (
	"errors"
	"fmt"

	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// Case is one benchmarked domain: the address, the servers the engine
// must recommend, and the critical paths that make up its floor.
type Case struct {
	Name  string
	Email string
	About string
	// Slow marks a case whose better-ranked ports are blackholed or
	// tarpitted: its target ratio is looser.
	Slow bool
	// Incoming (POP3 preferred) and Outgoing are the expected
	// recommendations; only protocol, host, port and security are compared.
	Incoming, Outgoing mailcfg.Server
	Floor              Floor

	// Login cases only (Env.LoginCases): the incoming protocol the engine
	// prefers, the password of the bed's user, and the floor of a refused
	// password (Floor is then the floor of a verified login).
	Protocol mailcfg.Protocol
	Password string
	Rejected Floor
}

// FloorOf is the case's floor in mode m.
func (c Case) FloorOf(m Mode) Floor {
	if m == ModeRejected {
		return c.Rejected
	}
	return c.Floor
}

// Env is a test bed holding every benchmarked case.
type Env struct {
	Bed       *testbed.Bed
	Scenarios *testbed.Scenarios
	Cases     []Case
	// LoginCases are the cases of the login modes, IMAP then POP3.
	LoginCases []Case
}

// NewEnv starts a test bed with the standard scenarios plus the cases the
// standard set lacks: a provider of the built-in table (qq.com, whose
// hosts the bed's DNS points at a local dovecot) and a domain whose
// implicit-TLS ports are tarpitted (995) and blackholed (465) beside
// working STARTTLS ports 110 and 587. Close it with Close.
func NewEnv() (*Env, error) {
	bed, err := testbed.New(testbed.Options{})
	if err != nil {
		return nil, err
	}
	env := &Env{Bed: bed}
	if env.Scenarios, err = bed.StartStandard(); err != nil {
		bed.Close()
		return nil, err
	}
	_, err = bed.StartDovecot(testbed.DovecotOptions{
		Hosts:    []string{"pop.qq.com", "imap.qq.com", "smtp.qq.com"},
		Users:    map[string]string{"alice@qq.com": testbed.DefaultPassword},
		Services: listeners(995, 993, 465, 587),
	})
	if err != nil {
		bed.Close()
		return nil, fmt.Errorf("qq.com: %w", err)
	}
	slow, err := bed.StartDovecot(testbed.DovecotOptions{
		Hosts:    []string{"mail.slow.test"},
		Users:    map[string]string{"alice@slow.test": testbed.DefaultPassword},
		Services: listeners(110, 587),
	})
	if err != nil {
		bed.Close()
		return nil, fmt.Errorf("slow.test: %w", err)
	}
	if _, err := bed.StartFault(slow.IP, 995, testbed.Tarpit); err != nil {
		bed.Close()
		return nil, fmt.Errorf("slow.test: %w", err)
	}
	bed.Blackhole(slow.IP, 465)
	env.Cases = standardCases(env.Scenarios)
	env.Cases = append([]Case{qqCase()}, env.Cases...)
	env.Cases = append(env.Cases, slowCase())
	if err := env.startLoginScenarios(); err != nil {
		bed.Close()
		return nil, err
	}
	env.LoginCases = append(loginCases(env.Scenarios, mailcfg.IMAP), loginCases(env.Scenarios, mailcfg.POP3)...)
	return env, nil
}

// Close stops the bed.
func (e *Env) Close() { e.Bed.Close() }

// Case finds a discover case by name.
func (e *Env) Case(name string) (Case, error) {
	for _, c := range e.Cases {
		if c.Name == name {
			return c, nil
		}
	}
	return Case{}, errors.New("no case " + name)
}

func listeners(ports ...int) []testbed.Listener {
	out := make([]testbed.Listener, len(ports))
	for i, p := range ports {
		out[i] = testbed.Listener{StdPort: p}
	}
	return out
}

func server(p mailcfg.Protocol, host string, port int, sec mailcfg.Security) mailcfg.Server {
	return mailcfg.Server{Protocol: p, Host: host, Port: port, Security: sec}
}

func qqCase() Case {
	return Case{
		Name: "builtin", Email: "alice@qq.com",
		About:    "qq.com from the built-in table; pop/smtp.qq.com point at a local dovecot",
		Incoming: server(mailcfg.POP3, "pop.qq.com", 995, mailcfg.TLS),
		Outgoing: server(mailcfg.SMTP, "smtp.qq.com", 465, mailcfg.TLS),
		Floor: Floor{
			probeTLS("pop.qq.com:995 (built-in, known at once)"),
			probeTLS("smtp.qq.com:465 (built-in, known at once)"),
		},
	}
}

func slowCase() Case {
	return Case{
		Name: "slow", Email: "alice@slow.test", Slow: true,
		About:    "mail.slow.test: 995 tarpitted (accepts, never speaks), 465 blackholed; 110 and 587 (STARTTLS) work",
		Incoming: server(mailcfg.POP3, "mail.slow.test", 110, mailcfg.STARTTLS),
		Outgoing: server(mailcfg.SMTP, "mail.slow.test", 587, mailcfg.STARTTLS),
		Floor: Floor{
			probeSTARTTLS("mail.slow.test:110 (guessed)"),
			probeSTARTTLS("mail.slow.test:587 (guessed)"),
		},
	}
}

// standardCases are the bed's standard scenarios worth timing.
func standardCases(s *testbed.Scenarios) []Case {
	return []Case{
		{
			Name: "srv", Email: s.SRV.Email, About: s.SRV.About,
			Incoming: *s.SRV.Incoming, Outgoing: *s.SRV.Outgoing,
			// The guess source names mail.srv.test at once, so the probe
			// need not wait for the SRV answer; the SRV answer must still
			// arrive for the recommendation to cite it.
			Floor: Floor{
				probeTLS("mail.srv.test:995 (guessed at once, SRV after 1 RTT)"),
				probeTLS("mail.srv.test:465 (guessed at once, SRV after 1 RTT)"),
				{"SRV answers", []Step{stepSRV}},
			},
		},
		{
			Name: "guess", Email: s.Guess.Email, About: s.Guess.About,
			Incoming: *s.Guess.Incoming, Outgoing: *s.Guess.Outgoing,
			// A guess is recommended only once every more trusted source
			// has finished; the slowest of them is the ISPDB's 404.
			Floor: Floor{
				probeTLS("pop.guess.test:995 (guessed)"),
				probeTLS("smtp.guess.test:465 (guessed)"),
				httpsFetch("ISPDB says 404"),
			},
		},
		{
			Name: "autoconfig", Email: s.Autoconfig.Email, About: s.Autoconfig.About,
			Incoming: *s.Autoconfig.Incoming, Outgoing: *s.Autoconfig.Outgoing,
			Floor: Floor{
				probeTLS("mail.autoconfig.test:995 (guessed at once)"),
				probeTLS("mail.autoconfig.test:465 (guessed at once)"),
				httpsFetch("autoconfig document"),
			},
		},
		{
			Name: "ispdb", Email: s.ISPDB.Email, About: s.ISPDB.About,
			Incoming: *s.ISPDB.Incoming, Outgoing: *s.ISPDB.Outgoing,
			// mailhost. is guessed by nobody: the probe waits for the document.
			Floor: Floor{
				probeTLS("mailhost.ispdb.test:995", httpsSteps("ISPDB")),
				probeTLS("mailhost.ispdb.test:465", httpsSteps("ISPDB")),
			},
		},
		{
			Name: "tarpit", Email: s.Tarpit.Email, About: s.Tarpit.About, Slow: true,
			Incoming: *s.Tarpit.Incoming, Outgoing: *s.Tarpit.Outgoing,
			Floor: Floor{
				probeTLS("mail.tarpit.test:993 (guessed)"),
				probeSTARTTLS("mail.tarpit.test:587 (guessed)"),
			},
		},
	}
}
