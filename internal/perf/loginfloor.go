package perf

import (
	"mailsetup/mailcfg"
)

// Mode is what one timed run does.
type Mode string

// The modes: a discover alone; a discover and then both logins with the
// right password; the same with a wrong one.
const (
	ModeDiscover Mode = "discover"
	ModeLogin    Mode = "login"
	ModeRejected Mode = "rejected"
)

// The exchanges of a login on the probe's connection, once the probe has
// read the capabilities. A mechanism with an initial response (SASL-IR in
// IMAP, RFC 4959; AUTH PLAIN <response> in POP3, RFC 5034, and SMTP, RFC
// 4954) costs one round trip; the mailbox check costs one more, except in
// POP3 where a server offering PIPELINING (RFC 2449; dovecot does) takes
// USER, PASS and STAT in one flight. IMAP ID can ride along with the next
// command and a farewell need not be waited for, so neither counts.
var (
	stepIMAPAuth    = Step{"AUTHENTICATE PLAIN (SASL-IR)", 1}
	stepIMAPExamine = Step{"EXAMINE INBOX", 1}
	stepPOP3Auth    = Step{"AUTH PLAIN (initial response)", 1}
	stepPOP3Login   = Step{"USER, PASS and STAT pipelined", 1}
	stepSMTPAuth    = Step{"AUTH PLAIN (initial response)", 1}
	// An IMAP greeting that carries [CAPABILITY …] (dovecot's does, as
	// RFC 9051 recommends) spares the CAPABILITY command over implicit TLS.
	stepGreetingCaps = Step{"greeting with CAPABILITY", 1}
)

// loginSteps are the exchanges of a successful login to a server of
// protocol p.
func loginSteps(p mailcfg.Protocol) []Step {
	switch p {
	case mailcfg.IMAP:
		return []Step{stepIMAPAuth, stepIMAPExamine}
	case mailcfg.POP3:
		return []Step{stepPOP3Login}
	}
	return []Step{stepSMTPAuth}
}

// rejectSteps are the exchanges of a refused password: one authentication
// per login name the engine tries (the address, then its local part),
// one after the other on the same connection, and no mailbox to check.
func rejectSteps(p mailcfg.Protocol, tries int) []Step {
	auth := stepSMTPAuth
	switch p {
	case mailcfg.IMAP:
		auth = stepIMAPAuth
	case mailcfg.POP3:
		auth = stepPOP3Auth
	}
	out := make([]Step, tries)
	for i := range out {
		out[i] = auth
	}
	return out
}

// probePath is the probe of srv in the discovery floor's terms, with the
// steps before it (a document that names the host).
func probePath(label string, srv mailcfg.Server, before ...Step) Path {
	if srv.Protocol == mailcfg.IMAP {
		// The capabilities come with the greeting; after STARTTLS they
		// must be asked again.
		steps := append(append([]Step(nil), before...), stepDNS, stepTCP)
		if srv.Security == mailcfg.TLS {
			return Path{label, append(steps, stepTLS, stepGreetingCaps)}
		}
		return Path{label, append(steps, stepGreetingCaps, stepSTARTTLS, stepTLS, stepCaps)}
	}
	if srv.Security == mailcfg.TLS {
		return probeTLS(label, before...)
	}
	return probeSTARTTLS(label, before...)
}

// route is how one role's recommended server is reached: the probe path,
// on whose connection the login continues.
type route struct {
	srv   mailcfg.Server
	probe Path
}

// loginFloors extends a discovery floor by the logins: each role's probe
// path continues with that role's login, and a source that must answer
// before the recommendation can be trusted (a gate) delays the password
// until it has: it is followed by the slower role's login. A login on a
// new connection would add TCP, TLS, greeting and capabilities again;
// that is the engine's cost, not the network's, so it is not counted.
func loginFloors(in, out route, gates []Path, loginNames int) (login, rejected Floor) {
	build := func(steps func(mailcfg.Protocol) []Step) Floor {
		var f Floor
		longest := 0.0
		var slowest []Step
		for _, r := range []route{in, out} {
			s := steps(r.srv.Protocol)
			f = append(f, Path{r.probe.Label + ", then " + string(r.srv.Protocol) + " login",
				append(append([]Step(nil), r.probe.Steps...), s...)})
			if n := (Path{Steps: s}).RTTs(); n > longest {
				longest, slowest = n, s
			}
		}
		for _, g := range gates {
			f = append(f, Path{g.Label + ", then the slower login", append(append([]Step(nil), g.Steps...), slowest...)})
		}
		return f
	}
	login = build(loginSteps)
	rejected = build(func(p mailcfg.Protocol) []Step { return rejectSteps(p, loginNames) })
	return login, rejected
}
