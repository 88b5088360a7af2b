package pop3

import "strings"

// ParseResponse splits a status line into its parts: ok is true for +OK and
// false for -ERR; code is the RFC 2449 response code, upper-cased and
// without brackets ("SYS/TEMP"), or ""; text is the rest, trimmed. A line
// that is neither +OK nor -ERR yields a *ProtocolError. Status indicators
// are matched case-insensitively, as some old servers send "+ok".
func ParseResponse(line string) (ok bool, code, text string, err error) {
	var rest string
	switch {
	case hasPrefixFold(line, "+OK"):
		ok, rest = true, line[3:]
	case hasPrefixFold(line, "-ERR"):
		rest = line[4:]
	default:
		return false, "", "", newProtocolError("reply is neither +OK nor -ERR", line)
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return false, "", "", newProtocolError("junk after status indicator", line)
	}
	code, text = splitRespCode(strings.Trim(rest, " \t"))
	return ok, code, text, nil
}

// splitRespCode takes a leading "[CODE/SUB]" off text. Anything that is not
// a well-formed code (RFC 2449 section 8) stays in the text.
func splitRespCode(text string) (code, rest string) {
	if !strings.HasPrefix(text, "[") {
		return "", text
	}
	end := strings.IndexByte(text, ']')
	if end < 0 {
		return "", text
	}
	raw := text[1:end]
	for _, level := range strings.Split(raw, "/") {
		if level == "" {
			return "", text
		}
		for i := 0; i < len(level); i++ {
			// rchar is %x21-7F minus "/" and "]"; DEL and "[" are left
			// out too, so a code is printable and "[[x]" is just text.
			if c := level[i]; c <= 0x20 || c >= 0x7f || c == '[' {
				return "", text
			}
		}
	}
	return strings.ToUpper(raw), strings.TrimLeft(text[end+1:], " \t")
}

// isContinuation tells a SASL challenge line ("+ base64" or a bare "+")
// from a status line.
func isContinuation(line string) bool {
	return line == "+" || strings.HasPrefix(line, "+ ")
}

// sniffGreeting names the protocol a non-POP3 greeting most likely belongs
// to, so that "wrong port" is reported as such.
func sniffGreeting(line string) string {
	switch {
	case isNumericReply(line):
		return "looks like SMTP or FTP, not POP3"
	case hasPrefixFold(line, "* OK") || hasPrefixFold(line, "* PREAUTH") || hasPrefixFold(line, "* BYE"):
		return "looks like IMAP, not POP3"
	case strings.HasPrefix(line, "HTTP/"):
		return "looks like HTTP, not POP3"
	case strings.HasPrefix(line, "SSH-"):
		return "looks like SSH, not POP3"
	case len(line) >= 2 && line[0] >= 0x14 && line[0] <= 0x17 && line[1] == 0x03:
		return "looks like a TLS record; is this an implicit-TLS port?"
	case !isText(line):
		return "binary data, not POP3"
	}
	return "not a POP3 greeting (want +OK)"
}

// isNumericReply matches SMTP/FTP style "220 text" or "220-text".
func isNumericReply(line string) bool {
	if len(line) < 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return false
		}
	}
	return len(line) == 3 || line[3] == ' ' || line[3] == '-'
}

func isText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// apopTimestamp finds the RFC 1939 "<...@...>" banner timestamp.
func apopTimestamp(greeting string) string {
	for start := 0; start < len(greeting); {
		open := strings.IndexByte(greeting[start:], '<')
		if open < 0 {
			return ""
		}
		open += start
		close := strings.IndexByte(greeting[open:], '>')
		if close < 0 {
			return ""
		}
		ts := greeting[open : open+close+1]
		inner := ts[1 : len(ts)-1]
		if strings.Contains(inner, "@") && !strings.ContainsAny(inner, " \t<") && isText(inner) {
			return ts
		}
		start = open + 1
	}
	return ""
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
