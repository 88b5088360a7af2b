// Package pop3 is a small POP3 client for probing servers and testing
// logins: greeting, CAPA (RFC 2449), STLS (RFC 2595), USER/PASS and APOP
// (RFC 1939), SASL AUTH (RFC 5034) with response codes (RFC 2449, RFC 3206).
// It does not fetch mail.
//
// Every read is bounded in length (Options.MaxLine, Options.MaxMultiline)
// and in time: each method takes a context whose deadline is put on the
// connection and whose cancellation closes it. After a network or protocol
// error the stream may be out of step, so the Client refuses further
// commands; a -ERR reply (*Error) leaves it usable.
//
// Secrets never leave the client in clear text outside the wire itself:
// transcripts show "PASS ********" and error messages carry the command
// name only. A Client is not safe for concurrent use.
package pop3
