package testbed

import (
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// Script shapes a scripted POP3, IMAP or SMTP server: enough of each
// protocol for a client to connect, upgrade, log in and look around, with
// any reply replaceable to mimic a provider's quirks.
type Script struct {
	// Names are the names the certificate covers; empty means whatever
	// name the client asks for (SNI).
	Names []string
	// Cert is the kind of certificate served (CertValid by default).
	Cert CertKind
	// BrokenTLS makes every TLS handshake fail with a handshake_failure alert.
	BrokenTLS bool
	// Greeting replaces the whole greeting line(s), e.g. "+OK QQMail POP3 Server v1.0 Service Ready".
	Greeting string
	// Capabilities replace the default capability list: CAPA lines for
	// POP3, CAPABILITY atoms for IMAP, EHLO keywords for SMTP. STARTTLS is
	// then offered only if listed.
	Capabilities []string
	// Replies replace the reply to a command, keyed by its upper-case verb
	// (USER, PASS, AUTH, STLS, LOGIN, AUTHENTICATE, SELECT, MAIL, …).
	// POP3 and SMTP replies are sent as written; for IMAP the last line gets
	// the command's tag, so "NO Unsafe Login." answers "a3 NO Unsafe Login.".
	// Several lines are separated by "\n". A replaced AUTH or AUTHENTICATE
	// still runs its SASL exchange first; a replaced STLS/STARTTLS does not
	// start TLS.
	Replies map[string]string
	// Users, when set, are the only credentials accepted; nil accepts any.
	Users map[string]string
	// RequireIMAPID makes an IMAP server behave as NetEase's: SELECT and
	// EXAMINE answer NeteaseUnsafeLogin until the client has sent ID
	// (RFC 2971) on the connection. Whether ID is advertised is up to
	// Capabilities (the default list has it).
	RequireIMAPID bool
	// Hook, when set, is asked first for every reply; ok=false falls back
	// to Replies and the default. It is called from one goroutine per
	// connection.
	Hook func(s *Session, verb, line string) (reply string, ok bool)
}

// HangUp, as a reply (Replies or Hook; IMAP), closes the connection
// instead of answering: a server that cuts off a client it distrusts.
const HangUp = "\x00hang up"

// NeteaseUnsafeLogin is how NetEase's IMAP servers refuse SELECT and
// EXAMINE to a client that did not send ID; "%s" is the verb.
const NeteaseUnsafeLogin = "NO %s Unsafe Login. Please contact kefu@188.com for help"

// Session is one client connection to a scripted server.
type Session struct {
	Protocol      mailcfg.Protocol
	TLS           bool   // TLS is up (implicit or after STARTTLS)
	User          string // the last user name the client gave
	Authenticated bool
	seen          map[string]int
}

// Seen reports whether the client already sent verb on this connection.
func (s *Session) Seen(verb string) bool { return s.seen[strings.ToUpper(verb)] > 0 }

// ScriptedServer is a running scripted server.
type ScriptedServer struct {
	IP       string
	StdPort  int
	Addr     string // actual "ip:port"
	Protocol mailcfg.Protocol
	Security mailcfg.Security

	bed    *Bed
	script Script
	tls    *tls.Config
	srv    *TCPServer

	mu       sync.Mutex
	commands []string
	messages []RelayedMessage
}

// Scripted starts a scripted server on ip (empty: a new address) as
// ip:stdPort; it stops when t's test ends.
func (b *Bed) Scripted(t testing.TB, ip string, stdPort int, sec mailcfg.Security, proto mailcfg.Protocol, script Script) *ScriptedServer {
	if t != nil {
		t.Helper()
	}
	s, err := b.StartScripted(ip, stdPort, sec, proto, script)
	if err != nil {
		fail(t, err)
	}
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// StartScripted is Scripted for callers without a testing.TB; the server
// stops with Close or with the bed.
func (b *Bed) StartScripted(ip string, stdPort int, sec mailcfg.Security, proto mailcfg.Protocol, script Script) (*ScriptedServer, error) {
	if !sec.Valid() || !proto.Valid() {
		return nil, fmt.Errorf("scripted server: bad protocol %q or security %q", proto, sec)
	}
	ip = b.ipOrNew(ip)
	s := &ScriptedServer{IP: ip, StdPort: stdPort, Protocol: proto, Security: sec, bed: b, script: script,
		tls: b.serverTLS(script.Cert, script.Names)}
	srv, err := ServeTCP(hostPort(ip, 0), s.serve)
	if err != nil {
		return nil, err
	}
	s.srv, s.Addr = srv, srv.Addr()
	b.mapPort(ip, stdPort, s.Addr)
	b.own(nil, s.Close)
	return s, nil
}

// Close stops the server and removes its map entry.
func (s *ScriptedServer) Close() {
	s.srv.Close()
	s.bed.unmapPort(s.IP, s.StdPort, s.Addr)
}

// Accepted counts the connections accepted so far.
func (s *ScriptedServer) Accepted() int { return int(s.srv.accepted.Load()) }

// Commands lists the verbs clients sent, in order, over all connections
// (arguments are left out: they may hold passwords).
func (s *ScriptedServer) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

// Messages lists the messages an SMTP scripted server accepted.
func (s *ScriptedServer) Messages() []RelayedMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RelayedMessage(nil), s.messages...)
}

func (s *ScriptedServer) record(sess *Session, v string) {
	sess.seen[v]++
	s.mu.Lock()
	s.commands = append(s.commands, v)
	s.mu.Unlock()
}

// reply is the scripted reply for verb, if the script has one.
func (s *ScriptedServer) reply(sess *Session, v, line string) (string, bool) {
	if s.script.Hook != nil {
		if r, ok := s.script.Hook(sess, v, line); ok {
			return r, true
		}
	}
	r, ok := s.script.Replies[v]
	return r, ok
}

// replyOr is the scripted reply for verb, or def when the script has none.
func (s *ScriptedServer) replyOr(sess *Session, v, line, def string) string {
	if r, ok := s.reply(sess, v, line); ok {
		return r
	}
	return def
}

// greet sends the script's greeting, or def when the script has none.
func (s *ScriptedServer) greet(t *textConn, def string) error {
	if s.script.Greeting != "" {
		def = s.script.Greeting
	}
	return t.send(def)
}

// startTLS answers an allowed STLS or STARTTLS: with the scripted reply
// when there is one (TLS then does not start), else with ready and the
// handshake. format readies a reply for the wire (IMAP tags it).
func (s *ScriptedServer) startTLS(t *textConn, sess *Session, v, line, ready string, format func(string) string) error {
	if r, ok := s.reply(sess, v, line); ok {
		return t.send(format(r))
	}
	if err := t.send(format(ready)); err != nil {
		return err
	}
	if err := s.upgrade(t); err != nil {
		return err
	}
	sess.TLS = true
	return nil
}

// asIs leaves a POP3 or SMTP reply as written.
func asIs(reply string) string { return reply }

// saslPrompt sends each SASL challenge after prefix ("+ " or "334 ") and
// returns the client's answer line.
func saslPrompt(t *textConn, prefix string) func(challenge string) (string, error) {
	return func(challenge string) (string, error) {
		if err := t.send(prefix + challenge); err != nil {
			return "", err
		}
		return t.readLine()
	}
}

func (s *ScriptedServer) accepts(user, pass string) bool {
	if s.script.Users == nil {
		return true
	}
	want, ok := s.script.Users[user]
	return ok && want == pass
}

// plaintextRefused reports whether a login must wait for STARTTLS.
func (s *ScriptedServer) plaintextRefused(sess *Session) bool {
	return s.Security == mailcfg.STARTTLS && !sess.TLS
}

// handshakeFailureAlert is a TLS record: fatal alert, handshake_failure.
var handshakeFailureAlert = []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}

// upgrade starts TLS on t, or fails the handshake on purpose.
func (s *ScriptedServer) upgrade(t *textConn) error {
	if s.script.BrokenTLS {
		t.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 4096)
		t.r.Read(buf) // the ClientHello
		t.c.Write(handshakeFailureAlert)
		return fmt.Errorf("handshake failed on purpose")
	}
	return t.startTLS(s.tls)
}

func (s *ScriptedServer) serve(c net.Conn, _ <-chan struct{}) {
	t := newTextConn(c)
	sess := &Session{Protocol: s.Protocol, seen: map[string]int{}}
	if s.Security == mailcfg.TLS {
		if s.upgrade(t) != nil {
			return
		}
		sess.TLS = true
	}
	switch s.Protocol {
	case mailcfg.POP3:
		s.servePOP3(t, sess)
	case mailcfg.IMAP:
		s.serveIMAP(t, sess)
	case mailcfg.SMTP:
		s.serveSMTP(t, sess)
	}
}

func (s *ScriptedServer) hostname() string {
	if len(s.script.Names) > 0 {
		return s.script.Names[0]
	}
	return "mail.testbed.invalid"
}
