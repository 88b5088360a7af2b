package probe

import (
	"errors"
	"regexp"
	"strings"
)

// firstLine reads the greeting's first line, naming binary data and
// endless lines as protocol errors.
func (s *session) firstLine() (string, error) {
	line, err := s.lr.readFirstLine()
	var binary *notTextError
	var long *lineTooLongError
	switch {
	case errors.As(err, &binary):
		got := "binary"
		if len(binary.data) >= 2 && (binary.data[0] == 0x15 || binary.data[0] == 0x16) && binary.data[1] == 0x03 {
			got = "TLS"
		}
		return "", &ProtocolError{Expected: s.srv.Protocol, Got: got, Line: hexSample(binary.data)}
	case errors.As(err, &long):
		return "", &ProtocolError{Expected: s.srv.Protocol, Got: "long", Line: long.Error()[len("server sent "):]}
	case err != nil:
		return "", err
	}
	return line, nil
}

var smtpReplyLine = regexp.MustCompile(`^[1-5][0-9][0-9]([ -]|$)`)

// recognise names the protocol a greeting line belongs to, or what else
// it looks like; "" when it is unrecognised text.
func recognise(line string) string {
	up := strings.ToUpper(line)
	switch {
	case strings.HasPrefix(up, "+OK"), strings.HasPrefix(up, "-ERR"):
		return "POP3"
	case strings.HasPrefix(up, "* OK"), strings.HasPrefix(up, "* PREAUTH"), strings.HasPrefix(up, "* BYE"):
		return "IMAP"
	case smtpReplyLine.MatchString(line):
		return "SMTP"
	case strings.HasPrefix(up, "HTTP/"):
		return "HTTP"
	case strings.HasPrefix(up, "SSH-"):
		return "SSH"
	}
	return ""
}

// wrongGreeting is the protocol error for a greeting of another kind.
func (s *session) wrongGreeting(line string) error {
	return &ProtocolError{Expected: s.srv.Protocol, Got: recognise(line), Line: printable(line)}
}

// hasWord reports whether a capability list holds name as a capability
// (the first word of a line, case-insensitive).
func hasWord(caps []string, name string) bool {
	for _, c := range caps {
		if f := strings.Fields(c); len(f) > 0 && strings.EqualFold(f[0], name) {
			return true
		}
	}
	return false
}

// addUnique appends upper-cased names not already present.
func addUnique(list []string, names ...string) []string {
	for _, n := range names {
		n = strings.ToUpper(n)
		dup := false
		for _, m := range list {
			dup = dup || m == n
		}
		if !dup && n != "" {
			list = append(list, n)
		}
	}
	return list
}
