package probe

import (
	"fmt"
	"strconv"
	"strings"

	"mailsetup/l10n"
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

func (e *ProtocolError) Error() string { return e.Message().String() }

// Message says what answered instead, in any language.
func (e *ProtocolError) Message() l10n.Message {
	if e.Detail != "" {
		return l10n.M("probe.protocol_detail", "detail", e.Detail)
	}
	want := strings.ToUpper(string(e.Expected))
	m := l10n.M("probe.unexpected", "want", want, "want_a", article(want)+" "+want, "line", e.Line)
	switch e.Got {
	case "POP3", "IMAP", "SMTP":
		m.Code, m.Args["got"], m.Args["got_a"] = "probe.other_protocol", e.Got, article(e.Got)+" "+e.Got
	case "HTTP":
		m.Code = "probe.http_answer"
	case "SSH":
		m.Code = "probe.ssh_answer"
	case "TLS":
		m.Code = "probe.tls_answer"
	case "binary":
		m.Code = "probe.binary_answer"
	case "long":
		m.Code = "probe.long_answer"
	}
	return m
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

func (e *ReplyError) Error() string { return e.Message().String() }

// Message quotes the refusal as the server's words.
func (e *ReplyError) Message() l10n.Message {
	if e.Command == "" {
		return l10n.M("probe.session_refused", "reply", e.Reply)
	}
	return l10n.M("probe.command_refused", "command", e.Command, "reply", e.Reply)
}

// lineTooLongError is a line beyond the reader's bound.
type lineTooLongError struct {
	max   int
	start string
}

func (e *lineTooLongError) Error() string { return e.Message().String() }

func (e *lineTooLongError) Message() l10n.Message {
	return l10n.M("probe.line_too_long", "max", strconv.Itoa(e.max), "start", printable(e.start))
}

// notTextError is binary data where a text line was expected.
type notTextError struct{ data []byte }

func (e *notTextError) Error() string { return e.Message().String() }

func (e *notTextError) Message() l10n.Message {
	return l10n.M("probe.binary", "sample", hexSample(e.data))
}

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
