package probe

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// Fuzz targets for the probe's own reading of servers: the line reader,
// and the greeting and capability exchange of each protocol (POP3, IMAP,
// SMTP), fed arbitrary bytes as the server's side of the conversation.

// scriptedStream is a server that says data and hears nothing: reads come
// from data, then EOF; writes vanish. In memory, so fuzzing is fast.
type scriptedStream struct{ r *bytes.Reader }

func (c *scriptedStream) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *scriptedStream) Write(p []byte) (int, error) { return len(p), nil }
func (c *scriptedStream) Close() error                { return nil }
func (c *scriptedStream) LocalAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
}
func (c *scriptedStream) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2}
}
func (c *scriptedStream) SetDeadline(time.Time) error      { return nil }
func (c *scriptedStream) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptedStream) SetWriteDeadline(time.Time) error { return nil }

// exchange runs the probe's first exchange (greeting, capabilities, the
// STARTTLS question, the facts) against data as the server, the way
// session.run does once connected, and checks what any success promises.
func exchange(t *testing.T, proto mailcfg.Protocol, data []byte) {
	srv := mailcfg.Server{Protocol: proto, Host: "mail.example.test", Port: 1, Security: mailcfg.STARTTLS}
	ctx := context.Background()
	res := &Result{Server: srv}
	s := &session{ctx: ctx, srv: srv, o: &Options{}, res: res, d: dialectFor(proto)}
	s.raw = newGuardConn(ctx, &scriptedStream{r: bytes.NewReader(data)}, MaxRead)
	s.setConn(s.raw)

	greeting, err := s.d.greeting(s)
	if err != nil {
		classify(ctx, err, PhaseGreeting, srv, s.o) // must not panic either
		return
	}
	up := strings.ToUpper(greeting)
	switch proto {
	case mailcfg.POP3:
		if !strings.HasPrefix(up, "+OK") {
			t.Fatalf("POP3 greeting %q accepted", greeting)
		}
	case mailcfg.IMAP:
		if !strings.HasPrefix(up, "* OK") && !strings.HasPrefix(up, "* PREAUTH") {
			t.Fatalf("IMAP greeting %q accepted", greeting)
		}
	case mailcfg.SMTP:
		if !strings.HasPrefix(greeting, "220") {
			t.Fatalf("SMTP greeting %q accepted", greeting)
		}
	}
	caps, err := s.d.capabilities(s, false)
	if err != nil {
		classify(ctx, err, PhaseCapabilities, srv, s.o)
		return
	}
	if len(caps) > maxListLines*maxLine {
		t.Fatalf("%d capabilities", len(caps))
	}
	s.d.offersStartTLS(s, caps)
	s.caps = caps
	s.facts()
	for _, m := range res.AuthMechanisms {
		if m == "" || m != strings.ToUpper(m) {
			t.Fatalf("mechanism %q not upper case", m)
		}
	}
	if res.SizeLimit < 0 {
		t.Fatalf("negative SIZE %d", res.SizeLimit)
	}
	s.d.replay(s)
	s.d.quit(s)
}

func FuzzPOP3Exchange(f *testing.F) {
	for _, seed := range []string{
		"+OK ready <1.2@host>\r\n+OK\r\nSTLS\r\nSASL PLAIN LOGIN\r\nUSER\r\n.\r\n+OK bye\r\n",
		"+OK\r\n-ERR no CAPA\r\n",
		"+OK\r\n+OK\r\n..dot\r\n" + strings.Repeat("X\r\n", 10) + ".\r\n",
		"-ERR [SYS/TEMP] busy\r\n",
		"220 smtp\r\n",
		"+OK\n+OK\nSASL\n.\n",
		"+OK\r\n+OK\r\n" + strings.Repeat("x", 20000),
		"\x16\x03\x01\x00\x05hello",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) { exchange(t, mailcfg.POP3, data) })
}

func FuzzIMAPExchange(f *testing.F) {
	for _, seed := range []string{
		"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED ID] ready\r\n",
		"* OK ready\r\n* CAPABILITY IMAP4rev1 AUTH=LOGIN AUTH=plain\r\nm1 OK done\r\n* BYE\r\nm2 OK bye\r\n",
		"* PREAUTH [CAPABILITY IMAP4rev1] logged in\r\n",
		"* BYE go away\r\n",
		"* OK\r\n* CAPABILITY\r\nm1 NO nope\r\n",
		"* OK\r\nx1 OK wrong tag\r\nm1 BAD\r\n",
		"* OK [CAPABILITY AUTH=]\r\n",
		"+OK pop3\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) { exchange(t, mailcfg.IMAP, data) })
}

func FuzzSMTPExchange(f *testing.F) {
	for _, seed := range []string{
		"220-mail.example.test ESMTP\r\n220 ready\r\n250-mail\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=LOGIN\r\n250 SIZE 1000\r\n221 bye\r\n",
		"220 old\r\n502 no EHLO\r\n250 hello\r\n",
		"220 x\r\n421 busy\r\n",
		"554 go away\r\n",
		"220 x\r\n250-a\r\n251 b\r\n",
		"220 x\r\n250 SIZE -5\r\n",
		"220 x\r\n250 SIZE 99999999999999999999999\r\n",
		"220\r\n250\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) { exchange(t, mailcfg.SMTP, data) })
}

// FuzzLineReader checks the reader's bounds: no line longer than its
// limit, never more bytes out than in, and an end for every stream.
func FuzzLineReader(f *testing.F) {
	for _, seed := range []string{"a\r\nb\nc", "", "\n\n\n", strings.Repeat("y", 300) + "\r\n", "\x00\x01\x02\r\n", "é\xff\r\n"} {
		f.Add([]byte(seed), uint16(64), false)
		f.Add([]byte(seed), uint16(8), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, limit uint16, first bool) {
		max := int(limit%512) + 1
		lr := newLineReader(bytes.NewReader(data), max)
		out := 0
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatal("the reader does not end")
			}
			var line string
			var err error
			if first {
				line, err = lr.readFirstLine()
			} else {
				line, err = lr.readLine()
			}
			if err != nil {
				break
			}
			if len(line) > max {
				t.Fatalf("line of %d bytes, limit %d", len(line), max)
			}
			out += len(line) + 1
		}
		if out > len(data)+1 {
			t.Fatalf("read %d bytes out of %d", out, len(data))
		}
	})
}
