package pop3

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
)

// wire is the line layer over one transport (plain, then maybe TLS).
//
// Reading does not use textproto.Reader: its ReadLine grows without bound
// and hands back a line cut short by an error as if it were whole. Instead
// a bufio.Reader sized to MaxLine+CRLF rejects longer lines with
// bufio.ErrBufferFull, so memory per line is fixed. Writing goes through
// textproto.Writer, which adds CRLF and flushes.
type wire struct {
	r   *bufio.Reader
	w   *textproto.Writer
	max int
}

func newWire(conn net.Conn, maxLine int) *wire {
	return &wire{
		r:   bufio.NewReaderSize(conn, maxLine+2),
		w:   textproto.NewWriter(bufio.NewWriter(conn)),
		max: maxLine,
	}
}

// errLineTooLong carries the start of a line that outgrew the limit.
type errLineTooLong struct{ head string }

func (e *errLineTooLong) Error() string { return "line too long" }

// readLine returns one line without its CRLF (a bare LF is accepted). On a
// connection closed mid-line it returns the partial line along with
// io.ErrUnexpectedEOF, so the caller can still say what it saw.
func (w *wire) readLine() (string, error) {
	b, err := w.r.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		return "", &errLineTooLong{head: string(b[:min(len(b), lineHead)])}
	case err == io.EOF && len(b) > 0:
		return string(b), io.ErrUnexpectedEOF
	case err != nil:
		return "", err
	}
	b = bytes.TrimSuffix(b[:len(b)-1], []byte{'\r'})
	if len(b) > w.max {
		// Only reachable when a bare LF ends a line of max+1 bytes.
		return "", &errLineTooLong{head: string(b[:min(len(b), lineHead)])}
	}
	return string(b), nil
}

func (w *wire) writeLine(line string) error {
	return w.w.PrintfLine("%s", line)
}

// transcript writes redacted lines to Options.Transcript.
type transcript struct {
	w       io.Writer
	secrets []string // masked wherever they appear in server text
}

const mask = "********"

// minSecret is the shortest secret worth scrubbing from server text; a
// shorter one would mangle ordinary words ("OK") while hiding little.
const minSecret = 4

func (t *transcript) sent(shown string) {
	if t.w != nil {
		io.WriteString(t.w, "C: "+printable(shown, 0)+"\n")
	}
}

func (t *transcript) received(line string) {
	if t.w != nil {
		io.WriteString(t.w, "S: "+printable(t.scrub(line), 0)+"\n")
	}
}

func (t *transcript) receivedTooLong(head string, max int) {
	if t.w != nil {
		io.WriteString(t.w, fmt.Sprintf("S: %s [line longer than %d bytes, dropped]\n", printable(t.scrub(head), lineHead), max))
	}
}

// scrub masks any secret the server might echo back.
func (t *transcript) scrub(s string) string {
	for _, secret := range t.secrets {
		if len(secret) >= minSecret && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, mask)
		}
	}
	return s
}

// validArg rejects arguments that would end the command line early.
func validArg(s string) bool {
	return !strings.ContainsAny(s, "\r\n\x00")
}
