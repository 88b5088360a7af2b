package probe

import (
	"context"
	"errors"
	"sync"
	"time"

	"mailsetup/mailcfg"
)

// Conn is a probe's connection kept open for a login: the greeting, TLS
// and the capabilities are behind it, so the login that follows costs only
// the authentication's round trips (docs/design.md, "The login"). It is
// used once, by Login, or closed; left alone it closes itself after its
// idle time, so a kept connection nobody needs cannot outlive the search
// by much.
type Conn struct {
	mu     sync.Mutex
	s      *session
	res    Result
	idle   *time.Timer
	closed bool
}

// ErrConnGone is the login error of a kept connection that was closed (it
// sat idle too long, or its owner gave it up) before the login.
var ErrConnGone = errors.New("the kept connection was closed before the login")

// Open probes srv as Probe does and, when the server answered usably (ok,
// or insecure: a login there needs the user's consent, which the login
// checks), keeps the connection for a login: the Conn is nil otherwise.
// ctx bounds the probe only; the kept connection lives on for idle at most.
func Open(ctx context.Context, srv mailcfg.Server, o Options, idle time.Duration) (Result, *Conn) {
	pctx, cancel := context.WithTimeout(ctx, o.timeout(DefaultTimeout))
	defer cancel()
	s, res := open(pctx, srv, &o)
	if s == nil {
		return res, nil
	}
	if !res.Status.Usable() {
		s.hangUp()
		return res, nil
	}
	s.raw.detach(time.Now().Add(idle))
	c := &Conn{s: s, res: res}
	c.mu.Lock()
	c.idle = time.AfterFunc(idle, c.Close)
	c.mu.Unlock()
	return res, c
}

// Result is what the probe behind the connection found.
func (c *Conn) Result() Result { return c.res }

// Close hangs up, politely and without waiting, unless Login took the
// connection; it may be called more than once.
func (c *Conn) Close() {
	c.mu.Lock()
	s := c.take()
	c.mu.Unlock()
	if s != nil {
		s.hangUp()
	}
}

// take hands the session out once; c.mu is held.
func (c *Conn) take() *session {
	if c.closed {
		return nil
	}
	c.closed = true
	c.idle.Stop()
	return c.s
}

// Login authenticates on the kept connection, as Login does on a new one;
// the connection is used up either way. A connection already closed
// fails with ErrConnGone (and nothing sent), so the caller can connect anew.
func (c *Conn) Login(ctx context.Context, cred Credentials, o LoginOptions) LoginResult {
	return login(ctx, c.res.Server, c, cred, o)
}

// resume takes the session for login: bound to ctx, with the login's
// options, through the security gate.
func (c *Conn) resume(ctx context.Context, cred *Credentials, o *LoginOptions, res *LoginResult) (*session, error) {
	c.mu.Lock()
	s := c.take()
	c.mu.Unlock()
	res.Probe = c.res
	if s == nil {
		return nil, &connectError{words: ErrConnGone.Error(), err: ErrConnGone}
	}
	if cred.Username == "" {
		cred.Username = c.res.Server.Username
	}
	s.raw.attach(ctx)
	s.ctx, s.o = ctx, &o.Options
	if err := s.enterLogin(o, *cred); err != nil {
		return nil, err
	}
	return s, nil
}
