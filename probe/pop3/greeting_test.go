package pop3

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestNewClientGreeting(t *testing.T) {
	tests := []struct {
		name      string
		send      string // raw bytes from the server, then it hangs up
		greeting  string // on success
		timestamp string
		errCode   string // want *Error with this code
		protoErr  string // want *ProtocolError whose reason contains this
		eof       bool   // want a plain EOF error
	}{
		{name: "ok", send: "+OK POP3 ready\r\n", greeting: "+OK POP3 ready"},
		{name: "ok bare", send: "+OK\r\n", greeting: "+OK"},
		{name: "ok bare LF", send: "+OK hi\n", greeting: "+OK hi"},
		{name: "ok lower case", send: "+ok hi\r\n", greeting: "+ok hi"},
		{name: "apop timestamp", send: "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n",
			greeting: "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>", timestamp: "<1896.697170952@dbc.mtview.ca.us>"},
		{name: "control chars escaped", send: "+OK \x1b[31mred\r\n", greeting: `+OK \x1b[31mred`},
		{name: "err", send: "-ERR [SYS/TEMP] too busy\r\n", errCode: "SYS/TEMP"},
		{name: "err no code", send: "-ERR go away\r\n", errCode: ""},
		{name: "smtp", send: "220 mail.example.com ESMTP Postfix\r\n", protoErr: "SMTP"},
		{name: "imap", send: "* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n", protoErr: "IMAP"},
		{name: "http", send: "HTTP/1.1 400 Bad Request\r\n\r\n", protoErr: "HTTP"},
		{name: "ssh", send: "SSH-2.0-OpenSSH_9.2\r\n", protoErr: "SSH"},
		{name: "tls alert", send: "\x15\x03\x01\x00\x02\x02\x46", protoErr: "TLS"},
		{name: "binary", send: "\x00\x01\x02\xff\xfe garbage\r\n", protoErr: "binary"},
		{name: "junk after status", send: "+OKAY\r\n", protoErr: "not a POP3 greeting"},
		{name: "text", send: "hello\r\n", protoErr: "not a POP3 greeting"},
		{name: "too long", send: "+OK " + strings.Repeat("x", 5000) + "\r\n", protoErr: "longer than 4096"},
		{name: "silent close", send: "", eof: true},
		{name: "cut greeting", send: "+OK rea", eof: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := serve(t, "RAW:"+tt.send, "CLOSE")
			c, err := NewClient(testCtx(t), dial(t, addr), nil)
			var perr *ProtocolError
			var rerr *Error
			switch {
			case tt.protoErr != "":
				if !errors.As(err, &perr) || !strings.Contains(perr.Error(), tt.protoErr) {
					t.Fatalf("err = %v, want *ProtocolError about %q", err, tt.protoErr)
				}
				if len(perr.Line) > lineHead+3 {
					t.Errorf("ProtocolError.Line is %d bytes, want <= %d", len(perr.Line), lineHead+3)
				}
				if !isText(perr.Line) {
					t.Errorf("ProtocolError.Line %q has control characters", perr.Line)
				}
			case tt.eof:
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("err = %v, want EOF", err)
				}
			case tt.greeting == "":
				if !errors.As(err, &rerr) || rerr.Code != tt.errCode || rerr.Command != "greeting" {
					t.Fatalf("err = %#v, want *Error code %q", err, tt.errCode)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if got := c.Greeting(); got != tt.greeting {
					t.Errorf("Greeting() = %q, want %q", got, tt.greeting)
				}
				if got := c.APOPTimestamp(); got != tt.timestamp {
					t.Errorf("APOPTimestamp() = %q, want %q", got, tt.timestamp)
				}
				if _, ok := c.ConnectionState(); ok {
					t.Error("ConnectionState says TLS on a plain conn")
				}
			}
			if err != nil && c != nil {
				t.Error("NewClient returned a client with an error")
			}
		})
	}
}

func TestAPOPTimestamp(t *testing.T) {
	tests := []struct{ greeting, want string }{
		{"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>", "<1896.697170952@dbc.mtview.ca.us>"},
		{"+OK <a@b> trailing", "<a@b>"},
		{"+OK no timestamp", ""},
		{"+OK <no-at-sign>", ""},
		{"+OK <has space@x>", ""},
		{"+OK <unclosed@x", ""},
		{"+OK <junk <1.2@host>", "<1.2@host>"},
		{"+OK <first> <1.2@host>", "<1.2@host>"},
		{"+OK <ctl\x01@x>", ""},
	}
	for _, tt := range tests {
		if got := apopTimestamp(tt.greeting); got != tt.want {
			t.Errorf("apopTimestamp(%q) = %q, want %q", tt.greeting, got, tt.want)
		}
	}
}
