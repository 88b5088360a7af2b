package testbed

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"time"
)

// Limits of the in-process servers: a client that exceeds them is cut off.
const (
	maxLine     = 8 << 10  // bytes in a command line
	maxMessage  = 10 << 20 // bytes in a DATA section or IMAP literal
	idleTimeout = 30 * time.Second
)

var errLineTooLong = errors.New("line too long")

// textConn reads CRLF lines and writes replies with bounds on size and time.
type textConn struct {
	c net.Conn
	r *bufio.Reader
	w *bufio.Writer
}

func newTextConn(c net.Conn) *textConn {
	return &textConn{c: c, r: bufio.NewReaderSize(c, 4096), w: bufio.NewWriter(c)}
}

// readLine returns one line without its line ending.
func (t *textConn) readLine() (string, error) {
	t.c.SetReadDeadline(time.Now().Add(idleTimeout))
	var line []byte
	for {
		chunk, err := t.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return "", errLineTooLong
		}
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// readFull reads exactly n bytes (an IMAP literal).
func (t *textConn) readFull(n int) ([]byte, error) {
	t.c.SetReadDeadline(time.Now().Add(idleTimeout))
	buf := make([]byte, n)
	_, err := io.ReadFull(t.r, buf)
	return buf, err
}

// readDotted reads an SMTP DATA section up to the lone dot, undoing
// dot-stuffing, and fails beyond maxMessage bytes.
func (t *textConn) readDotted() ([]byte, error) {
	var buf bytes.Buffer
	for {
		line, err := t.readLine()
		if err != nil {
			return nil, err
		}
		if line == "." {
			return buf.Bytes(), nil
		}
		line = strings.TrimPrefix(line, ".")
		if buf.Len()+len(line)+2 > maxMessage {
			return nil, errors.New("message too large")
		}
		buf.WriteString(line)
		buf.WriteString("\r\n")
	}
}

// send writes text, which may hold several lines separated by \n or \r\n,
// ending every line with CRLF.
func (t *textConn) send(text string) error {
	t.c.SetWriteDeadline(time.Now().Add(idleTimeout))
	for _, line := range splitLines(text) {
		t.w.WriteString(line)
		t.w.WriteString("\r\n")
	}
	return t.w.Flush()
}

func splitLines(text string) []string {
	return strings.Split(strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n"), "\n")
}

// startTLS upgrades the connection in place; buffered plaintext beyond the
// command is discarded, as RFC 3207 requires of servers.
func (t *textConn) startTLS(cfg *tls.Config) error {
	tc := tls.Server(t.c, cfg)
	tc.SetDeadline(time.Now().Add(idleTimeout))
	if err := tc.Handshake(); err != nil {
		return err
	}
	tc.SetDeadline(time.Time{})
	t.c = tc
	t.r = bufio.NewReaderSize(tc, 4096)
	t.w = bufio.NewWriter(tc)
	return nil
}

// verb is the upper-cased first word of a command line.
func verb(line string) (string, string) {
	v, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(v), strings.TrimSpace(rest)
}
