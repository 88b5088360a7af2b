package pop3

import (
	"errors"
	"strings"
)

// Error is a -ERR reply from the server. The client stays usable.
type Error struct {
	// Command is the verb that drew the reply ("PASS", "AUTH", ...), or
	// "greeting"; never its arguments.
	Command string
	// Code is the RFC 2449 response code without brackets, upper-cased:
	// "AUTH", "IN-USE", "LOGIN-DELAY", "SYS/TEMP", "SYS/PERM"; "" if none.
	Code string
	// Text is the human-readable rest of the reply.
	Text string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pop3: ")
	if e.Command != "" {
		b.WriteString(e.Command)
		b.WriteString(": ")
	}
	b.WriteString("-ERR")
	if e.Code != "" {
		b.WriteString(" [")
		b.WriteString(printable(e.Code, 0))
		b.WriteString("]")
	}
	if e.Text != "" {
		b.WriteString(" ")
		b.WriteString(printable(e.Text, 0))
	}
	return b.String()
}

// HasCode reports whether the reply carries code or a code below it in the
// hierarchy: HasCode("SYS") is true for [SYS/TEMP]. Case-insensitive.
func (e *Error) HasCode(code string) bool {
	code = strings.ToUpper(code)
	return e.Code == code || strings.HasPrefix(e.Code, code+"/")
}

// ProtocolError means the peer did not speak POP3 as expected: another
// protocol's greeting, garbage, a line or reply that is too long. The
// Client is unusable afterwards.
type ProtocolError struct {
	Reason string
	// Line is the offending line, cut to about 100 bytes, with control
	// characters and invalid UTF-8 escaped.
	Line string
}

func (e *ProtocolError) Error() string {
	if e.Line == "" {
		return "pop3: " + e.Reason
	}
	return "pop3: " + e.Reason + ` (server said "` + e.Line + `")`
}

// Errors returned before anything is sent.
var (
	// ErrNoAPOPTimestamp: APOP needs a <...@...> timestamp in the greeting.
	ErrNoAPOPTimestamp = errors.New("pop3: APOP: greeting has no timestamp")
	// ErrBadArgument: an argument holds CR, LF or NUL, which would let it
	// smuggle a second command onto the wire.
	ErrBadArgument = errors.New("pop3: argument contains CR, LF or NUL")
	// ErrClosed: the client was closed.
	ErrClosed = errors.New("pop3: client closed")
)

// lineHead is how much of an offending line a ProtocolError keeps.
const lineHead = 100

func newProtocolError(reason, line string) *ProtocolError {
	return &ProtocolError{Reason: reason, Line: printable(line, lineHead)}
}
