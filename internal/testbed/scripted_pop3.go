package testbed

import (
	"errors"
	"strings"

	"mailsetup/mailcfg"
)

func (s *ScriptedServer) pop3Capabilities(sess *Session) []string {
	if s.script.Capabilities != nil {
		return s.script.Capabilities
	}
	caps := []string{"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}
	if s.plaintextRefused(sess) {
		return append(caps, "STLS")
	}
	caps = append(caps, "USER", "SASL PLAIN LOGIN")
	if s.Security == mailcfg.STARTTLS && !sess.TLS {
		caps = append(caps, "STLS")
	}
	return caps
}

func (s *ScriptedServer) servePOP3(t *textConn, sess *Session) {
	if s.greet(t, "+OK Scripted POP3 server ready.") != nil {
		return
	}
	const refused = "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections."
	for {
		line, err := t.readLine()
		if err != nil {
			return
		}
		v, arg := verb(line)
		s.record(sess, v)
		var def string
		switch v {
		case "CAPA":
			def = "+OK Capability list follows\n" + strings.Join(s.pop3Capabilities(sess), "\n") + "\n."
		case "STLS":
			if s.Security != mailcfg.STARTTLS || sess.TLS {
				def = "-ERR TLS not available"
				break
			}
			if s.startTLS(t, sess, v, line, "+OK Begin TLS negotiation now.", asIs) != nil {
				return
			}
			continue
		case "USER":
			sess.User = arg
			def = "+OK"
			if s.plaintextRefused(sess) {
				def = refused
			}
		case "PASS":
			switch {
			case s.plaintextRefused(sess):
				def = refused
			case sess.User == "":
				def = "-ERR No username given."
			case s.accepts(sess.User, arg):
				def = "+OK Logged in."
			default:
				def = "-ERR [AUTH] Authentication failed."
			}
		case "AUTH":
			if arg == "" {
				def = "+OK\nPLAIN\nLOGIN\n."
				break
			}
			if s.plaintextRefused(sess) {
				def = refused
				break
			}
			mech, initial, hasInitial := strings.Cut(arg, " ")
			user, pass, err := saslExchange(mech, initial, hasInitial, saslPrompt(t, "+ "))
			sess.User = user
			switch {
			case errors.Is(err, errSASLMechanism):
				def = "-ERR Unsupported authentication mechanism."
			case errors.Is(err, errSASLCancelled):
				def = "-ERR Authentication cancelled."
			case err != nil && !errors.Is(err, errSASLSyntax):
				return
			case err == nil && s.accepts(user, pass):
				def = "+OK Logged in."
			default:
				def = "-ERR [AUTH] Authentication failed."
			}
		case "STAT":
			def = "+OK 0 0"
		case "LIST":
			def = "+OK 0 messages:\n."
		case "UIDL":
			def = "+OK\n."
		case "NOOP", "RSET":
			def = "+OK"
		case "QUIT":
			t.send(s.replyOr(sess, v, line, "+OK Logging out."))
			return
		default:
			def = "-ERR Unknown command."
		}
		def = s.replyOr(sess, v, line, def)
		if v == "PASS" || (v == "AUTH" && arg != "") {
			sess.Authenticated = strings.HasPrefix(def, "+OK")
		}
		if t.send(def) != nil {
			return
		}
	}
}
