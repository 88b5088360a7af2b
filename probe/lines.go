package probe

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// lineReader reads CRLF lines of at most max bytes. It keeps its own
// buffer so that what the server sent beyond the last line can be handed
// on with the connection (or refused, after STARTTLS).
type lineReader struct {
	r   io.Reader
	buf []byte
	max int
}

func newLineReader(r io.Reader, max int) *lineReader { return &lineReader{r: r, max: max} }

// readLine returns the next line without its line ending.
func (l *lineReader) readLine() (string, error) { return l.line(nil) }

// readFirstLine is readLine for a greeting: it gives up as soon as the
// bytes received cannot be text, instead of waiting for a line ending a
// binary protocol may never send.
func (l *lineReader) readFirstLine() (string, error) {
	return l.line(func(b []byte) error {
		if looksBinary(b) {
			return &notTextError{data: bytes.Clone(b)}
		}
		return nil
	})
}

func (l *lineReader) line(check func([]byte) error) (string, error) {
	chunk := make([]byte, 4096)
	for {
		if i := bytes.IndexByte(l.buf, '\n'); i >= 0 {
			line := string(bytes.TrimSuffix(l.buf[:i], []byte("\r")))
			l.buf = l.buf[i+1:]
			if check != nil {
				if err := check([]byte(line)); err != nil {
					return "", err
				}
			}
			return line, nil
		}
		if check != nil {
			if err := check(l.buf); err != nil {
				return "", err
			}
		}
		if len(l.buf) >= l.max {
			return "", &lineTooLongError{max: l.max, start: string(l.buf[:min(len(l.buf), 80)])}
		}
		n, err := l.r.Read(chunk[:min(len(chunk), l.max+1-len(l.buf))])
		l.buf = append(l.buf, chunk[:n]...)
		if err != nil {
			if bytes.IndexByte(l.buf, '\n') >= 0 {
				continue // serve the complete lines first
			}
			if check != nil && len(l.buf) > 0 {
				if cerr := check(l.buf); cerr != nil {
					return "", cerr
				}
			}
			if err == io.EOF && len(l.buf) > 0 {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
	}
}

// buffered returns what has been received but not read as lines.
func (l *lineReader) buffered() []byte { return l.buf }

// looksBinary reports bytes no text protocol would send: control
// characters other than tab and line endings, or invalid UTF-8.
func looksBinary(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			if c < ' ' && c != '\t' && c != '\r' && c != '\n' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(b[i:]) {
				return false // a character cut by the read; judge it later
			}
			return true
		}
		i += size
	}
	return false
}
