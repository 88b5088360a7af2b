package probe

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// transcriptMu serialises lines of concurrent probes sharing one writer,
// so that lines never interleave mid-way.
var transcriptMu sync.Mutex

// maxLogLine is how much of one line the transcript keeps.
const maxLogLine = 1024

// transcript turns the bytes of one conversation into labelled lines with
// passwords and SASL payloads removed. Redaction works on whole lines, and
// two mechanisms back each other up: rules that know where the commands
// carrying credentials put them, and a secret mode switched on around
// every authentication, in which any client line no rule recognises is
// withheld entirely.
type transcript struct {
	w     io.Writer // nil: record nothing
	label string    // "[host:port]"

	secret atomic.Bool

	mu           sync.Mutex
	client       lineSplitter
	server       lineSplitter
	continuation bool     // the last server line asked for a SASL response or a literal
	values       []string // secret strings scrubbed from any line
}

func newTranscript(w io.Writer, hostPort string) *transcript {
	return &transcript{w: w, label: "[" + hostPort + "]"}
}

// setSecret switches secret mode; authentication runs inside it.
func (t *transcript) setSecret(on bool) { t.secret.Store(on) }

// addSecret registers a string (a password and its encodings) that must
// never appear in the transcript, whichever side sends it.
func (t *transcript) addSecret(values ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range values {
		if len(v) >= 4 { // shorter strings would blank out ordinary words
			t.values = append(t.values, v)
		}
	}
}

// note records an event that is not protocol text, such as a TLS handshake.
func (t *transcript) note(format string, args ...any) {
	if t == nil || t.w == nil {
		return
	}
	t.emit("* " + fmt.Sprintf(format, args...))
}

func (t *transcript) fromClient(p []byte) {
	if t == nil || t.w == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, line := range t.client.feed(p) {
		line = redactClient(line, t.secret.Load(), t.continuation)
		t.continuation = false
		t.emit("C: " + t.scrub(line))
	}
}

func (t *transcript) fromServer(p []byte) {
	if t == nil || t.w == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, line := range t.server.feed(p) {
		t.continuation = isContinuation(line)
		t.emit("S: " + t.scrub(line))
	}
}

func (t *transcript) scrub(line string) string {
	for _, v := range t.values {
		line = strings.ReplaceAll(line, v, "***")
	}
	return line
}

func (t *transcript) emit(line string) {
	transcriptMu.Lock()
	defer transcriptMu.Unlock()
	io.WriteString(t.w, t.label+" "+line+"\n")
}

// lineSplitter collects bytes into lines, keeping at most maxLogLine bytes
// of each so a hostile server cannot grow it.
type lineSplitter struct {
	buf     []byte
	dropped int
}

func (s *lineSplitter) feed(p []byte) []string {
	var lines []string
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = bytes.TrimSuffix(p[:i], []byte("\r"))
		}
		if room := maxLogLine - len(s.buf); room > 0 {
			n := min(room, len(chunk))
			s.buf = append(s.buf, chunk[:n]...)
			s.dropped += len(chunk) - n
		} else {
			s.dropped += len(chunk)
		}
		if i < 0 {
			break
		}
		line := printable(strings.TrimSuffix(string(s.buf), "\r"))
		if s.dropped > 0 {
			line += fmt.Sprintf("… (%d more bytes)", s.dropped)
		}
		lines = append(lines, line)
		s.buf, s.dropped = s.buf[:0], 0
		p = p[i+1:]
	}
	return lines
}

// printable escapes control characters and invalid UTF-8 so that a
// transcript on a terminal shows what came, and nothing else happens.
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < ' ' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isContinuation reports a server line after which the client sends a
// SASL response or literal data: IMAP and POP3 "+ …", SMTP "334 …".
func isContinuation(line string) bool {
	return line == "+" || strings.HasPrefix(line, "+ ") || strings.HasPrefix(line, "334 ") || line == "334"
}

const redacted = "***"

// redactClient hides the credentials in one line the client sends.
func redactClient(line string, secret, afterContinuation bool) string {
	if afterContinuation {
		return redacted
	}
	w := strings.Fields(line)
	verb := func(i int) string {
		if i < len(w) {
			return strings.ToUpper(w[i])
		}
		return ""
	}
	switch {
	case verb(0) == "PASS" && len(w) > 1:
		return w[0] + " " + redacted
	case verb(0) == "APOP" && len(w) > 2:
		return w[0] + " " + w[1] + " " + redacted
	case verb(0) == "AUTH" && len(w) > 2: // POP3 and SMTP with an initial response
		return w[0] + " " + w[1] + " " + redacted
	case verb(0) == "AUTH" && len(w) == 2:
		return line
	case verb(1) == "LOGIN" && len(w) > 2: // IMAP
		return w[0] + " " + w[1] + " " + redacted
	case verb(1) == "AUTHENTICATE" && len(w) > 3:
		return w[0] + " " + w[1] + " " + w[2] + " " + redacted
	case verb(1) == "AUTHENTICATE" && len(w) == 3:
		return line
	}
	if secret {
		return redacted
	}
	return line
}

// transcriptConn records what passes through it; it sits above TLS, so
// it sees plaintext.
type transcriptConn struct {
	net.Conn
	t *transcript
}

func (c *transcriptConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.t.fromServer(p[:n])
	}
	return n, err
}

func (c *transcriptConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.t.fromClient(p[:n])
	}
	return n, err
}
