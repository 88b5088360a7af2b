package assistant

import (
	"context"
	"sync"
	"time"

	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// DiscoverAndCheck discovers the settings and logs in with q, each role the
// moment its recommendation settles, on the probe's own connection: with
// the password known up front, the probe that found the server is the
// login's connection (docs/design.md, "Time to a verified login"). Every
// consent rule of Check holds: a kept connection to a server that needs
// one is closed unused. The report carries the logins (and the send test
// with q.SendTest), as after Discover and Check.
func (e *Engine) DiscoverAndCheck(ctx context.Context, email string, q LoginRequest) (*Report, error) {
	addr, err := mailcfg.ParseAddress(email)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	e.resolver.ResetHealth()
	r := newRun(e, addr)
	r.early = &earlyLogin{ctx: ctx, q: q, kept: map[*Candidate]*probe.Conn{}, outcomes: map[mailcfg.Role]*LoginOutcome{}}
	r.execute(dctx)
	r.early.wg.Wait()
	r.early.closeAll()
	rep := r.report(dctx)
	login := &LoginReport{}
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		out := r.early.outcomes[role]
		if out == nil {
			o := failedBefore(mailcfg.Server{}, noServer(role))
			out = &o
		}
		if role == mailcfg.Incoming {
			login.Incoming = out
		} else {
			login.Outgoing = out
		}
	}
	login.merge(rep.Notes)
	rep.Login = login
	if q.SendTest && login.OK() {
		rep.Send = e.SendTest(ctx, rep, q)
	}
	return rep, nil
}

// keepIdle bounds how long a kept probe connection waits for its login:
// the grace before a role settles is far shorter, so only a login held up
// by something else (a consent, a stalled machine) finds it gone and
// connects anew.
const keepIdle = 15 * time.Second

// earlyLogin is the state of the logins of a DiscoverAndCheck.
type earlyLogin struct {
	ctx context.Context // the caller's: the logins may outlast the discovery's deadline
	q   LoginRequest
	wg  sync.WaitGroup

	// Guarded by the run's mu.
	kept     map[*Candidate]*probe.Conn // at most the best usable candidate of each role
	outcomes map[mailcfg.Role]*LoginOutcome
}

// keepLocked holds on to a probe's connection while its candidate is the
// best of its role; it returns the connections no longer worth keeping,
// for the caller to close once it has let go of the lock.
func (r *run) keepLocked(c *Candidate, conn *probe.Conn) (drop []*probe.Conn) {
	if conn != nil {
		if r.settled[c.Role] || c.Status == mailcfg.StatusAbandoned {
			return []*probe.Conn{conn}
		}
		r.early.kept[c] = conn
	}
	best := r.bestLocked(c.Role)
	for k, kc := range r.early.kept {
		if k.Role == c.Role && k != best {
			delete(r.early.kept, k)
			drop = append(drop, kc)
		}
	}
	return drop
}

// loginEarly starts the login of a role that just settled, on the kept
// connection of its recommendation when there is one.
func (r *run) loginEarly(role mailcfg.Role) {
	r.mu.Lock()
	best := r.bestLocked(role)
	var kept *probe.Conn
	var view *Report
	if best != nil {
		kept = r.early.kept[best]
		delete(r.early.kept, best)
		view = r.viewLocked(role, best)
	}
	r.mu.Unlock()
	if best == nil {
		return // DiscoverAndCheck reports the role without a server
	}
	el := r.early
	el.wg.Add(1)
	go func() {
		defer el.wg.Done()
		out := r.e.loginRole(el.ctx, view, role, el.q, kept)
		r.mu.Lock()
		el.outcomes[role] = &out
		r.mu.Unlock()
		snapshot := out
		r.emit(Event{Kind: LoginFinished, Role: role, Login: &snapshot})
	}()
}

// viewLocked is the report a login of role needs: the address, the
// provider and the recommendation, which is final once the role settled.
func (r *run) viewLocked(role mailcfg.Role, best *Candidate) *Report {
	rep := &Report{Email: r.addr.String(), Protocol: r.e.opts.Protocol, Candidates: []Candidate{*best}}
	if r.provider != nil {
		rep.Provider = &ProviderRef{ID: r.provider.ID, Name: r.provider.DisplayName("en")}
	}
	srv := recommendedServer(best)
	if role == mailcfg.Incoming {
		rep.Recommended.Incoming, rep.Recommended.IncomingAuth = &srv, authMethods(r.provider, best)
	} else {
		rep.Recommended.Outgoing, rep.Recommended.OutgoingAuth = &srv, authMethods(r.provider, best)
	}
	return rep
}

// closeAll lets go of every connection still kept.
func (el *earlyLogin) closeAll() {
	for c, conn := range el.kept {
		conn.Close()
		delete(el.kept, c)
	}
}

// recommendedServer is a usable candidate as the recommendation says it:
// a STARTTLS port that offered no STARTTLS is plain text.
func recommendedServer(c *Candidate) mailcfg.Server {
	srv := c.Server()
	if c.Status == mailcfg.StatusInsecure {
		srv.Security = mailcfg.None
	}
	return srv
}
