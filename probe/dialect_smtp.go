package probe

import (
	"strconv"
	"strings"
)

// smtpGreeting holds the greeting lines and the last EHLO reply, replayed
// to go-smtp.
type smtpGreeting struct {
	lines         []string
	afterStartTLS bool
	ehlo          []byte // the last EHLO reply as the server sent it
}

type smtpDialect struct{}

func (smtpDialect) greeting(s *session) (string, error) {
	line, err := s.firstLine()
	if err != nil {
		return "", err
	}
	if !smtpReplyLine.MatchString(line) {
		return line, s.wrongGreeting(line)
	}
	lines := []string{line}
	for len(line) > 3 && line[3] == '-' && len(lines) < maxListLines {
		if line, err = s.readLine(); err != nil {
			return "", err
		}
		if !strings.HasPrefix(line, lines[0][:3]) {
			return "", &ProtocolError{Detail: "malformed SMTP greeting: " + printable(line)}
		}
		lines = append(lines, line)
	}
	greeting := strings.Join(lines, "\n")
	if lines[0][:3] != "220" {
		return greeting, &ReplyError{Reply: greeting}
	}
	s.smtp.lines = lines
	return greeting, nil
}

// smtpReply reads one reply: its code and the text of each line.
func (s *session) smtpReply(cmd string) (int, []string, error) {
	var texts []string
	code := ""
	for range maxListLines {
		line, err := s.readLine()
		if err != nil {
			return 0, nil, err
		}
		if !smtpReplyLine.MatchString(line) || code != "" && line[:3] != code {
			return 0, nil, &ProtocolError{Detail: "malformed answer to " + cmd + ": " + printable(line)}
		}
		code = line[:3]
		if len(line) > 4 {
			texts = append(texts, line[4:])
		} else {
			texts = append(texts, "")
		}
		if len(line) == 3 || line[3] == ' ' {
			n, _ := strconv.Atoi(code)
			return n, texts, nil
		}
	}
	return 0, nil, &ProtocolError{Detail: "answer to " + cmd + " does not end"}
}

func (s *session) smtpCommand(cmd string, want int) ([]string, error) {
	if err := s.send(cmd); err != nil {
		return nil, err
	}
	code, texts, err := s.smtpReply(cmd)
	if err != nil {
		return nil, err
	}
	if code != want {
		return texts, &ReplyError{Command: strings.Fields(cmd)[0], Reply: strconv.Itoa(code) + " " + strings.Join(texts, " ")}
	}
	return texts, nil
}

func (smtpDialect) capabilities(s *session, afterTLS bool) ([]string, error) {
	texts, err := s.smtpCommand("EHLO "+s.o.ehloName(), 250)
	if err == nil {
		s.smtp.ehlo = smtpReplyBytes(250, texts)
		return append([]string{}, texts[1:]...), nil
	}
	if reply, refused := err.(*ReplyError); !refused || !strings.HasPrefix(reply.Reply, "5") {
		return nil, err // a 4xx (busy, shutting down) is no sign of an old server
	}
	// An old server without ESMTP: HELO works, and there are no extensions.
	if _, err := s.smtpCommand("HELO "+s.o.ehloName(), 250); err != nil {
		return nil, err
	}
	return []string{}, nil
}

func (smtpDialect) offersStartTLS(s *session, caps []string) (bool, bool) {
	return hasWord(caps, "STARTTLS"), false
}

func (smtpDialect) startTLS(s *session) error {
	_, err := s.smtpCommand("STARTTLS", 220)
	s.smtp.afterStartTLS = true
	return err
}

func (smtpDialect) quit(s *session) { s.smtpCommand("QUIT", 221) }

// smtpReplyBytes rebuilds a multi-line reply as it came over the wire.
func smtpReplyBytes(code int, texts []string) []byte {
	var b []byte
	for i, t := range texts {
		sep := "-"
		if i == len(texts)-1 {
			sep = " "
		}
		b = append(b, strconv.Itoa(code)+sep+t+"\r\n"...)
	}
	return b
}

// replay gives go-smtp the greeting it waits for; after STARTTLS there
// was none, so a stand-in takes its place.
func (smtpDialect) replay(s *session) []byte {
	if s.smtp.afterStartTLS {
		return []byte("220 session resumed after STARTTLS\r\n")
	}
	return []byte(strings.Join(s.smtp.lines, "\r\n") + "\r\n")
}

func smtpMechanisms(caps []string) []string {
	var mechs []string
	for _, c := range caps {
		f := strings.Fields(c)
		if len(f) == 0 {
			continue
		}
		switch up := strings.ToUpper(f[0]); {
		case up == "AUTH":
			mechs = addUnique(mechs, f[1:]...)
		case strings.HasPrefix(up, "AUTH="): // pre-standard form of old Outlook-era servers
			mechs = addUnique(mechs, append([]string{f[0][5:]}, f[1:]...)...)
		}
	}
	return mechs
}

func smtpSize(caps []string) int64 {
	for _, c := range caps {
		if f := strings.Fields(c); len(f) == 2 && strings.EqualFold(f[0], "SIZE") {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}
