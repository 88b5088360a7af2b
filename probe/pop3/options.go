package pop3

import "io"

// Defaults for Options fields left at zero.
const (
	DefaultMaxLine      = 4096
	DefaultMaxMultiline = 64 << 10
)

// Options tunes a Client. A nil *Options means all defaults.
type Options struct {
	// MaxLine is the longest line accepted from the server, CRLF excluded.
	// Longer lines end the session with a *ProtocolError. Default 4096.
	MaxLine int
	// MaxMultiline bounds the total size of one multi-line reply (CAPA),
	// counting CRLFs. Default 64 KiB.
	MaxMultiline int
	// Transcript, if set, receives every line sent ("C: ...") and received
	// ("S: ..."), one Write per line, each ending in "\n". Secrets are
	// masked and control characters escaped before they get here.
	Transcript io.Writer
}

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.MaxLine <= 0 {
		out.MaxLine = DefaultMaxLine
	}
	if out.MaxMultiline <= 0 {
		out.MaxMultiline = DefaultMaxMultiline
	}
	return out
}
