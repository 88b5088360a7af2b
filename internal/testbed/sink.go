package testbed

import (
	"net"
	"strings"
	"sync"
)

// RelayedMessage is a message dovecot's submission service handed to its
// relay (the bed's SMTP sink).
type RelayedMessage struct {
	From string
	To   []string
	Data []byte
}

// smtpSink is the relay behind dovecot's submission service: it accepts
// every message and delivers it into the Maildir of each recipient it
// knows, so "send a test message, then fetch it" works end to end.
type smtpSink struct {
	srv     *TCPServer
	maildir func(rcpt string) (string, bool)
	owner   owner

	mu       sync.Mutex
	received []RelayedMessage
}

func startSink(maildir func(string) (string, bool), o owner) (*smtpSink, error) {
	s := &smtpSink{maildir: maildir, owner: o}
	srv, err := ServeTCP("127.0.0.1:0", func(c net.Conn, _ <-chan struct{}) { s.serve(newTextConn(c)) })
	if err != nil {
		return nil, err
	}
	s.srv = srv
	return s, nil
}

func (s *smtpSink) Close() { s.srv.Close() }

func (s *smtpSink) messages() []RelayedMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RelayedMessage(nil), s.received...)
}

// angle extracts the address from "FROM:<a@b> SIZE=…".
func angle(arg string) string {
	if i := strings.IndexByte(arg, '<'); i >= 0 {
		if j := strings.IndexByte(arg[i:], '>'); j >= 0 {
			return arg[i+1 : i+j]
		}
	}
	_, after, _ := strings.Cut(arg, ":")
	if f := strings.Fields(after); len(f) > 0 {
		return f[0]
	}
	return ""
}

func (s *smtpSink) serve(t *textConn) {
	if t.send("220 sink.testbed.invalid ESMTP test sink") != nil {
		return
	}
	var from string
	var to []string
	for {
		line, err := t.readLine()
		if err != nil {
			return
		}
		v, arg := verb(line)
		var reply string
		switch v {
		case "EHLO":
			reply = "250-sink.testbed.invalid\n250-8BITMIME\n250 ENHANCEDSTATUSCODES"
		case "HELO":
			reply = "250 sink.testbed.invalid"
		case "MAIL":
			from, to = angle(arg), nil
			reply = "250 2.1.0 Ok"
		case "RCPT":
			to = append(to, angle(arg))
			reply = "250 2.1.5 Ok"
		case "DATA":
			if len(to) == 0 {
				reply = "554 5.5.1 No valid recipients"
				break
			}
			if t.send("354 End data with <CR><LF>.<CR><LF>") != nil {
				return
			}
			data, err := t.readDotted()
			if err != nil {
				return
			}
			s.store(RelayedMessage{From: from, To: to, Data: data})
			from, to = "", nil
			reply = "250 2.0.0 Ok: queued"
		case "RSET":
			from, to = "", nil
			reply = "250 2.0.0 Ok"
		case "NOOP":
			reply = "250 2.0.0 Ok"
		case "QUIT":
			t.send("221 2.0.0 Bye")
			return
		default:
			reply = "502 5.5.2 Command not recognized"
		}
		if t.send(reply) != nil {
			return
		}
	}
}

func (s *smtpSink) store(m RelayedMessage) {
	s.mu.Lock()
	s.received = append(s.received, m)
	s.mu.Unlock()
	for _, rcpt := range m.To {
		if dir, ok := s.maildir(rcpt); ok {
			deliver(dir, s.owner, m.Data)
		}
	}
}
