package hints

import (
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"mailsetup/l10n"
)

// placeholderNames are the placeholders a catalogue text may use. What
// each becomes when the fact behind it is unknown is the l10n catalogue's
// "hints.fallback.<name>": a text never shows a bare "{host}".
var placeholderNames = []string{"server", "host", "port", "protocol", "date", "subject", "issuer", "names", "sha256",
	"reason", "provider", "stale_host"}

func knownPlaceholder(p string) bool {
	name, ok := strings.CutPrefix(p, "{")
	name, ok2 := strings.CutSuffix(name, "}")
	return ok && ok2 && slices.Contains(placeholderNames, name)
}

// maxValueRunes bounds what a fact (often straight from a server, such as a
// certificate subject) can add to a text.
const maxValueRunes = 200

// placeholderValues maps every known placeholder to its value in lang.
func placeholderValues(f Facts, lang, provider string) map[string]string {
	host := strings.TrimSuffix(strings.TrimSpace(f.Host), ".")
	server := host
	if host != "" && f.Port > 0 {
		server = net.JoinHostPort(host, strconv.Itoa(f.Port))
	}
	port := ""
	if f.Port > 0 {
		port = strconv.Itoa(f.Port)
	}
	v := map[string]string{
		"{server}":     server,
		"{host}":       host,
		"{port}":       port,
		"{protocol}":   strings.ToUpper(string(f.Protocol)),
		"{date}":       shortDate(f.CertNotAfter),
		"{subject}":    f.CertSubject,
		"{issuer}":     f.CertIssuer,
		"{names}":      f.CertNames,
		"{sha256}":     f.CertSHA256,
		"{reason}":     strings.TrimRight(strings.TrimSpace(f.StaleReason), ".。"),
		"{provider}":   provider,
		"{stale_host}": f.StaleHost,
	}
	for k, s := range v {
		s = cleanValue(s)
		if s == "" {
			s = l10n.Text(lang, "hints.fallback."+strings.Trim(k, "{}"))
		}
		v[k] = s
	}
	return v
}

// fill replaces the placeholders of text in one pass, so a value that
// itself looks like a placeholder is never expanded.
func fill(text, lang string, values map[string]string) string {
	pairs := make([]string, 0, 2*len(values))
	for k, s := range values {
		pairs = append(pairs, k, s)
	}
	out := strings.NewReplacer(pairs...).Replace(text)
	if lang != "en" {
		out = tidyCJKSpaces(out)
	}
	return out
}

var isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)

// shortDate keeps the day of an RFC 3339 time; other forms pass unchanged.
func shortDate(s string) string {
	s = strings.TrimSpace(s)
	if isoDateRE.MatchString(s) {
		return s[:10]
	}
	return s
}

// cleanValue makes a fact safe to show: no control or bidirectional
// formatting characters (a hostile certificate could carry terminal escape
// sequences), no braces, single spaces, bounded length.
func cleanValue(s string) string {
	var b strings.Builder
	n := 0
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Bidi_Control, r) || r == '\u200b' || r == '\ufeff':
			continue
		case r == '{':
			r = '('
		case r == '}':
			r = ')'
		}
		if n >= maxValueRunes {
			b.WriteRune('…')
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// tidyCJKSpaces drops a space left between two Chinese characters, as when
// a placeholder written as "{server} 没有" falls back to "该服务器".
func tidyCJKSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	out := rs[:0:0]
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && isCJK(rs[i-1]) && isCJK(rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK punctuation
		(r >= 0xff00 && r <= 0xffef) // full-width forms
}
