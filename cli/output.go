package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/term"

	"mailsetup/assistant"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// painter colours text only when writing to a terminal.
type painter struct{ on bool }

func newPainter(w io.Writer) painter {
	f, ok := w.(*os.File)
	return painter{on: ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == ""}
}

func (p painter) paint(code, s string) string {
	if !p.on {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p painter) bold(s string) string { return p.paint("1", s) }

func (p painter) red(s string) string   { return p.paint("31", s) }
func (p painter) green(s string) string { return p.paint("32", s) }

// statusPaint colours a status: green when usable, yellow when insecure or
// abandoned, red otherwise.
func (p painter) statusPaint(s mailcfg.Status) func(string) string {
	code := "31"
	switch s {
	case mailcfg.StatusOK:
		code = "32"
	case mailcfg.StatusInsecure, mailcfg.StatusAbandoned:
		code = "33"
	}
	return func(text string) string { return p.paint(code, text) }
}

// printReport writes the human form of a discover or check report. Guessed
// host names that do not exist are counted, not listed, unless verbose.
func printReport(w io.Writer, rep *assistant.Report, lang string, verbose bool) {
	p := newPainter(w)
	provider := say(lang, "cli.unknown")
	if rep.Provider != nil {
		provider = rep.Provider.Name
		if pr := providers.ByID(rep.Provider.ID); pr != nil {
			provider = pr.DisplayName(lang)
		}
	}
	fmt.Fprintf(w, "%s  %s\n\n", p.bold(rep.Email), say(lang, "cli.provider_took", "provider", provider,
		"ms", strconv.FormatInt(rep.ElapsedMS, 10)))

	fmt.Fprintln(w, p.bold(say(lang, "cli.recommended")))
	var rows [][]cell
	for _, rs := range []struct {
		role mailcfg.Role
		srv  *mailcfg.Server
	}{{mailcfg.Incoming, rep.Recommended.Incoming}, {mailcfg.Outgoing, rep.Recommended.Outgoing}} {
		label := cell{text: roleLabel(lang, rs.role)}
		if rs.srv == nil {
			rows = append(rows, []cell{label, {text: say(lang, "cli.none_found"), paint: p.red}})
			continue
		}
		rows = append(rows, []cell{label, {text: strings.ToUpper(string(rs.srv.Protocol))}, {text: rs.srv.HostPort()},
			{text: securityLabel(lang, rs.srv.Security)}, {text: say(lang, "cli.user", "name", rs.srv.Username)}})
	}
	printColumns(w, rows)
	if rep.Insecure {
		fmt.Fprintln(w, p.paint("1;31", say(lang, "cli.insecure")))
	}

	// Provider notes come before the login results they often explain.
	if len(rep.Notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", p.bold(say(lang, "cli.notes")))
		for _, h := range rep.Notes {
			mark := "•"
			if h.Severity == "error" {
				mark = p.paint("31", "✗")
			} else if h.Severity == "warning" {
				mark = p.paint("33", "!")
			}
			fmt.Fprintf(w, "  %s %s\n", mark, h.Text)
			if h.URL != "" {
				fmt.Fprintf(w, "    %s\n", h.URL)
			}
		}
	}

	if rep.Login != nil {
		printLoginSection(w, p, lang, rep)
	}

	fmt.Fprintf(w, "\n%s\n", p.bold(say(lang, "cli.candidates")))
	rows = rows[:0]
	hidden := 0
	for _, c := range rep.Candidates {
		if !verbose && c.Collapsed() {
			hidden++
			continue
		}
		reason := c.ReasonText(lang)
		if !c.Trusted && !c.WhyReason.IsZero() {
			reason = strings.TrimSpace(reason + l10n.M("cli.untrusted").Because(c.WhyReason).In(lang))
		}
		sources := make([]string, len(c.Sources))
		for i, s := range c.Sources {
			sources[i] = sourceLabel(lang, string(s))
		}
		rows = append(rows, []cell{{text: roleLabel(lang, c.Role)}, {text: strings.ToUpper(string(c.Protocol))},
			{text: c.Host + ":" + strconv.Itoa(c.Port)}, {text: securityLabel(lang, c.Security)},
			{text: l10n.Text(lang, "status."+string(c.Status)), paint: p.statusPaint(c.Status)},
			{text: strconv.FormatInt(c.ElapsedMS, 10) + "ms"}, {text: strings.Join(sources, say(lang, "sep.sources"))},
			{text: reason}})
	}
	printColumns(w, rows)
	if hidden > 0 {
		fmt.Fprintf(w, "  %s\n", say(lang, "cli.hidden_guesses", "count", strconv.Itoa(hidden)))
	}
}

// roleLabel is "Incoming" or "Outgoing" in lang.
func roleLabel(lang string, role mailcfg.Role) string { return say(lang, "cli."+string(role)) }

// securityLabel is a security mode as people read it in lang.
func securityLabel(lang string, s mailcfg.Security) string {
	if s.Valid() {
		return say(lang, "security."+string(s))
	}
	return string(s)
}

// sourceLabel names a discovery source in lang.
func sourceLabel(lang, source string) string {
	if l10n.Has("source." + source) {
		return say(lang, "source."+source)
	}
	return source
}

// cell is one field of an aligned table; paint colours it after padding.
type cell struct {
	text  string
	paint func(string) string
}

// printColumns writes rows indented by two spaces, with their columns
// aligned by display width, so Chinese words line up with English ones.
func printColumns(w io.Writer, rows [][]cell) { printTable(w, "  ", rows) }

// printTable writes rows after indent, aligned; trailing blanks are dropped.
func printTable(w io.Writer, indent string, rows [][]cell) {
	var width []int // the last cell of a row is not padded, and sets no width
	for _, r := range rows {
		for i, c := range r[:max(len(r)-1, 0)] {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], displayWidth(c.text))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		line.WriteString(indent)
		for i, c := range r {
			text := c.text
			if i < len(r)-1 {
				text = pad(text, width[i]) + "  "
			}
			if c.paint != nil {
				// The padding stays outside the colour.
				trimmed := strings.TrimRight(text, " ")
				text = c.paint(trimmed) + text[len(trimmed):]
			}
			line.WriteString(text)
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
}

// displayWidth is how many terminal columns s takes: East Asian wide
// characters take two, so Chinese labels line up with English ones.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if isWide(r) {
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60) ||
		(r >= 0xffe0 && r <= 0xffe6)
}

// pad fills s with spaces to width columns.
func pad(s string, width int) string {
	if n := width - displayWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// lockedWriter serialises writes from concurrent goroutines (-v output of
// parallel probes) onto one writer that may not be safe for it.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
