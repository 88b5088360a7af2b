package testbed

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

func (s *ScriptedServer) imapCapabilities(sess *Session) string {
	if s.script.Capabilities != nil {
		return strings.Join(s.script.Capabilities, " ")
	}
	caps := "IMAP4rev1 ID SASL-IR LITERAL+ ENABLE IDLE"
	if s.plaintextRefused(sess) {
		return caps + " STARTTLS LOGINDISABLED"
	}
	return caps + " AUTH=PLAIN AUTH=LOGIN"
}

// imapCommand is one command with its literals read in.
type imapCommand struct {
	tag, verb string
	args      []string
	line      string // as sent, literals shown as {n}
}

var literalAtEnd = regexp.MustCompile(`\{(\d+)(\+?)\}$`)

// readIMAPCommand reads a command line and the literals it announces,
// bounded by maxMessage in all.
func readIMAPCommand(t *textConn) (*imapCommand, error) {
	cmd := &imapCommand{}
	var tokens []string
	total := 0
	for {
		line, err := t.readLine()
		if err != nil {
			return nil, err
		}
		cmd.line += line
		m := literalAtEnd.FindStringSubmatch(line)
		if m == nil {
			tokens = append(tokens, imapTokens(line)...)
			break
		}
		tokens = append(tokens, imapTokens(line[:len(line)-len(m[0])])...)
		n, err := strconv.Atoi(m[1])
		if total += n; err != nil || total > maxMessage {
			return nil, errors.New("literal too large")
		}
		if m[2] == "" {
			if err := t.send("+ Ready for literal data"); err != nil {
				return nil, err
			}
		}
		data, err := t.readFull(n)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, string(data))
	}
	if len(tokens) < 2 {
		if len(tokens) == 1 {
			cmd.tag = tokens[0]
		}
		return cmd, nil
	}
	cmd.tag, cmd.verb, cmd.args = tokens[0], strings.ToUpper(tokens[1]), tokens[2:]
	return cmd, nil
}

// imapTokens splits atoms and quoted strings; parentheses stay in atoms,
// which is enough for the commands served here.
func imapTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ':
			i++
		case s[i] == '"':
			var b strings.Builder
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			i++
			out = append(out, b.String())
		default:
			j := strings.IndexByte(s[i:], ' ')
			if j < 0 {
				j = len(s) - i
			}
			out = append(out, s[i:i+j])
			i += j
		}
	}
	return out
}

// tagged puts tag on the last line of reply unless it is untagged already.
func tagged(tag, reply string) string {
	lines := splitLines(reply)
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "* ") && !strings.HasPrefix(last, "+ ") {
		lines[len(lines)-1] = tag + " " + last
	}
	return strings.Join(lines, "\n")
}

func (s *ScriptedServer) serveIMAP(t *textConn, sess *Session) {
	if s.greet(t, "* OK [CAPABILITY "+s.imapCapabilities(sess)+"] Scripted IMAP server ready.") != nil {
		return
	}
	const refused = "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections."
	for {
		cmd, err := readIMAPCommand(t)
		if err != nil {
			return
		}
		if cmd.verb == "" {
			if t.send("* BAD Missing command.") != nil {
				return
			}
			continue
		}
		v := cmd.verb
		s.record(sess, v)
		var def string
		switch v {
		case "CAPABILITY":
			def = "* CAPABILITY " + s.imapCapabilities(sess) + "\nOK Capability completed."
		case "STARTTLS":
			if s.Security != mailcfg.STARTTLS || sess.TLS {
				def = "BAD TLS not available."
				break
			}
			tag := func(r string) string { return tagged(cmd.tag, r) }
			if s.startTLS(t, sess, v, cmd.line, "OK Begin TLS negotiation now.", tag) != nil {
				return
			}
			continue
		case "LOGIN":
			switch {
			case s.plaintextRefused(sess):
				def = refused
			case len(cmd.args) != 2:
				def = "BAD Expected user name and password."
			default:
				sess.User = cmd.args[0]
				def = "NO [AUTHENTICATIONFAILED] Authentication failed."
				if s.accepts(cmd.args[0], cmd.args[1]) {
					def = "OK [CAPABILITY " + s.imapCapabilities(sess) + "] Logged in"
				}
			}
		case "AUTHENTICATE":
			if s.plaintextRefused(sess) {
				def = refused
				break
			}
			if len(cmd.args) == 0 {
				def = "BAD Missing mechanism."
				break
			}
			initial := ""
			if len(cmd.args) > 1 {
				initial = cmd.args[1]
			}
			user, pass, err := saslExchange(cmd.args[0], initial, len(cmd.args) > 1, saslPrompt(t, "+ "))
			sess.User = user
			switch {
			case errors.Is(err, errSASLMechanism):
				def = "NO Unsupported authentication mechanism."
			case errors.Is(err, errSASLCancelled):
				def = "BAD Authentication cancelled."
			case err != nil && !errors.Is(err, errSASLSyntax):
				return
			case err == nil && s.accepts(user, pass):
				def = "OK Logged in"
			default:
				def = "NO [AUTHENTICATIONFAILED] Authentication failed."
			}
		case "ID":
			def = `* ID ("name" "scripted")` + "\nOK ID completed."
		case "ENABLE":
			def = "* ENABLED\nOK Enabled."
		case "NOOP", "CHECK":
			def = "OK " + strings.ToTitle(v[:1]) + strings.ToLower(v[1:]) + " completed."
		case "SELECT", "EXAMINE", "STATUS", "LIST", "LSUB", "NAMESPACE":
			if !sess.Authenticated {
				def = "BAD Command not valid in this state."
				break
			}
			switch v {
			case "SELECT", "EXAMINE":
				if s.script.RequireIMAPID && !sess.Seen("ID") {
					def = fmt.Sprintf(NeteaseUnsafeLogin, v)
					break
				}
				def = "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n" +
					"* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\n" +
					"* 0 EXISTS\n* 0 RECENT\n* OK [UIDVALIDITY 1] UIDs valid\n* OK [UIDNEXT 1] Predicted next UID\n" +
					"OK [READ-WRITE] Select completed."
			case "STATUS":
				def = "* STATUS INBOX (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 1 UNSEEN 0)\nOK Status completed."
			case "LIST", "LSUB":
				def = `* ` + v + ` (\HasNoChildren) "/" INBOX` + "\nOK " + v + " completed."
			case "NAMESPACE":
				def = `* NAMESPACE (("" "/")) NIL NIL` + "\nOK Namespace completed."
			}
		case "LOGOUT":
			t.send(tagged(cmd.tag, s.replyOr(sess, v, cmd.line, "* BYE Logging out\nOK Logout completed.")))
			return
		default:
			def = "BAD Error in IMAP command received by server."
		}
		def = s.replyOr(sess, v, cmd.line, def)
		if def == HangUp {
			return
		}
		def = tagged(cmd.tag, def)
		if v == "LOGIN" || v == "AUTHENTICATE" {
			last := splitLines(def)
			sess.Authenticated = strings.HasPrefix(last[len(last)-1], cmd.tag+" OK")
		}
		if t.send(def) != nil {
			return
		}
	}
}
