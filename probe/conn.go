package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrTooMuchData is returned by reads once a connection has used up its
// byte budget: a server that talks without end is cut off.
var ErrTooMuchData = fmt.Errorf("server sent more than %d bytes", MaxRead)

// guardConn is the raw TCP connection with the limits every probe needs:
// reads share a byte budget, deadlines never reach past the context's (the
// protocol libraries reset them freely), and the connection closes when the
// context ends, so that a blocked library call returns.
type guardConn struct {
	net.Conn
	deadline time.Time // the context's; zero when it has none
	stop     func() bool

	mu     sync.Mutex
	budget int64
	// readsOver, once set, holds reads at farPast whatever deadline a
	// library sets afterwards (go-smtp and go-imap set their own before
	// each command): see endReads.
	readsOver atomic.Bool
}

func newGuardConn(ctx context.Context, c net.Conn, budget int64) *guardConn {
	g := &guardConn{Conn: c, budget: budget}
	g.deadline, _ = ctx.Deadline()
	g.stop = context.AfterFunc(ctx, func() { c.Close() })
	g.Conn.SetDeadline(g.deadline)
	return g
}

// detach frees the connection from the probe's context, to be kept until
// until at most (Conn).
func (g *guardConn) detach(until time.Time) {
	g.stop()
	g.stop = func() bool { return false }
	g.deadline = until
	g.Conn.SetDeadline(until)
}

// attach binds a kept connection to the context of the login that takes it.
func (g *guardConn) attach(ctx context.Context) {
	g.stop()
	g.deadline, _ = ctx.Deadline()
	c := g.Conn
	g.stop = context.AfterFunc(ctx, func() { c.Close() })
	g.Conn.SetDeadline(g.deadline)
}

func (g *guardConn) Read(p []byte) (int, error) {
	g.mu.Lock()
	left := g.budget
	g.mu.Unlock()
	if left <= 0 {
		return 0, ErrTooMuchData
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := g.Conn.Read(p)
	g.mu.Lock()
	g.budget -= int64(n)
	g.mu.Unlock()
	return n, err
}

func (g *guardConn) clamp(t time.Time) time.Time {
	if g.deadline.IsZero() {
		return t
	}
	if t.IsZero() || t.After(g.deadline) {
		return g.deadline
	}
	return t
}

// endReads makes every read, a blocked one too, fail at once from now on,
// while writes go on: the goodbye (QUIT, LOGOUT) still goes out, and a
// library that waits for its answer returns at once instead of a round
// trip later.
func (g *guardConn) endReads() {
	g.readsOver.Store(true)
	g.Conn.SetReadDeadline(farPast)
}

func (g *guardConn) SetDeadline(t time.Time) error {
	if g.readsOver.Load() {
		g.Conn.SetReadDeadline(farPast)
		return g.Conn.SetWriteDeadline(g.clamp(t))
	}
	return g.Conn.SetDeadline(g.clamp(t))
}

func (g *guardConn) SetReadDeadline(t time.Time) error {
	if g.readsOver.Load() {
		return g.Conn.SetReadDeadline(farPast)
	}
	return g.Conn.SetReadDeadline(g.clamp(t))
}

func (g *guardConn) SetWriteDeadline(t time.Time) error { return g.Conn.SetWriteDeadline(g.clamp(t)) }

func (g *guardConn) Close() error {
	g.stop()
	return g.Conn.Close()
}

// replayConn hands a library a connection whose first bytes are a greeting
// we have already read (and logged) ourselves, or a stand-in for the one a
// session resumed after STARTTLS does not have.
type replayConn struct {
	net.Conn
	mu     sync.Mutex
	prefix []byte
	// answer, when set, is written back for the first write that starts
	// with command, which does not go to the server (answerFirst).
	command string
	answer  []byte
}

// answerFirst makes the first write that starts with command (a
// library's EHLO the probe already sent) stay here and be answered with
// reply, as if the server had answered it.
func (r *replayConn) answerFirst(command string, reply []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.command, r.answer = command, reply
}

func (r *replayConn) Write(p []byte) (int, error) {
	r.mu.Lock()
	if r.command != "" && strings.HasPrefix(string(p), r.command) && strings.HasSuffix(string(p), "\r\n") {
		r.command = ""
		r.prefix = append(r.prefix, r.answer...)
		r.mu.Unlock()
		return len(p), nil
	}
	r.command = "" // only the very first write is a candidate
	r.mu.Unlock()
	return r.Conn.Write(p)
}

func newReplayConn(c net.Conn, prefix []byte) *replayConn {
	return &replayConn{Conn: c, prefix: prefix}
}

func (r *replayConn) Read(p []byte) (int, error) {
	r.mu.Lock()
	if len(r.prefix) > 0 {
		n := copy(p, r.prefix)
		r.prefix = r.prefix[n:]
		r.mu.Unlock()
		return n, nil
	}
	r.mu.Unlock()
	return r.Conn.Read(p)
}

// isClosedConn reports the error a read gets after the context closed the
// connection under it.
func isClosedConn(err error) bool { return errors.Is(err, net.ErrClosed) }
