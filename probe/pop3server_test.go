package probe

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"testing"
)

// pop3Script is a small POP3 server for tests: enough of RFC 1939, 2449,
// 2595 and 5034 to log in every way the client can, count and read headers.
type pop3Script struct {
	greeting    string      // default: +OK with an APOP timestamp
	capa        []string    // nil: CAPA is answered -ERR
	stls        *tls.Config // STLS works when set
	implicitTLS *tls.Config
	user, pass  string
	messages    []string // full messages; TOP returns what precedes the blank line
	seen        recorder
}

const apopStamp = "<1896.697170952@mail.example.test>"

func (p *pop3Script) start(t *testing.T) int {
	if p.greeting == "" {
		p.greeting = "+OK POP3 ready " + apopStamp
	}
	return listen(t, p.serve)
}

func (p *pop3Script) serve(c net.Conn) {
	if p.implicitTLS != nil {
		tc := tls.Server(c, p.implicitTLS)
		if tc.Handshake() != nil {
			return
		}
		c = tc
	}
	s := newScriptConn(c, &p.seen)
	s.send(p.greeting)
	user, authed := "", false
	check := func(u, pw string) {
		if u == p.user && pw == p.pass {
			authed = true
			s.send("+OK logged in")
		} else {
			s.send("-ERR [AUTH] invalid user name or password")
		}
	}
	readB64 := func() (string, bool) {
		line, err := s.read()
		if err != nil {
			return "", false
		}
		b, err := base64.StdEncoding.DecodeString(line)
		return string(b), err == nil
	}
	for {
		line, err := s.read()
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			s.send("-ERR empty command")
			continue
		}
		switch cmd := strings.ToUpper(f[0]); {
		case cmd == "CAPA" && p.capa == nil:
			s.send("-ERR unknown command")
		case cmd == "CAPA":
			s.send("+OK capabilities follow")
			s.send(p.capa...)
			s.send(".")
		case cmd == "STLS" && p.stls != nil:
			s.send("+OK begin TLS")
			if s.startTLS(p.stls) != nil {
				return
			}
		case cmd == "USER" && len(f) == 2:
			user = f[1]
			s.send("+OK send PASS")
		case cmd == "PASS" && len(f) == 2:
			check(user, f[1])
		case cmd == "APOP" && len(f) == 3:
			sum := md5.Sum([]byte(apopStamp + p.pass))
			if f[1] == p.user && f[2] == hex.EncodeToString(sum[:]) {
				authed = true
				s.send("+OK logged in")
			} else {
				s.send("-ERR [AUTH] permission denied")
			}
		case cmd == "AUTH" && len(f) >= 2 && strings.ToUpper(f[1]) == "PLAIN":
			var ir string
			if len(f) == 3 {
				b, _ := base64.StdEncoding.DecodeString(f[2])
				ir = string(b)
			} else {
				s.send("+ ")
				var ok bool
				if ir, ok = readB64(); !ok {
					s.send("-ERR bad base64")
					continue
				}
			}
			parts := strings.Split(ir, "\x00")
			if len(parts) != 3 {
				s.send("-ERR malformed PLAIN")
				continue
			}
			check(parts[1], parts[2])
		case cmd == "AUTH" && len(f) == 2 && strings.ToUpper(f[1]) == "LOGIN":
			s.send("+ " + base64.StdEncoding.EncodeToString([]byte("Username:")))
			u, ok1 := readB64()
			s.send("+ " + base64.StdEncoding.EncodeToString([]byte("Password:")))
			pw, ok2 := readB64()
			if !ok1 || !ok2 {
				s.send("-ERR bad base64")
				continue
			}
			check(u, pw)
		case cmd == "AUTH" && len(f) == 2 && strings.ToUpper(f[1]) == "CRAM-MD5":
			challenge := "<4711.1@mail.example.test>"
			s.send("+ " + base64.StdEncoding.EncodeToString([]byte(challenge)))
			answer, ok := readB64()
			mac := hmac.New(md5.New, []byte(p.pass))
			mac.Write([]byte(challenge))
			if ok && answer == p.user+" "+hex.EncodeToString(mac.Sum(nil)) {
				authed = true
				s.send("+OK logged in")
			} else {
				s.send("-ERR [AUTH] authentication failed")
			}
		case cmd == "STAT" && authed:
			size := 0
			for _, m := range p.messages {
				size += len(m)
			}
			s.send(fmt.Sprintf("+OK %d %d", len(p.messages), size))
		case cmd == "TOP" && authed && len(f) == 3:
			var n int
			fmt.Sscan(f[1], &n)
			if n < 1 || n > len(p.messages) {
				s.send("-ERR no such message")
				continue
			}
			head, _, _ := strings.Cut(p.messages[n-1], "\r\n\r\n")
			s.send("+OK headers follow")
			s.send(strings.Split(head, "\r\n")...)
			s.send("", ".")
		case cmd == "QUIT":
			s.send("+OK bye")
			return
		default:
			s.send("-ERR unknown command or wrong state")
		}
	}
}
