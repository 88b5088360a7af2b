package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"unicode"

	"golang.org/x/term"

	"mailsetup/assistant"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
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

func (p painter) status(s mailcfg.Status, lang string) string {
	word := l10n.Text(lang, "status."+string(s))
	switch s {
	case mailcfg.StatusOK:
		return p.paint("32", word)
	case mailcfg.StatusInsecure, mailcfg.StatusAbandoned:
		return p.paint("33", word)
	}
	return p.paint("31", word)
}

// printReport writes the human form of a discover or check report. Guessed
// host names that do not exist are counted, not listed, unless verbose.
func printReport(w io.Writer, rep *assistant.Report, lang string, verbose bool) {
	p := newPainter(w)
	provider := word(lang, "unknown")
	if rep.Provider != nil {
		provider = rep.Provider.Name
	}
	fmt.Fprintf(w, "%s  %s: %s  (%s %d ms)\n\n", p.bold(rep.Email), word(lang, "provider"), provider,
		word(lang, "elapsed"), rep.ElapsedMS)

	fmt.Fprintln(w, p.bold(word(lang, "recommended")))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, rs := range []struct {
		label string
		srv   *mailcfg.Server
	}{{word(lang, "incoming"), rep.Recommended.Incoming}, {word(lang, "outgoing"), rep.Recommended.Outgoing}} {
		if rs.srv == nil {
			fmt.Fprintf(tw, "  %s\t%s\n", rs.label, p.paint("31", word(lang, "none-found")))
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s %s\n", rs.label, strings.ToUpper(string(rs.srv.Protocol)), rs.srv.HostPort(),
			rs.srv.Security, word(lang, "user"), rs.srv.Username)
	}
	tw.Flush()
	if rep.Insecure {
		fmt.Fprintln(w, p.paint("1;31", word(lang, "insecure")))
	}

	// Provider notes come before the login results they often explain.
	if len(rep.Notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", p.bold(word(lang, "notes")))
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

	fmt.Fprintf(w, "\n%s\n", p.bold(word(lang, "candidates")))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	hidden := 0
	for _, c := range rep.Candidates {
		if !verbose && c.Collapsed() {
			hidden++
			continue
		}
		reason := c.ReasonText(lang)
		if !c.Trusted && !c.WhyReason.IsZero() {
			reason = strings.TrimSpace(reason + " (" + word(lang, "untrusted") + ": " + c.WhyReason.In(lang) + ")")
		}
		sources := make([]string, len(c.Sources))
		for i, s := range c.Sources {
			sources[i] = string(s)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s:%d\t%s\t%s\t%dms\t%s\t%s\n", word(lang, string(c.Role)), c.Protocol, c.Host, c.Port, c.Security,
			p.status(c.Status, lang), c.ElapsedMS, strings.Join(sources, ","), reason)
	}
	tw.Flush()
	if hidden > 0 {
		fmt.Fprintf(w, "  %s\n", fmt.Sprintf(word(lang, "hidden-guesses"), hidden))
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
