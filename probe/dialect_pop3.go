package probe

import (
	"regexp"
	"strings"
)

// pop3Facts is what the first POP3 exchange learned.
type pop3Facts struct {
	greeting  string
	timestamp string // APOP timestamp from the greeting, "<…@…>"
	noCAPA    bool   // CAPA answered -ERR: capabilities unknown
}

type pop3Dialect struct{}

var apopTimestamp = regexp.MustCompile(`<[^<>\s]+@[^<>\s]+>`)

const maxListLines = 1000

func (pop3Dialect) greeting(s *session) (string, error) {
	line, err := s.firstLine()
	if err != nil {
		return "", err
	}
	switch up := strings.ToUpper(line); {
	case strings.HasPrefix(up, "+OK"):
	case strings.HasPrefix(up, "-ERR"):
		return line, &ReplyError{Reply: line}
	default:
		return line, s.wrongGreeting(line)
	}
	s.pop3.greeting = line
	s.pop3.timestamp = apopTimestamp.FindString(line)
	return line, nil
}

func (pop3Dialect) capabilities(s *session, afterTLS bool) ([]string, error) {
	if err := s.send("CAPA"); err != nil {
		return nil, err
	}
	line, err := s.readLine()
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(strings.ToUpper(line), "-ERR") {
		s.pop3.noCAPA = true // RFC 2449 is optional; old servers have no CAPA
		return nil, nil
	}
	if !strings.HasPrefix(strings.ToUpper(line), "+OK") {
		return nil, &ProtocolError{Detail: "unexpected answer to CAPA: " + printable(line)}
	}
	s.pop3.noCAPA = false
	caps := []string{}
	for range maxListLines {
		line, err := s.readLine()
		if err != nil {
			return nil, err
		}
		if line == "." {
			return caps, nil
		}
		caps = append(caps, strings.TrimPrefix(line, "."))
	}
	return nil, &ProtocolError{Detail: "CAPA list does not end"}
}

func (pop3Dialect) offersStartTLS(s *session, caps []string) (bool, bool) {
	return hasWord(caps, "STLS"), s.pop3.noCAPA
}

func (pop3Dialect) startTLS(s *session) error {
	if err := s.send("STLS"); err != nil {
		return err
	}
	line, err := s.readLine()
	if err != nil {
		return err
	}
	if !strings.HasPrefix(strings.ToUpper(line), "+OK") {
		return &ReplyError{Command: "STLS", Reply: line}
	}
	return nil
}

func (pop3Dialect) quit(s *session) {
	if s.send("QUIT") == nil {
		s.readLine()
	}
}

// replay gives the client the original greeting, which also carries the
// APOP timestamp valid for the whole session.
func (pop3Dialect) replay(s *session) []byte { return []byte(s.pop3.greeting + "\r\n") }

func pop3Mechanisms(caps []string) []string {
	var mechs []string
	for _, c := range caps {
		if f := strings.Fields(c); len(f) > 1 && strings.EqualFold(f[0], "SASL") {
			mechs = addUnique(mechs, f[1:]...)
		}
	}
	return mechs
}
