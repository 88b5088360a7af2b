package pop3

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// Client is one POP3 session. Create it with NewClient.
type Client struct {
	conn net.Conn // what we speak over: the caller's conn, or TLS above it
	raw  net.Conn // the socket beneath; deadlines go here, cancellation closes it
	wire *wire
	opts Options
	tr   transcript

	greeting  string
	timestamp string

	err    error // first network or protocol failure; the stream is lost
	closed bool

	// State of the operation in flight.
	cmd   string
	ctx   context.Context
	unarm func() bool
}

// NewClient reads the server greeting from conn, which may be plain or
// already TLS (implicit TLS, port 995). A -ERR greeting yields *Error, a
// greeting of another protocol or garbage *ProtocolError. On any error conn
// is closed.
func NewClient(ctx context.Context, conn net.Conn, opts *Options) (*Client, error) {
	o := opts.withDefaults()
	c := &Client{conn: conn, raw: conn, opts: o, tr: transcript{w: o.Transcript}}
	if tc, ok := conn.(*tls.Conn); ok {
		c.raw = tc.NetConn()
	}
	c.wire = newWire(conn, o.MaxLine)
	if err := c.readGreeting(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *Client) readGreeting(ctx context.Context) (err error) {
	if err := c.begin(ctx, "greeting"); err != nil {
		return err
	}
	defer c.end()
	line, err := c.readLine()
	if errors.Is(err, io.ErrUnexpectedEOF) && line != "" {
		// Closed mid-line: say what it was, if it was clearly not POP3.
		if _, _, _, perr := ParseResponse(line); perr != nil {
			return c.fail(c.protocolError(sniffGreeting(line), line))
		}
	}
	if err != nil {
		return err
	}
	ok, code, text, perr := ParseResponse(line)
	if perr != nil {
		return c.fail(c.protocolError(sniffGreeting(line), line))
	}
	if !ok {
		return &Error{Command: "greeting", Code: code, Text: text}
	}
	c.greeting = line
	c.timestamp = apopTimestamp(line)
	return nil
}

// Greeting is the server's greeting line ("+OK ..."), with control
// characters escaped so it is safe to show.
func (c *Client) Greeting() string { return printable(c.greeting, 0) }

// APOPTimestamp is the "<...@...>" timestamp of the greeting, or "" when
// the server offers none (and so no APOP).
func (c *Client) APOPTimestamp() string { return c.timestamp }

// Conn is the connection the client speaks over: after StartTLS, the
// *tls.Conn.
func (c *Client) Conn() net.Conn { return c.conn }

// ConnectionState reports the TLS state, if the client speaks TLS.
func (c *Client) ConnectionState() (tls.ConnectionState, bool) {
	if tc, ok := c.conn.(*tls.Conn); ok {
		return tc.ConnectionState(), true
	}
	return tls.ConnectionState{}, false
}

// Close closes the connection without QUIT. It is safe to call twice.
func (c *Client) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	err := c.conn.Close()
	if c.err != nil || errors.Is(err, net.ErrClosed) {
		// Already broken or closed by a cancelled context: nothing to report.
		return nil
	}
	return err
}

// longAgo is a deadline in the past, which wakes blocked I/O at once.
var longAgo = time.Unix(1, 0)

// begin arms ctx for one operation: its deadline goes on the socket and its
// cancellation closes the socket, so a blocked read returns at once.
func (c *Client) begin(ctx context.Context, cmd string) error {
	c.cmd = cmd
	if c.closed {
		return fmt.Errorf("pop3: %s: %w", cmd, ErrClosed)
	}
	if c.err != nil {
		return fmt.Errorf("pop3: %s: connection unusable after an earlier error: %w", cmd, c.err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pop3: %s: %w", cmd, err)
	}
	deadline, _ := ctx.Deadline() // zero when none, which clears an old one
	if err := c.raw.SetDeadline(deadline); err != nil {
		return c.fail(fmt.Errorf("pop3: %s: %w", cmd, err))
	}
	raw := c.raw
	c.ctx = ctx
	c.unarm = context.AfterFunc(ctx, func() {
		raw.SetDeadline(longAgo)
		raw.Close()
	})
	return nil
}

// end disarms the context of the operation begun last.
func (c *Client) end() {
	fired := !c.unarm()
	if fired {
		c.fail(fmt.Errorf("pop3: %s: connection closed: %w", c.cmd, c.ctx.Err()))
	} else if c.err == nil {
		c.raw.SetDeadline(time.Time{})
	}
	c.ctx, c.unarm = nil, nil
}

// fail records the first error that leaves the stream out of step.
func (c *Client) fail(err error) error {
	if c.err == nil {
		c.err = err
	}
	return err
}

// ioError wraps a network error with the command and, when the context is
// why it happened, with the context's error too, so errors.Is finds
// context.Canceled or context.DeadlineExceeded.
func (c *Client) ioError(err error) error {
	var cause error
	if c.ctx != nil {
		cause = c.ctx.Err()
		if cause == nil && errors.Is(err, os.ErrDeadlineExceeded) {
			// The socket deadline is the context's; it may beat the timer.
			if dl, ok := c.ctx.Deadline(); ok && !time.Now().Before(dl) {
				cause = context.DeadlineExceeded
			}
		}
	}
	switch {
	case cause == nil:
		err = fmt.Errorf("pop3: %s: %w", c.cmd, err)
	case errors.Is(err, cause):
		err = fmt.Errorf("pop3: %s: %w", c.cmd, err)
	default:
		err = fmt.Errorf("pop3: %s: %w (%w)", c.cmd, cause, err)
	}
	return c.fail(err)
}

func (c *Client) protocolError(reason, line string) *ProtocolError {
	return newProtocolError(c.cmd+": "+reason, c.tr.scrub(line))
}

// readLine reads one line and logs it. A too-long line is a protocol
// error; other failures are network errors.
func (c *Client) readLine() (string, error) {
	line, err := c.wire.readLine()
	var long *lineTooLongError
	switch {
	case errors.As(err, &long):
		c.tr.receivedTooLong(long.head, c.opts.MaxLine)
		return "", c.fail(c.protocolError(fmt.Sprintf("line longer than %d bytes", c.opts.MaxLine), long.head))
	case err != nil:
		return line, c.ioError(err)
	}
	c.tr.received(line)
	return line, nil
}

// writeLine sends line; the transcript shows shown instead.
func (c *Client) writeLine(line, shown string) error {
	c.tr.sent(shown)
	if err := c.wire.writeLine(line); err != nil {
		return c.ioError(err)
	}
	return nil
}

// readStatus reads a +OK/-ERR line and returns its text.
func (c *Client) readStatus() (string, error) {
	line, err := c.readLine()
	if err != nil {
		return "", err
	}
	return c.parseStatus(line)
}

func (c *Client) parseStatus(line string) (string, error) {
	ok, code, text, err := ParseResponse(line)
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return "", c.fail(c.protocolError(pe.Reason, line))
	}
	if !ok {
		return "", &Error{Command: c.cmd, Code: code, Text: c.tr.scrub(text)}
	}
	return text, nil
}

// readMultiline reads the body of a multi-line reply up to the lone ".",
// undoing dot-stuffing, within Options.MaxMultiline bytes.
func (c *Client) readMultiline() ([]string, error) {
	var lines []string
	total := 0
	for {
		line, err := c.readLine()
		if err != nil {
			return nil, err
		}
		total += len(line) + 2
		if total > c.opts.MaxMultiline {
			return nil, c.fail(c.protocolError(fmt.Sprintf("multi-line reply longer than %d bytes", c.opts.MaxMultiline), line))
		}
		if line == "." {
			return lines, nil
		}
		if line != "" && line[0] == '.' {
			line = line[1:]
		}
		lines = append(lines, line)
	}
}

// simple runs a command with a one-line reply and returns the reply text.
func (c *Client) simple(ctx context.Context, verb, line, shown string) (text string, err error) {
	if err := c.begin(ctx, verb); err != nil {
		return "", err
	}
	defer c.end()
	if err := c.writeLine(line, shown); err != nil {
		return "", err
	}
	return c.readStatus()
}
