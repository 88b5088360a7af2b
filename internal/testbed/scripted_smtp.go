package testbed

import (
	"errors"
	"strings"

	"mailsetup/mailcfg"
)

func (s *ScriptedServer) smtpKeywords(sess *Session) []string {
	if s.script.Capabilities != nil {
		return s.script.Capabilities
	}
	kw := []string{"PIPELINING", "SIZE 10485760", "8BITMIME", "ENHANCEDSTATUSCODES"}
	if s.plaintextRefused(sess) {
		return append(kw, "STARTTLS")
	}
	return append(kw, "AUTH PLAIN LOGIN")
}

func (s *ScriptedServer) serveSMTP(t *textConn, sess *Session) {
	if s.greet(t, "220 "+s.hostname()+" ESMTP Scripted") != nil {
		return
	}
	var msg RelayedMessage
	for {
		line, err := t.readLine()
		if err != nil {
			return
		}
		v, arg := verb(line)
		s.record(sess, v)
		var def string
		switch v {
		case "EHLO":
			kw := s.smtpKeywords(sess)
			lines := append([]string{s.hostname()}, kw...)
			for i := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				lines[i] = "250" + sep + lines[i]
			}
			def = strings.Join(lines, "\n")
		case "HELO":
			def = "250 " + s.hostname()
		case "STARTTLS":
			if s.Security != mailcfg.STARTTLS || sess.TLS {
				def = "502 5.5.1 TLS not available"
				break
			}
			if s.startTLS(t, sess, v, line, "220 2.0.0 Ready to start TLS", asIs) != nil {
				return
			}
			continue
		case "AUTH":
			if s.plaintextRefused(sess) {
				def = "530 5.7.0 Must issue a STARTTLS command first"
				break
			}
			mech, initial, hasInitial := strings.Cut(arg, " ")
			user, pass, err := saslExchange(mech, initial, hasInitial, saslPrompt(t, "334 "))
			sess.User = user
			switch {
			case errors.Is(err, errSASLMechanism):
				def = "504 5.5.4 Unrecognized authentication type"
			case errors.Is(err, errSASLCancelled):
				def = "501 5.0.0 Authentication cancelled"
			case errors.Is(err, errSASLSyntax):
				def = "501 5.5.2 Cannot decode response"
			case err != nil:
				return
			case s.accepts(user, pass):
				def = "235 2.7.0 Authentication successful"
			default:
				def = "535 5.7.8 Authentication credentials invalid"
			}
		case "MAIL":
			msg = RelayedMessage{From: angle(arg)}
			def = "250 2.1.0 Ok"
		case "RCPT":
			msg.To = append(msg.To, angle(arg))
			def = "250 2.1.5 Ok"
		case "DATA":
			if len(msg.To) == 0 {
				def = "554 5.5.1 No valid recipients"
				break
			}
			if r, ok := s.reply(sess, v, line); ok {
				if t.send(r) != nil {
					return
				}
				continue
			}
			if t.send("354 End data with <CR><LF>.<CR><LF>") != nil {
				return
			}
			data, err := t.readDotted()
			if err != nil {
				return
			}
			msg.Data = data
			s.mu.Lock()
			s.messages = append(s.messages, msg)
			s.mu.Unlock()
			msg = RelayedMessage{}
			if t.send("250 2.0.0 Ok: queued") != nil {
				return
			}
			continue
		case "RSET":
			msg = RelayedMessage{}
			def = "250 2.0.0 Ok"
		case "NOOP":
			def = "250 2.0.0 Ok"
		case "QUIT":
			t.send(s.replyOr(sess, v, line, "221 2.0.0 Bye"))
			return
		default:
			def = "502 5.5.2 Error: command not recognized"
		}
		def = s.replyOr(sess, v, line, def)
		if v == "AUTH" {
			sess.Authenticated = strings.HasPrefix(def, "235")
		}
		if t.send(def) != nil {
			return
		}
	}
}
