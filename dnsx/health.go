package dnsx

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrNotAnswering is the cause of the Timeout errors returned, without
// asking, for a server that has been declared not answering: errors.Is
// tells such a lookup apart from one that merely timed out.
var ErrNotAnswering = errors.New("the DNS server is not answering")

// Defaults for Options.DeadAfter and Options.DeadFor.
const (
	DefaultDeadAfter = 3
	DefaultDeadFor   = 10 * time.Second
)

// health tracks which servers answer. A server that lets DeadAfter
// queries in a row time out, none of them overtaken by an answer to a
// later query, is declared not answering: queries waiting on it give up
// at once, and for DeadFor (or until ResetHealth) queries skip it and fail
// fast. A dead DNS server then costs one query timeout, not every
// look-up's full budget. Timeouts of queries sent before the server's
// last answer do not count: the server is alive, the question is hard
// (an unreachable authority), and other names may still resolve.
type health struct {
	after int
	dur   time.Duration

	mu      sync.Mutex
	servers map[string]*serverHealth
}

type serverHealth struct {
	timeouts   int       // countable timeouts in a row
	lastAnswer time.Time // when the server last answered anything
	deadUntil  time.Time // zero while alive
	down       context.Context
	markDown   context.CancelFunc
}

func newHealth(after int, dur time.Duration) *health {
	if after <= 0 {
		after = DefaultDeadAfter
	}
	if dur <= 0 {
		dur = DefaultDeadFor
	}
	return &health{after: after, dur: dur, servers: map[string]*serverHealth{}}
}

// stateLocked returns the server's record, reviving it when its time as
// dead is over.
func (h *health) stateLocked(server string, now time.Time) *serverHealth {
	s := h.servers[server]
	if s == nil || (!s.deadUntil.IsZero() && !now.Before(s.deadUntil)) {
		s = &serverHealth{}
		s.down, s.markDown = context.WithCancel(context.Background())
		h.servers[server] = s
	}
	return s
}

// check says whether server may be asked; when it may, down ends once
// the server is declared not answering, so waiting queries can give up.
func (h *health) check(server string, now time.Time) (down context.Context, alive bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stateLocked(server, now)
	return s.down, s.deadUntil.IsZero()
}

// answered records a reply from server, of any kind.
func (h *health) answered(server string, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stateLocked(server, now)
	s.timeouts = 0
	if now.After(s.lastAnswer) {
		s.lastAnswer = now
	}
	if !s.deadUntil.IsZero() {
		delete(h.servers, server) // alive after all: start afresh
	}
}

// timedOut records that a query sent to server at sent got no reply in
// time, and reports whether the server is now declared not answering.
func (h *health) timedOut(server string, sent, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stateLocked(server, now)
	if !s.deadUntil.IsZero() {
		return true
	}
	if s.lastAnswer.After(sent) {
		return false // it answered something since: the server is alive
	}
	s.timeouts++
	if s.timeouts < h.after {
		return false
	}
	s.deadUntil = now.Add(h.dur)
	s.markDown()
	return true
}

// reset forgets every verdict.
func (h *health) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.servers = map[string]*serverHealth{}
}

// ResetHealth forgets which servers were found not answering, so the next
// look-ups ask them again. The engine calls it when a discovery starts.
func (r *Resolver) ResetHealth() { r.health.reset() }

// notAnswering is the error of a query to a server declared not answering.
func (r *Resolver) notAnswering(server string) error {
	return &Error{Kind: Timeout, Server: server, Err: ErrNotAnswering}
}
