package assistant

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"mailsetup/hints"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// LoginReport is the "login" object of the JSON contract.
type LoginReport struct {
	Incoming *LoginOutcome `json:"incoming"`
	Outgoing *LoginOutcome `json:"outgoing"`
	// Notes are the outcomes' hints that the report's notes do not hold
	// already, each once even when both logins failed for one reason. (Not
	// in the JSON: scripts read "login" as one object per role.)
	Notes []hints.Hint `json:"-"`
}

// LoginOutcome is one server's login test.
type LoginOutcome struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"` // Reason in English
	// Method is how the user signed in: "password" or "oauth2".
	Method string `json:"method"`
	// Mechanism is the exchange used: USER/PASS, PLAIN, LOGIN, XOAUTH2, …
	Mechanism string `json:"mechanism"`
	// Extensions beyond the contract.
	Reason     l10n.Message   `json:"reason,omitzero"`
	Server     mailcfg.Server `json:"server"`
	Username   string         `json:"username,omitempty"` // the login name that worked (or was tried first)
	Messages   int            `json:"messages"`           // in the mailbox (POP3 STAT, IMAP SELECT)
	AuthFailed bool           `json:"auth_failed"`        // the server rejected the credentials
	Reply      string         `json:"reply,omitempty"`    // the server's words on failure
	Code       string         `json:"code,omitempty"`     // enhanced status / response code
	// Needs lists the consents the login waits for: nothing was sent.
	Needs []Consent    `json:"needs,omitempty"`
	Hints []hints.Hint `json:"hints"`
	// ExplainedAbove: the first hint is among the report's notes, which a
	// face shows before the login section.
	ExplainedAbove bool  `json:"explained_above,omitempty"`
	ElapsedMS      int64 `json:"elapsed_ms"`
}

// Methods of signing in (LoginOutcome.Method).
const (
	MethodPassword = "password"
	MethodOAuth2   = "oauth2"
)

// LoginRequest says what to log in with and what the user agreed to.
type LoginRequest struct {
	Password string
	// OAuth, when set, signs in with the session's OAuth2 token instead
	// of the password (Engine.SignIn).
	OAuth *OAuthSession
	// Incoming and Outgoing replace the recommendation for their role (the
	// window's edited cards); nil means the recommended server.
	Incoming, Outgoing *mailcfg.Server
	Grants             Grants
	SendTest           bool // send a test message and wait for it to arrive
}

func (q LoginRequest) server(rep *Report, role mailcfg.Role) *mailcfg.Server {
	if role == mailcfg.Outgoing && q.Outgoing != nil {
		return q.Outgoing
	}
	if role == mailcfg.Incoming && q.Incoming != nil {
		return q.Incoming
	}
	return rep.Recommendation(role)
}

// AuthFailed reports whether any login was rejected for its credentials.
func (l *LoginReport) AuthFailed() bool {
	return (l.Incoming != nil && l.Incoming.AuthFailed) || (l.Outgoing != nil && l.Outgoing.AuthFailed)
}

// OK reports whether both logins worked.
func (l *LoginReport) OK() bool {
	return l.Incoming != nil && l.Incoming.OK && l.Outgoing != nil && l.Outgoing.OK
}

// Outcome is the login of role.
func (l *LoginReport) Outcome(role mailcfg.Role) *LoginOutcome {
	if role == mailcfg.Outgoing {
		return l.Outgoing
	}
	return l.Incoming
}

// Check logs in on both roles' servers at once and records the outcome in
// rep.Login (and rep.Send with SendTest). It is the one login path of both
// faces: a server whose consents are not all granted gets no password.
// Each finished login is also reported as a LoginFinished event.
func (e *Engine) Check(ctx context.Context, rep *Report, q LoginRequest) {
	login := &LoginReport{}
	var wg sync.WaitGroup
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		out := &LoginOutcome{}
		if role == mailcfg.Incoming {
			login.Incoming = out
		} else {
			login.Outgoing = out
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			*out = e.loginRole(ctx, rep, role, q, nil)
			snapshot := *out
			e.emit(Event{Kind: LoginFinished, Role: role, Login: &snapshot})
		}()
	}
	wg.Wait()
	login.merge(rep.Notes)
	rep.Login = login
	if q.SendTest && login.OK() {
		rep.Send = e.SendTest(ctx, rep, q)
	}
}

// loginRole tests the login of one role, or says why it was not tried.
// kept, when not nil, is the probe's connection to the recommendation,
// still open: the first try logs in on it. It is closed either way.
func (e *Engine) loginRole(ctx context.Context, rep *Report, role mailcfg.Role, q LoginRequest, kept *probe.Conn) LoginOutcome {
	if kept != nil {
		defer kept.Close() // a no-op once a login took it
	}
	srv := q.server(rep, role)
	if srv == nil {
		return failedBefore(mailcfg.Server{}, noServer(role))
	}
	if missing := q.Grants.Missing(rep.Consents(role, *srv, e.opts.Trust)); len(missing) > 0 {
		out := failedBefore(*srv, l10n.M("login.needs_consent").Because(missing[0].Message()))
		out.Needs = missing
		if missing[0].Kind == ConsentPlaintext {
			// Say what plain text risks and how to allow it.
			f := hints.Facts{Stage: hints.StageLogin, Status: mailcfg.StatusInsecure, Protocol: srv.Protocol, Host: srv.Host,
				Port: srv.Port, Security: srv.Security, ProviderID: rep.providerID()}
			out.Hints = append(out.Hints, hints.Match(f, l10n.Normalize(e.opts.Lang))...)
		}
		return out
	}
	if q.OAuth == nil && rep.takesNoPassword(*srv) {
		// Known before asking: a password would only be refused.
		return failedBefore(*srv, l10n.M("login.oauth_only", "issuer", rep.issuerName()))
	}
	e.emit(Event{Kind: LoginStarted, Role: role})
	opts := e.loginOptions()
	opts.AllowInsecure = q.Grants.Plaintext.Covers(*srv)
	names := usernamesFor(rep, *srv)
	if q.OAuth != nil {
		names = names[:1] // a token names its account: no guessing
	}
	if kept != nil && kept.Result().Server.Key() != srv.Key() {
		// Not the server as probed: the user edited it, or a STARTTLS port
		// without STARTTLS is logged in on as plain text, on a connection
		// of its own.
		kept = nil
	}
	return e.loginAs(ctx, rep, role, *srv, q, opts, names, kept)
}

// noServer says a role has nothing to log in on.
func noServer(role mailcfg.Role) l10n.Message {
	return l10n.M("login.no_server").With("role", roleMessage(role))
}

// failedBefore is an outcome of a login that was never attempted.
func failedBefore(srv mailcfg.Server, why l10n.Message) LoginOutcome {
	return LoginOutcome{Server: srv, Method: MethodPassword, Reason: why, Error: why.String(), Hints: []hints.Hint{}}
}

func roleMessage(role mailcfg.Role) l10n.Message { return l10n.M("role." + string(role)) }

func (e *Engine) loginOptions() probe.LoginOptions {
	return probe.LoginOptions{
		Options: probe.Options{Resolver: e.resolver, Dialer: e.dialer, RootCAs: e.roots, Trusted: e.opts.Trust,
			Timeout: e.opts.ProbeTimeout, Transcript: e.opts.Transcript},
		SelectInbox: true,
	}
}

// usernamesFor lists the login names to try: the server's alone when the
// provider is known or the name is not the address, else the full
// address, then the local part.
func usernamesFor(rep *Report, srv mailcfg.Server) []string {
	addr := rep.address()
	if srv.Username == "" {
		srv.Username = addr.ASCIIString()
	}
	if rep.providerID() != "" || addr.Local == "" || srv.Username != addr.ASCIIString() {
		return []string{srv.Username}
	}
	return []string{addr.ASCIIString(), addr.Local}
}

func (e *Engine) loginAs(ctx context.Context, rep *Report, role mailcfg.Role, srv mailcfg.Server, q LoginRequest,
	opts probe.LoginOptions, names []string, kept *probe.Conn) LoginOutcome {
	var res probe.LoginResult
	delayed := false
	for i, name := range names {
		on := kept
		if i > 0 {
			on = nil // the kept connection served the first try
		}
		var r probe.LoginResult
		if q.OAuth != nil {
			r = e.loginOAuth(ctx, q.OAuth, srv, opts, name, on)
		} else {
			r = loginOn(ctx, srv, on, probe.Credentials{Username: name, Password: q.Password}, opts)
		}
		delayed = delayed || !r.OK && r.Timings.Login >= slowRefusal
		// When every form is rejected, the first (the address, or the
		// provider's form) is the one to report: the others were guesses.
		// A later try that fails otherwise (a server that cuts off repeated
		// failures) does not hide that clear rejection either.
		if i == 0 || r.OK || !r.AuthFailed && !res.AuthFailed {
			res = r
		}
		if r.OK || !r.AuthFailed {
			break
		}
	}
	method := res.Method
	if method == "" {
		method = MethodPassword
	}
	out := LoginOutcome{OK: res.OK, Server: srv, Method: method, Username: res.Username, Mechanism: res.Mechanism,
		Messages: res.Messages, AuthFailed: res.AuthFailed, Reply: res.Reply, Code: res.Code, Hints: []hints.Hint{},
		ElapsedMS: res.Timings.Total.Milliseconds()}
	if out.Username == "" && len(names) > 0 {
		out.Username = names[0]
	}
	if res.OK {
		return out
	}
	out.Reason = loginReason(res)
	out.Error = res.Error
	if q.OAuth != nil && res.AuthFailed {
		// A refused token (renewed once where it could be): the password
		// advice of the hints would mislead.
		out.Reason = l10n.M("login.token_refused", "reply", res.Reply)
		return out
	}
	if res.Probe.Status == mailcfg.StatusCertInvalid && res.Probe.TLS != nil {
		// A server nobody probed before: the certificate question comes now.
		tls := tlsFacts(res.Probe.TLS)
		out.Needs = []Consent{{Kind: ConsentCertificate, Role: role, Server: srv, Why: res.Probe.Reason, TLS: &tls}}
	}
	f := hints.Facts{Stage: hints.StageLogin, Status: res.Probe.Status, Protocol: srv.Protocol, Host: srv.Host, Port: srv.Port,
		Security: srv.Security, ProviderID: rep.providerID(), Reply: res.Reply, Code: res.Code, AuthFailed: res.AuthFailed,
		Error: res.Error, Mechanisms: res.Probe.AuthMechanisms}
	if res.Probe.TLS != nil {
		addCertFacts(&f, res.Probe.TLS)
	}
	if !res.AuthFailed && res.Probe.Status != "" && res.Probe.Status != mailcfg.StatusOK {
		f.Stage = stageOf(res.Probe.Status)
		if res.Probe.Status == mailcfg.StatusInsecure && srv.Security == mailcfg.None {
			// Plaintext by choice, refused for want of consent: not a
			// missing STARTTLS.
			f.Stage = hints.StageLogin
		}
	}
	f.Delayed = delayed // why it took so long, and that trying again soon will too
	var l hintList
	l.add(hints.Match(f, l10n.Normalize(e.opts.Lang))...)
	if l.list != nil {
		out.Hints = l.list
	}
	return out
}

// loginReason says why a login failed, in any language; the server's own
// words stay quoted as its words.
func loginReason(res probe.LoginResult) l10n.Message {
	switch {
	case res.Probe.Status != "" && res.Probe.Status != mailcfg.StatusOK && res.Probe.Status != mailcfg.StatusInsecure:
		return res.Probe.Reason
	case !res.Reason.IsZero():
		return res.Reason
	case res.AuthFailed:
		return l10n.M("login.rejected", "reply", res.Reply)
	case res.Reply != "":
		return l10n.M("login.failed_reply", "reply", res.Reply)
	}
	return l10n.M("login.failed", "detail", res.Error)
}

// merge collects the outcomes' hints that notes do not hold, each once,
// and marks the outcomes whose explanation is already among the notes.
func (l *LoginReport) merge(notes []hints.Hint) {
	inNotes := func(h hints.Hint) bool {
		return slices.ContainsFunc(notes, func(n hints.Hint) bool { return n.ID == h.ID && n.Text == h.Text })
	}
	var merged hintList
	for _, n := range notes {
		merged.seenOnly(n)
	}
	for _, o := range []*LoginOutcome{l.Incoming, l.Outgoing} {
		if o == nil || o.OK {
			continue
		}
		o.ExplainedAbove = len(o.Hints) > 0 && inNotes(o.Hints[0])
		merged.add(o.Hints...)
	}
	l.Notes = merged.list
}

// ReasonText is why the login failed, in lang (the English error for a
// report read back without reason codes).
func (o *LoginOutcome) ReasonText(lang string) string {
	if o.Reason.IsZero() {
		return o.Error
	}
	return o.Reason.In(lang)
}

// slowRefusal is how long a failed authentication must take to show that
// the server slows repeated failures down (dovecot waits 2, 4, 8… s; a
// plain refusal takes a round trip).
const slowRefusal = 1500 * time.Millisecond

// loginOn logs in on kept, the probe's connection, when there is one;
// a kept connection that closed meanwhile makes way for a new one, with
// nothing shown to the user.
func loginOn(ctx context.Context, srv mailcfg.Server, kept *probe.Conn, c probe.Credentials, o probe.LoginOptions) probe.LoginResult {
	if kept != nil {
		r := kept.Login(ctx, c, o)
		if !errors.Is(r.Err, probe.ErrConnGone) {
			return r
		}
	}
	return probe.Login(ctx, srv, c, o)
}
