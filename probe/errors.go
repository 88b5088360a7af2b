package probe

import (
	"fmt"
	"strings"

	"mailsetup/mailcfg"
)

// ProtocolError means something answered, but not as the expected
// protocol does.
type ProtocolError struct {
	Expected mailcfg.Protocol
	// Got names what answered instead: "POP3", "IMAP", "SMTP", "HTTP",
	// "SSH", "TLS", "binary", or "" for unrecognised text.
	Got string
	// Line is what the server sent (escaped when binary).
	Line string
	// Detail replaces the standard wording for violations after the greeting.
	Detail string
}

func (e *ProtocolError) Error() string {
	if e.Detail != "" {
		return e.Detail
	}
	want := fmt.Sprintf("expected %s %s greeting", article(string(e.Expected)), strings.ToUpper(string(e.Expected)))
	switch e.Got {
	case "POP3", "IMAP", "SMTP":
		return fmt.Sprintf("%s, got %s %s one: %s", want, article(e.Got), e.Got, e.Line)
	case "HTTP":
		return fmt.Sprintf("%s, got an HTTP response: %s", want, e.Line)
	case "SSH":
		return fmt.Sprintf("%s, got an SSH banner: %s", want, e.Line)
	case "TLS":
		return fmt.Sprintf("%s, got TLS data (%s): this port probably expects implicit TLS", want, e.Line)
	case "binary":
		return fmt.Sprintf("%s, got binary data: %s", want, e.Line)
	case "long":
		return fmt.Sprintf("%s, got %s", want, e.Line)
	}
	return fmt.Sprintf("%s, got: %s", want, e.Line)
}

func article(word string) string {
	if word == "" {
		return "a"
	}
	switch strings.ToUpper(word)[0] {
	case 'A', 'E', 'I', 'O', 'F', 'H', 'L', 'M', 'N', 'R', 'S', 'X': // letters said with a vowel sound
		return "an"
	}
	return "a"
}

// ReplyError is a negative answer from the server to a command of the
// probe, or a greeting that refuses service.
type ReplyError struct {
	Command string // "" for the greeting
	Reply   string
}

func (e *ReplyError) Error() string {
	if e.Command == "" {
		return "server refused the session: " + e.Reply
	}
	return fmt.Sprintf("server refused %s: %s", e.Command, e.Reply)
}

// lineTooLongError is a line beyond the reader's bound.
type lineTooLongError struct {
	max   int
	start string
}

func (e *lineTooLongError) Error() string {
	return fmt.Sprintf("server sent a line longer than %d bytes (%s…)", e.max, printable(e.start))
}

// notTextError is binary data where a text line was expected.
type notTextError struct{ data []byte }

func (e *notTextError) Error() string { return "server sent binary data: " + hexSample(e.data) }

// hexSample shows the first bytes of binary data.
func hexSample(b []byte) string {
	const show = 16
	var s strings.Builder
	fmt.Fprintf(&s, "%d bytes:", len(b))
	for i, c := range b {
		if i == show {
			s.WriteString(" …")
			break
		}
		fmt.Fprintf(&s, " %02x", c)
	}
	return s.String()
}
