package pop3

import (
	"context"
	"strings"
)

// Capa asks for the RFC 2449 capability list and returns its lines as the
// server sent them ("USER", "SASL PLAIN LOGIN", "STLS", ...). A server
// without CAPA answers -ERR, returned as (nil, *Error).
func (c *Client) Capa(ctx context.Context) (lines []string, err error) {
	if err := c.begin(ctx, "CAPA"); err != nil {
		return nil, err
	}
	defer c.end()
	if err := c.writeLine("CAPA", "CAPA"); err != nil {
		return nil, err
	}
	if _, err := c.readStatus(); err != nil {
		return nil, err
	}
	lines, err = c.readMultiline()
	if err != nil {
		return nil, err
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines, nil
}

// HasCapability reports whether a CAPA list holds the capability name
// (the first word of a line), case-insensitively.
func HasCapability(capa []string, name string) bool {
	for _, line := range capa {
		if f := strings.Fields(line); len(f) > 0 && strings.EqualFold(f[0], name) {
			return true
		}
	}
	return false
}

// SASLMechanisms lists the mechanisms of the CAPA "SASL" line(s),
// upper-cased, without duplicates.
func SASLMechanisms(capa []string) []string {
	var mechs []string
	seen := map[string]bool{}
	for _, line := range capa {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.EqualFold(f[0], "SASL") {
			continue
		}
		for _, m := range f[1:] {
			m = strings.ToUpper(m)
			if !seen[m] {
				seen[m] = true
				mechs = append(mechs, m)
			}
		}
	}
	return mechs
}
