package pop3

import (
	"bufio"
	"bytes"
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

// lineTooLongError carries the start of a line that outgrew the limit.
type lineTooLongError struct{ head string }

func (e *lineTooLongError) Error() string { return "line too long" }

// readLine returns one line without its CRLF (a bare LF is accepted). On a
// connection closed mid-line it returns the partial line along with
// io.ErrUnexpectedEOF, so the caller can still say what it saw.
func (w *wire) readLine() (string, error) {
	b, err := w.r.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		return "", &lineTooLongError{head: string(b[:min(len(b), lineHead)])}
	case err == io.EOF && len(b) > 0:
		return string(b), io.ErrUnexpectedEOF
	case err != nil:
		return "", err
	}
	b = bytes.TrimSuffix(b[:len(b)-1], []byte{'\r'})
	if len(b) > w.max {
		// Only reachable when a bare LF ends a line of max+1 bytes.
		return "", &lineTooLongError{head: string(b[:min(len(b), lineHead)])}
	}
	return string(b), nil
}

func (w *wire) writeLine(line string) error {
	return w.w.PrintfLine("%s", line)
}

// validArg rejects arguments that would end the command line early.
func validArg(s string) bool {
	return !strings.ContainsAny(s, "\r\n\x00")
}
