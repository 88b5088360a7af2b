package probe

import (
	"fmt"
	"regexp"
	"strings"
)

// imapGreeting is what the IMAP greeting said.
type imapGreeting struct {
	caps           []string // from a [CAPABILITY …] code
	preauth        bool
	afterStartTLS  bool
	greetingCapsOK bool // caps may be taken from the greeting
}

type imapDialect struct{}

var imapCapCode = regexp.MustCompile(`(?i)^\* (?:OK|PREAUTH) \[CAPABILITY ([^\]]*)\]`)

func (imapDialect) greeting(s *session) (string, error) {
	line, err := s.firstLine()
	if err != nil {
		return "", err
	}
	switch up := strings.ToUpper(line); {
	case strings.HasPrefix(up, "* OK"):
	case strings.HasPrefix(up, "* PREAUTH"):
		s.imap.preauth = true
	case strings.HasPrefix(up, "* BYE"):
		return line, &ReplyError{Reply: line}
	default:
		return line, s.wrongGreeting(line)
	}
	if m := imapCapCode.FindStringSubmatch(line); m != nil {
		s.imap.caps = strings.Fields(m[1])
		s.imap.greetingCapsOK = true
	}
	return line, nil
}

// command sends a tagged command and returns the untagged lines before
// the tagged completion; a NO or BAD completion is a ReplyError.
func (s *session) imapCommand(cmd string) ([]string, error) {
	s.tag++
	tag := fmt.Sprintf("m%d", s.tag)
	if err := s.send(tag + " " + cmd); err != nil {
		return nil, err
	}
	var untagged []string
	for range maxListLines {
		line, err := s.readLine()
		if err != nil {
			return nil, err
		}
		if rest, ok := strings.CutPrefix(line, tag+" "); ok {
			if strings.HasPrefix(strings.ToUpper(rest), "OK") {
				return untagged, nil
			}
			return untagged, &ReplyError{Command: cmd, Reply: rest}
		}
		if !strings.HasPrefix(line, "* ") {
			return nil, &ProtocolError{Detail: "unexpected answer to " + cmd + ": " + printable(line)}
		}
		untagged = append(untagged, line)
	}
	return nil, &ProtocolError{Detail: "answer to " + cmd + " does not end"}
}

func (imapDialect) capabilities(s *session, afterTLS bool) ([]string, error) {
	if s.imap.greetingCapsOK && !s.imap.afterStartTLS {
		return s.imap.caps, nil
	}
	untagged, err := s.imapCommand("CAPABILITY")
	if err != nil {
		return nil, err
	}
	caps := []string{}
	for _, line := range untagged {
		f := strings.Fields(line)
		if len(f) > 1 && strings.EqualFold(f[1], "CAPABILITY") {
			caps = append(caps, f[2:]...)
		}
	}
	return caps, nil
}

func (imapDialect) offersStartTLS(s *session, caps []string) (bool, bool) {
	return hasWord(caps, "STARTTLS"), false
}

func (imapDialect) startTLS(s *session) error {
	_, err := s.imapCommand("STARTTLS")
	s.imap.afterStartTLS = true
	return err
}

func (imapDialect) quit(s *session) { s.imapCommand("LOGOUT") }

// replay stands in for the greeting with the capabilities already known,
// so the library needs no CAPABILITY round trip.
func (imapDialect) replay(s *session) []byte {
	kind := "OK"
	if s.imap.preauth {
		kind = "PREAUTH"
	}
	if len(s.caps) > 0 {
		return []byte(fmt.Sprintf("* %s [CAPABILITY %s] session resumed\r\n", kind, strings.Join(s.caps, " ")))
	}
	return []byte("* " + kind + " session resumed\r\n")
}

func imapMechanisms(caps []string) []string {
	var mechs []string
	for _, c := range caps {
		if len(c) > 5 && strings.EqualFold(c[:5], "AUTH=") {
			mechs = addUnique(mechs, c[5:])
		}
	}
	return mechs
}
