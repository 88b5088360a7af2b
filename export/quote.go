package export

import (
	"fmt"
	"strings"
)

// Each client parses quoted strings its own way; these were checked against
// the installed tools (see judges_test.go).

// msmtpQuote: msmtp and mpop strip one pair of enclosing double quotes and
// take everything between literally, inner quotes included, so no escaping
// is needed (or possible) once control characters are excluded.
func msmtpQuote(s string) string { return `"` + s + `"` }

// fetchmailQuote: fetchmail's lexer ends a string at the first quote and
// decodes C escapes inside, including \xHH, so quotes and backslashes are
// written as hex escapes.
func fetchmailQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pyQuote writes a Python string literal; getmail eval()s its tuple
// options, so this must be a literal and nothing more.
func pyQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func pyTuple(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = pyQuote(s)
	}
	if len(q) == 1 {
		return "(" + q[0] + ",)"
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// muttQuote: single quotes are literal in mutt (no backticks, no $VAR);
// a value holding a single quote goes in double quotes with \, ", ` and $
// escaped so nothing is expanded.
func muttQuote(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if strings.ContainsRune("\\\"`$", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// urlUserinfo percent-encodes everything but RFC 3986 unreserved
// characters, which mutt, neomutt and aerc all decode; it also keeps '#'
// and ';' out of aerc's INI values.
func urlUserinfo(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// xmlComment renders lines as one XML comment. "--" may not occur inside a
// comment, nor may one end in "-".
func xmlComment(lines []string, indent string) string {
	var b strings.Builder
	b.WriteString(indent + "<!--\n")
	for _, s := range lines {
		s = strings.Map(printableOr(' '), s)
		for strings.Contains(s, "--") {
			s = strings.ReplaceAll(s, "--", "- -")
		}
		if s == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + "  " + s + "\n")
	}
	b.WriteString(indent + "-->\n")
	return b.String()
}
