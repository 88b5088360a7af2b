package pop3

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// printable escapes control characters and invalid UTF-8 so that server
// text cannot steer a terminal or a log. With max > 0, at most max input
// bytes are kept and "..." marks the cut.
func printable(s string, max int) string {
	cut := false
	if max > 0 && len(s) > max {
		s, cut = s[:max], true
	}
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		if cut {
			return s + "..."
		}
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			if cut && !utf8.FullRuneInString(s[i:]) {
				// A rune split by the cut is not garbage; drop it.
				i = len(s)
				continue
			}
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && (r < 0x20 || r == 0x7f):
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if cut {
		b.WriteString("...")
	}
	return b.String()
}
