// Package hints turns a failure into plain words: what went wrong and what
// to do next, in English, Simplified and Traditional Chinese.
//
// The texts live in catalogue.json (embedded), one entry per failure class,
// with placeholders such as {host} or {sha256} that Match fills from the
// Facts. The matching itself is Go: an ordered table of rules (rules.go),
// most specific first, each looking at the probe stage and status, the
// server's reply and codes, certificate and DNS facts, and the provider.
//
// These texts are the tool's voice to people who are not technical and to
// the helpdesk staff who support them, so each says the cause and the next
// step in one or two sentences.
package hints
