package pop3

import (
	"errors"
	"net"
	"strings"
	"testing"
)

// countingConn counts the bytes the client pulls off the wire, which bounds
// what it can have buffered.
type countingConn struct {
	net.Conn
	n int
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n += n
	return n, err
}

func TestHugeLine(t *testing.T) {
	huge := strings.Repeat("a", 1<<20)
	tests := []struct {
		name   string
		script []any
		opts   *Options
		call   func(*Client) error
	}{
		{name: "greeting", script: []any{"RAW:+OK " + huge + "\r\n"}},
		{
			name:   "capa line",
			script: []any{"S: +OK", "C: CAPA", "S: +OK", "RAW:" + huge + "\r\n"},
			call:   func(c *Client) error { _, err := c.Capa(testCtx(t)); return err },
		},
		{
			name:   "no newline at all",
			script: []any{"S: +OK", "C: STAT", "RAW:" + huge},
			call:   func(c *Client) error { _, _, err := c.Stat(testCtx(t)); return err },
		},
		{
			name:   "small MaxLine",
			opts:   &Options{MaxLine: 10},
			script: []any{"S: +OK", "C: STAT", "S: +OK 1 2 three"},
			call:   func(c *Client) error { _, _, err := c.Stat(testCtx(t)); return err },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := &countingConn{Conn: dial(t, serve(t, tt.script...))}
			c, err := NewClient(testCtx(t), conn, tt.opts)
			if tt.call != nil {
				if err != nil {
					t.Fatalf("NewClient: %v", err)
				}
				err = tt.call(c)
			}
			var perr *ProtocolError
			if !errors.As(err, &perr) || !strings.Contains(perr.Reason, "line longer than") {
				t.Fatalf("err = %v, want *ProtocolError about the line length", err)
			}
			if len(perr.Line) > lineHead+3 {
				t.Errorf("ProtocolError.Line holds %d bytes", len(perr.Line))
			}
			max := tt.opts.withDefaults().MaxLine
			if conn.n > max+4096 {
				t.Errorf("client read %d bytes for a %d-byte line limit", conn.n, max)
			}
		})
	}
}
