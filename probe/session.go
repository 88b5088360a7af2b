package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"mailsetup/dnsx"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// session is one connection being probed; after a successful open it is
// ready to be handed to a protocol library for the login.
type session struct {
	ctx context.Context
	srv mailcfg.Server
	o   *Options
	d   dialect
	res *Result

	raw  *guardConn
	tls  *tls.Conn   // nil while plain
	conn net.Conn    // the transcribed connection the protocol is spoken on
	lr   *lineReader // reads conn
	t    *transcript
	cur  Phase        // phase in progress, for error messages
	tag  int          // IMAP command tags
	pop3 pop3Facts    // what the POP3 exchange learned
	smtp smtpGreeting // the SMTP greeting lines
	imap imapGreeting // the IMAP greeting
	caps []string     // capabilities governing the login
}

// dialect is the part of the first exchange that depends on the protocol.
type dialect interface {
	// greeting reads the server's first words and checks they are of the
	// expected protocol.
	greeting(s *session) (string, error)
	// capabilities asks for the capability list (CAPA, CAPABILITY, EHLO).
	capabilities(s *session, afterTLS bool) ([]string, error)
	// offersStartTLS reads the capability list; unknown means the server
	// did not say, and the command is worth trying.
	offersStartTLS(s *session, caps []string) (offered, unknown bool)
	// startTLS sends STARTTLS/STLS and reads the go-ahead.
	startTLS(s *session) error
	// quit ends the session politely.
	quit(s *session)
	// replay is what a library must read first to pick the session up.
	replay(s *session) []byte
}

func dialectFor(p mailcfg.Protocol) dialect {
	switch p {
	case mailcfg.POP3:
		return pop3Dialect{}
	case mailcfg.IMAP:
		return imapDialect{}
	case mailcfg.SMTP:
		return smtpDialect{}
	}
	return nil
}

func (s *session) enter(p Phase) {
	s.cur = p
	s.o.phase(p)
}

// setConn makes c (the raw or the TLS connection) the one spoken on.
func (s *session) setConn(c net.Conn) {
	s.conn = &transcriptConn{Conn: c, t: s.t}
	s.lr = newLineReader(s.conn, maxLine)
}

func (s *session) send(line string) error {
	_, err := io.WriteString(s.conn, line+"\r\n")
	return err
}

func (s *session) readLine() (string, error) { return s.lr.readLine() }

// handoff returns the connection for a library, with the greeting to
// replay and anything the server sent beyond what we read.
func (s *session) handoff() net.Conn {
	prefix := append(s.d.replay(s), s.lr.buffered()...)
	return newReplayConn(s.conn, prefix)
}

// smtpHandoff is handoff for go-smtp, which says EHLO before anything
// else: the probe's own EHLO stands (it was the last command, after TLS),
// so go-smtp's is answered from the probe's reply instead of costing a
// round trip.
func (s *session) smtpHandoff() net.Conn {
	r := s.handoff().(*replayConn)
	if s.smtp.ehlo != nil {
		r.answerFirst("EHLO ", s.smtp.ehlo)
	}
	return r
}

func (s *session) close() {
	if s.raw != nil {
		s.raw.Close()
	}
}

// hangUp says goodbye (QUIT, LOGOUT) and closes without waiting for the
// answer: the probe's verdict is already known, and the server's farewell
// would cost one more round trip before the result reaches the engine.
func (s *session) hangUp() {
	if s.raw != nil {
		s.raw.endReads() // the farewell's read fails at once
		s.d.quit(s)
	}
	s.close()
}

// leave ends a logged-in session as hangUp ends a probe: the library's
// goodbye (LOGOUT, QUIT) goes out, its answer is not waited for. bye says
// it and calls s.endReads where its library allows: go-smtp writes and
// reads in one call, so before it; go-imap's reader closes the connection
// when a read fails, so only once LOGOUT is written.
func (s *session) leave(bye func()) {
	bye()
	s.close()
}

// endReads makes the session's reads fail at once from now on (guardConn).
func (s *session) endReads() {
	if s.raw != nil {
		s.raw.endReads()
	}
}

// farPast is a deadline that makes blocked and future reads return at once.
var farPast = time.Unix(1, 0)

// encrypted reports whether TLS is up.
func (s *session) encrypted() bool { return s.tls != nil }

// open runs the probe's phases and leaves the session open when the
// server answered (whatever the status), so a login can continue on it.
func open(ctx context.Context, srv mailcfg.Server, o *Options) (*session, Result) {
	start := time.Now()
	res := Result{Server: srv}
	s := &session{ctx: ctx, srv: srv, o: o, res: &res, d: dialectFor(srv.Protocol)}
	err := s.run()
	res.Timings.Total = time.Since(start)
	if err != nil {
		res.Err = err
		res.Status, res.Reason = classify(ctx, err, s.cur, srv, o)
		res.Error = res.Reason.String()
		s.t.note("%s: %s", res.Status, res.Error)
		s.close()
		return nil, res
	}
	return s, res
}

func (s *session) run() error {
	srv, o, res := s.srv, s.o, s.res
	if err := srv.Validate(); err != nil {
		return &configError{err}
	}

	s.enter(PhaseResolve)
	t0 := time.Now()
	addrs, err := resolve(s.ctx, o.Resolver, srv.Host)
	res.Timings.Resolve = time.Since(t0)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		res.Addrs = append(res.Addrs, net.JoinHostPort(a.String(), strconv.Itoa(srv.Port)))
	}

	s.enter(PhaseConnect)
	t0 = time.Now()
	c, addr, err := dnsx.Race(s.ctx, o.dialer(), addrs, srv.Port)
	res.Timings.Connect = time.Since(t0)
	if err != nil {
		return err
	}
	res.Addr = net.JoinHostPort(addr.String(), strconv.Itoa(srv.Port))
	s.raw = newGuardConn(s.ctx, c, MaxRead)
	s.t = newTranscript(o.Transcript, srv.HostPort())
	s.t.note("connected to %s", res.Addr)
	s.setConn(s.raw)

	if srv.Security == mailcfg.TLS {
		s.enter(PhaseTLS)
		t0 = time.Now()
		err := s.handshake()
		res.Timings.TLS = time.Since(t0)
		if err != nil {
			return err
		}
	}

	s.enter(PhaseGreeting)
	t0 = time.Now()
	res.Greeting, err = s.d.greeting(s)
	res.Timings.Greeting = time.Since(t0)
	if err != nil {
		return err
	}

	s.enter(PhaseCapabilities)
	t0 = time.Now()
	caps, err := s.d.capabilities(s, s.encrypted())
	res.Timings.Capabilities = time.Since(t0)
	if err != nil {
		return err
	}

	if srv.Security != mailcfg.TLS {
		res.CapabilitiesBeforeTLS = caps
		offered, unknown := s.d.offersStartTLS(s, caps)
		res.StartTLSOffered = offered
		if srv.Security == mailcfg.STARTTLS && (offered || unknown) {
			s.enter(PhaseStartTLS)
			t0 = time.Now()
			err := s.d.startTLS(s)
			if err == nil && len(s.lr.buffered()) > 0 {
				// Bytes sent before the handshake would be taken as coming
				// from inside TLS: the classic STARTTLS injection.
				err = &ProtocolError{Detail: "server sent data right after agreeing to STARTTLS, before the TLS handshake"}
			}
			if err == nil {
				err = s.handshake()
			}
			res.Timings.TLS = time.Since(t0)
			var reply *ReplyError
			if unknown && errors.As(err, &reply) {
				err = nil // the server did not list STLS and does not do it
			} else if err != nil {
				return err
			} else {
				res.StartTLSOffered = true
				s.enter(PhaseCapabilities)
				t0 = time.Now()
				caps, err = s.d.capabilities(s, true)
				res.Timings.Capabilities += time.Since(t0)
				if err != nil {
					return err
				}
			}
		}
	}
	s.caps = caps
	res.Capabilities = caps
	s.facts()
	s.verdict()
	return nil
}

// verdict settles the status of a session that answered.
func (s *session) verdict() {
	res := s.res
	switch {
	case s.srv.Security == mailcfg.STARTTLS && !s.encrypted():
		res.Status, res.Reason = mailcfg.StatusInsecure, l10n.M("probe.no_starttls")
	case !s.encrypted() && res.StartTLSOffered:
		res.Status, res.Reason = mailcfg.StatusInsecure, l10n.M("probe.plain_starttls_offered")
	case !s.encrypted():
		res.Status, res.Reason = mailcfg.StatusInsecure, l10n.M("probe.plain")
	case !res.TLS.Verified:
		res.Status, res.Reason = mailcfg.StatusCertInvalid, res.TLS.Reason
	default:
		res.Status, res.Reason = mailcfg.StatusOK, l10n.Message{}
	}
	res.Error = res.Reason.String()
}

// handshake starts TLS on the raw connection and judges the certificate.
func (s *session) handshake() error {
	name := s.serverName()
	cfg := tlsConfig(name)
	cfg.ClientSessionCache = s.o.SessionCache
	tc := tls.Client(s.raw, cfg)
	if err := tc.HandshakeContext(s.ctx); err != nil {
		return &tlsError{err}
	}
	s.tls = tc
	s.setConn(tc)
	info := judgeCertificate(tc.ConnectionState(), name, s.o.RootCAs, s.o.Trusted, time.Now())
	s.res.TLS = info
	verdict := "verified"
	switch {
	case info.Pinned:
		verdict = "pinned"
	case !info.Verified:
		verdict = "NOT verified: " + info.Error
	}
	s.t.note("%s %s, certificate %s (%s) %s", info.Version, info.Cipher, info.Subject, info.SHA256, verdict)
	return nil
}

func (s *session) serverName() string {
	if s.o.ServerName != "" {
		return s.o.ServerName
	}
	return strings.TrimSuffix(strings.Trim(s.srv.Host, "[]"), ".")
}

// resolve turns the host into addresses; an IP literal needs no resolver.
func resolve(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	if r == nil {
		return nil, &resolveError{host: host, err: errors.New("no resolver configured")}
	}
	addrs, err := r.LookupHost(ctx, host)
	if err != nil {
		return nil, &resolveError{host: host, err: err}
	}
	if len(addrs) == 0 {
		return nil, &resolveError{host: host, err: errors.New("no addresses")}
	}
	return addrs, nil
}

// resolveError is a host name that gave no address.
type resolveError struct {
	host string
	err  error
}

func (e *resolveError) Error() string { return e.Message().String() }

// Message says why the name gave no address, in any language.
func (e *resolveError) Message() l10n.Message {
	var de *dnsx.Error
	if errors.As(e.err, &de) {
		// The resolver's errors start with the name: say it once.
		bare := *de
		bare.Name = ""
		return l10n.M("probe.unresolved", "host", e.host).Because(bare.Message())
	}
	return l10n.M("probe.unresolved", "host", e.host).Because(l10n.M("probe.detail", "detail", e.err.Error()))
}
func (e *resolveError) Unwrap() error { return e.err }

// tlsError is a failed TLS handshake.
type tlsError struct{ err error }

func (e *tlsError) Error() string { return "TLS handshake failed: " + e.err.Error() }
func (e *tlsError) Unwrap() error { return e.err }

// configError is a server description that cannot be probed.
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }
