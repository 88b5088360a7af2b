package pop3

import (
	"fmt"
	"io"
	"strings"
)

// transcript writes redacted lines to Options.Transcript.
type transcript struct {
	w       io.Writer
	secrets []string // masked wherever they appear in server text
}

const mask = "********"

// minSecret is the shortest secret worth scrubbing from server text; a
// shorter one would mangle ordinary words ("OK") while hiding little.
const minSecret = 4

func (t *transcript) sent(shown string) {
	if t.w != nil {
		io.WriteString(t.w, "C: "+printable(shown, 0)+"\n")
	}
}

func (t *transcript) received(line string) {
	if t.w != nil {
		io.WriteString(t.w, "S: "+printable(t.scrub(line), 0)+"\n")
	}
}

func (t *transcript) receivedTooLong(head string, max int) {
	if t.w != nil {
		io.WriteString(t.w, fmt.Sprintf("S: %s [line longer than %d bytes, dropped]\n", printable(t.scrub(head), lineHead), max))
	}
}

// scrub masks any secret the server might echo back.
func (t *transcript) scrub(s string) string {
	for _, secret := range t.secrets {
		if len(secret) >= minSecret && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, mask)
		}
	}
	return s
}
