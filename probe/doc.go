// Package probe talks to one mail server for real: it resolves the host,
// connects, sets up TLS (implicit or STARTTLS/STLS), reads the greeting and
// the capabilities, judges the certificate, and optionally logs in.
//
// The first exchanges (greeting, capabilities, STARTTLS) are spoken by a
// small line client of this package, so that a wrong greeting can be named
// precisely and the plaintext of every protocol lands in one transcript.
// The established connection is then handed to the protocol libraries
// (mailsetup/probe/pop3, emersion/go-imap/v2, emersion/go-smtp) for the
// login, with the greeting replayed so they start where they expect.
//
// Every connection is bounded: the whole exchange by the context deadline,
// every line by a length, and all reads together by a byte budget.
package probe
