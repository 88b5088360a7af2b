package assistant

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"mailsetup/hints"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// LoginReport is the "login" object of DESIGN.md's JSON.
type LoginReport struct {
	Incoming *LoginOutcome `json:"incoming"`
	Outgoing *LoginOutcome `json:"outgoing"`
}

// LoginOutcome is one server's login test.
type LoginOutcome struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	// Extensions beyond DESIGN.md.
	Server     mailcfg.Server `json:"server"`
	Username   string         `json:"username,omitempty"`  // the login name that worked (or was tried last)
	Mechanism  string         `json:"mechanism,omitempty"` // USER/PASS, PLAIN, LOGIN, …
	Messages   int            `json:"messages"`            // in the mailbox (POP3 STAT, IMAP SELECT)
	AuthFailed bool           `json:"auth_failed"`         // the server rejected the credentials
	Reply      string         `json:"reply,omitempty"`     // the server's words on failure
	Code       string         `json:"code,omitempty"`      // enhanced status / response code
	Hints      []Hint         `json:"hints"`
	ElapsedMS  int64          `json:"elapsed_ms"`
}

// CheckOptions say how to test the login.
type CheckOptions struct {
	Password string
	// AllowUntrusted lets the password go to a server that only an
	// untrusted source (plain HTTP, out-of-domain SRV) named.
	AllowUntrusted bool
	SendTest       bool // send a test message and wait for it to arrive
}

// AuthFailed reports whether any login was rejected for its credentials.
func (l *LoginReport) AuthFailed() bool {
	return (l.Incoming != nil && l.Incoming.AuthFailed) || (l.Outgoing != nil && l.Outgoing.AuthFailed)
}

// OK reports whether both logins worked.
func (l *LoginReport) OK() bool {
	return l.Incoming != nil && l.Incoming.OK && l.Outgoing != nil && l.Outgoing.OK
}

// Check logs in on the recommended servers of rep and records the outcome
// in rep.Login (and rep.Send with SendTest).
func (e *Engine) Check(ctx context.Context, rep *Report, o CheckOptions) {
	login := &LoginReport{}
	var wg sync.WaitGroup
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		out := &LoginOutcome{Hints: []Hint{}}
		if role == mailcfg.Incoming {
			login.Incoming = out
		} else {
			login.Outgoing = out
		}
		c := loginCandidate(rep, role)
		if c == nil {
			out.Error = "no usable " + string(role) + " server was found"
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			*out = e.login(ctx, rep, c, o)
		}()
	}
	wg.Wait()
	rep.Login = login
	if o.SendTest && login.OK() {
		rep.Send = e.sendTest(ctx, rep, o.Password)
	}
}

// loginCandidate is the candidate behind the recommendation for role, set
// up as recommended. An insecure candidate found on a STARTTLS port is
// recommended with security none: the login must then go in the clear
// (with consent), not demand the STARTTLS the server lacks.
func loginCandidate(rep *Report, role mailcfg.Role) *Candidate {
	rec := rep.Recommended.Incoming
	if role == mailcfg.Outgoing {
		rec = rep.Recommended.Outgoing
	}
	if rec == nil {
		return nil
	}
	for i := range rep.Candidates {
		c := rep.Candidates[i]
		if c.Role != role || c.Protocol != rec.Protocol || !strings.EqualFold(c.Host, rec.Host) || c.Port != rec.Port {
			continue
		}
		if c.Security == rec.Security || (rec.Security == mailcfg.None && c.Status == mailcfg.StatusInsecure) {
			c.Security, c.Username = rec.Security, rec.Username
			return &c
		}
	}
	return nil
}

// LoginServer tests one server as the user configured it (the window's
// editable cards); providerID may be empty.
func (e *Engine) LoginServer(ctx context.Context, srv mailcfg.Server, password, providerID string, allowInsecure bool) LoginOutcome {
	c := &Candidate{Role: srv.Role(), Protocol: srv.Protocol, Host: srv.Host, Port: srv.Port, Security: srv.Security,
		Username: srv.Username, Trusted: true}
	rep := &Report{provider: providerID}
	opts := e.loginOptions()
	opts.AllowInsecure = opts.AllowInsecure || allowInsecure
	return e.loginAs(ctx, rep, c, password, opts, []string{srv.Username})
}

func (e *Engine) loginOptions() probe.LoginOptions {
	return probe.LoginOptions{
		Options: probe.Options{Resolver: e.resolver, Dialer: e.dialer, RootCAs: e.roots, Trusted: e.opts.Trust,
			Timeout: e.opts.ProbeTimeout, Transcript: e.opts.Transcript},
		AllowInsecure: e.opts.AllowInsecure, SelectInbox: true,
	}
}

func (e *Engine) login(ctx context.Context, rep *Report, c *Candidate, o CheckOptions) LoginOutcome {
	if !c.Trusted && !o.AllowUntrusted {
		out := LoginOutcome{Server: c.Server(), Hints: []Hint{},
			Error: fmt.Sprintf("not sending the password to %s: only an untrusted source named it (%s); confirm to go on", c.Host, c.Why)}
		return out
	}
	return e.loginAs(ctx, rep, c, o.Password, e.loginOptions(), usernamesFor(rep, c))
}

// usernamesFor lists the login names to try: the provider's form alone
// when the provider is known, else the full address, then the local part.
func usernamesFor(rep *Report, c *Candidate) []string {
	if rep.provider != "" || c.Username != rep.address.ASCIIString() {
		return []string{c.Username}
	}
	if rep.address.Local == "" {
		return []string{c.Username}
	}
	return []string{rep.address.ASCIIString(), rep.address.Local}
}

func (e *Engine) loginAs(ctx context.Context, rep *Report, c *Candidate, password string, opts probe.LoginOptions, names []string) LoginOutcome {
	var res probe.LoginResult
	for i, name := range names {
		r := probe.Login(ctx, c.Server(), probe.Credentials{Username: name, Password: password}, opts)
		// When every form is rejected, the first (the address, or the
		// provider's form) is the one to report: the others were guesses.
		if i == 0 || r.OK || !r.AuthFailed {
			res = r
		}
		if r.OK || !r.AuthFailed {
			break
		}
	}
	out := LoginOutcome{OK: res.OK, Error: res.Error, Server: c.Server(), Username: res.Username, Mechanism: res.Mechanism,
		Messages: res.Messages, AuthFailed: res.AuthFailed, Reply: res.Reply, Code: res.Code, Hints: []Hint{},
		ElapsedMS: res.Timings.Total.Milliseconds()}
	if out.Username == "" && len(names) > 0 {
		out.Username = names[len(names)-1]
	}
	if !res.OK {
		f := hints.Facts{Stage: "login", Status: res.Probe.Status, Protocol: c.Protocol, Host: c.Host, Port: c.Port,
			Security: c.Security, ProviderID: rep.provider, Reply: res.Reply, Code: res.Code, AuthFailed: res.AuthFailed,
			Error: res.Error}
		if res.Probe.TLS != nil {
			addCertFacts(&f, res.Probe.TLS)
		}
		if !res.AuthFailed && res.Probe.Status != "" && res.Probe.Status != mailcfg.StatusOK {
			f.Stage = stageOf(res.Probe.Status)
			if res.Probe.Status == mailcfg.StatusInsecure && c.Security == mailcfg.None {
				// Plaintext by choice, refused for want of consent: not a
				// missing STARTTLS.
				f.Stage = hints.StageLogin
			}
		}
		var l hintList
		l.add(hints.Match(f, hints.NormalizeLang(e.opts.Lang))...)
		out.Hints = l.list
		if out.Hints == nil {
			out.Hints = []Hint{}
		}
	}
	return out
}
