package dnsx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// response is one server's usable answer to one question (NOERROR or
// NXDOMAIN). It is shared through the cache and never modified.
type response struct {
	msg       *dns.Msg
	server    string
	rtt       time.Duration
	truncated bool // the UDP answer was truncated…
	usedTCP   bool // …so msg came over TCP
}

// udpReadSize is the receive buffer: larger than EDNSBufSize so that a
// server ignoring our size still yields a parseable message.
const udpReadSize = 4096

// maxStrayPackets bounds how many unrelated UDP datagrams one exchange
// skips before giving up on the server.
const maxStrayPackets = 16

// exchange asks the servers in turn, for r.attempts rounds, until one gives
// an answer (NOERROR or NXDOMAIN). Timeouts, SERVFAIL, REFUSED and other
// failures move on to the next server; the last failure is returned.
func (r *Resolver) exchange(ctx context.Context, fqdn string, qtype uint16) (*response, error) {
	var last error
	for attempt := 0; attempt < r.attempts; attempt++ {
		for _, server := range r.servers {
			if err := ctx.Err(); err != nil {
				return nil, contextError(err, server)
			}
			down, alive := r.health.check(server, time.Now())
			if !alive {
				last = r.notAnswering(server)
				continue
			}
			resp, err := r.askServer(ctx, down, server, fqdn, qtype)
			if err == nil {
				return resp, nil
			}
			if ctx.Err() != nil {
				return nil, contextError(ctx.Err(), server)
			}
			last = err
		}
	}
	return nil, last
}

// askServer gets one answer from one server: UDP with EDNS0, then TCP when
// the UDP answer is truncated; once more without EDNS0 if the server
// rejects it (FORMERR), as very old servers do.
func (r *Resolver) askServer(ctx, down context.Context, server, fqdn string, qtype uint16) (*response, error) {
	q := newQuery(fqdn, qtype, true)
	resp, err := r.askOverUDPThenTCP(ctx, down, server, q)
	if err == nil && resp.msg.Rcode == dns.RcodeFormatError {
		q = newQuery(fqdn, qtype, false)
		resp, err = r.askOverUDPThenTCP(ctx, down, server, q)
	}
	if err != nil {
		return nil, err
	}
	switch rc := resp.msg.Rcode; rc {
	case dns.RcodeSuccess, dns.RcodeNameError:
		return resp, nil
	case dns.RcodeServerFailure:
		return nil, &Error{Kind: ServFail, Server: server, Rcode: rc}
	case dns.RcodeRefused:
		return nil, &Error{Kind: Refused, Server: server, Rcode: rc}
	default:
		return nil, &Error{Kind: OtherRcode, Server: server, Rcode: rc}
	}
}

func newQuery(fqdn string, qtype uint16, edns bool) *dns.Msg {
	q := new(dns.Msg)
	q.SetQuestion(fqdn, qtype)
	q.RecursionDesired = true
	// Asks a validating resolver to report its verdict in AD (RFC 6840 5.7).
	q.AuthenticatedData = true
	if edns {
		q.SetEdns0(EDNSBufSize, false)
	}
	return q
}

func (r *Resolver) askOverUDPThenTCP(ctx, down context.Context, server string, q *dns.Msg) (*response, error) {
	if r.udpUnusable.Load() {
		return r.askOverTCP(ctx, down, server, q)
	}
	msg, rtt, err := r.roundTrip(ctx, down, "udp", server, q)
	if errors.Is(err, errUDPUnusable) {
		r.udpUnusable.Store(true)
		return r.askOverTCP(ctx, down, server, q)
	}
	if err != nil {
		return nil, err
	}
	if !msg.Truncated {
		return &response{msg: msg, server: server, rtt: rtt}, nil
	}
	msg, tcpRTT, err := r.roundTrip(ctx, down, "tcp", server, q)
	if err != nil {
		return nil, err
	}
	return &response{msg: msg, server: server, rtt: rtt + tcpRTT, truncated: true, usedTCP: true}, nil
}

// askOverTCP is the whole exchange over TCP, for a system without UDP.
func (r *Resolver) askOverTCP(ctx, down context.Context, server string, q *dns.Msg) (*response, error) {
	msg, rtt, err := r.roundTrip(ctx, down, "tcp", server, q)
	if err != nil {
		return nil, err
	}
	return &response{msg: msg, server: server, rtt: rtt, usedTCP: true}, nil
}

// farPast is a deadline that makes blocked reads and writes return at once.
var farPast = time.Unix(1, 0)

// roundTrip sends q over a fresh connection and reads the matching answer,
// within r.timeout and the life of ctx. It gives up early when down ends
// (the server was declared not answering), and keeps the server's health
// record: any reply is a sign of life, a timeout a strike against it.
func (r *Resolver) roundTrip(parent, down context.Context, network, server string, q *dns.Msg) (*dns.Msg, time.Duration, error) {
	sent := time.Now()
	msg, rtt, err := r.roundTripOnce(parent, down, network, server, q)
	now := time.Now()
	switch {
	case err == nil:
		r.health.answered(server, now)
	case down.Err() != nil:
		return nil, 0, r.notAnswering(server)
	case parent.Err() == nil && errors.Is(err, ErrTimeout):
		if r.health.timedOut(server, sent, now) {
			return nil, 0, r.notAnswering(server)
		}
	default:
		var de *Error
		if errors.As(err, &de) && de.Kind == Malformed {
			r.health.answered(server, now) // garbled, but it answers
		}
	}
	return msg, rtt, err
}

func (r *Resolver) roundTripOnce(parent, down context.Context, network, server string, q *dns.Msg) (*dns.Msg, time.Duration, error) {
	ctx, cancel := context.WithTimeout(parent, r.timeout)
	defer cancel()
	q.Id = dns.Id()
	r.queries.Add(1)
	start := time.Now()

	nc, err := r.dial(ctx, network, server)
	if err != nil {
		if network == "udp" && localSocketFailure(err) {
			return nil, 0, &Error{Kind: Network, Server: server, Err: fmt.Errorf("%w: %w", errUDPUnusable, err)}
		}
		return nil, 0, r.transportError(ctx, server, err)
	}
	defer nc.Close()
	deadline, _ := ctx.Deadline()
	nc.SetDeadline(deadline)
	// Cancellation, unlike a deadline, must interrupt a blocked read; so
	// must the verdict that the server is not answering.
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(farPast) })
	defer stop()
	stopDown := context.AfterFunc(down, func() { nc.SetDeadline(farPast) })
	defer stopDown()

	co := &dns.Conn{Conn: nc, UDPSize: udpReadSize}
	if err := co.WriteMsg(q); err != nil {
		return nil, 0, r.transportError(ctx, server, err)
	}
	for stray := 0; ; stray++ {
		msg, err := co.ReadMsg()
		if err != nil {
			// ReadMsg returns a message with the error when only parsing failed.
			unparseable := msg != nil || errors.Is(err, dns.ErrShortRead)
			if !unparseable {
				return nil, 0, r.transportError(ctx, server, err)
			}
			if network == "udp" && stray < maxStrayPackets {
				continue // a garbled datagram is not necessarily from the server
			}
			return nil, 0, &Error{Kind: Malformed, Server: server, Err: err}
		}
		if err := matches(q, msg); err != nil {
			if network == "udp" && stray < maxStrayPackets {
				continue
			}
			return nil, 0, &Error{Kind: Malformed, Server: server, Err: err}
		}
		return msg, time.Since(start), nil
	}
}

// matches checks that msg answers q: a response, same ID and question.
func matches(q, msg *dns.Msg) error {
	switch {
	case msg.Id != q.Id:
		return fmt.Errorf("answer ID %d does not match query ID %d", msg.Id, q.Id)
	case !msg.Response:
		return errors.New("message is not a response")
	case len(msg.Question) == 0 && msg.Rcode != dns.RcodeSuccess:
		return nil // error answers may omit the question (RFC 1035 allows it)
	case len(msg.Question) != 1:
		return fmt.Errorf("answer carries %d questions", len(msg.Question))
	}
	a, b := msg.Question[0], q.Question[0]
	if a.Qtype != b.Qtype || a.Qclass != b.Qclass || !strings.EqualFold(a.Name, b.Name) {
		return fmt.Errorf("answer is for %s %s, not %s %s", a.Name, qtypeName(a.Qtype), b.Name, qtypeName(b.Qtype))
	}
	return nil
}

// transportError classifies a dial, read or write failure. ctx is the
// per-query context: its deadline is our timeout, its parent's end the
// caller's.
func (r *Resolver) transportError(ctx context.Context, server string, err error) error {
	var ne net.Error
	if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &Error{Kind: Timeout, Server: server, Err: err}
	}
	return &Error{Kind: Network, Server: server, Err: err}
}

// contextError reports the end of the caller's context.
func contextError(err error, server string) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: Timeout, Server: server, Err: err}
	}
	return &Error{Kind: Canceled, Err: err}
}
