// Package testbed runs real servers on loopback for the project's tests:
// an authoritative DNS server, a certificate authority made at run time,
// real dovecot instances (POP3, IMAP, submission), HTTPS servers for
// autoconfig, Autodiscover and ISPDB, scripted servers that mimic a
// provider's quirks, and fault servers that misbehave on purpose.
//
// Tests may not bind ports 995, 465 and so on, so every server listens on a
// random high port of its own loopback address (127.0.0.x; Linux routes all
// of 127/8 to lo) and the bed keeps a map from "ip:standard-port" to
// "ip:actual-port". The engine reaches the servers through that map: in
// process with [Bed.Dialer], in a child process built with -tags testhooks
// through the MAILSETUP_DIAL_MAP environment variable ([Bed.DialMapEnv]).
//
// A Bed is made per test with [Start], or shared by a package's tests with
// [New] in TestMain and [Bed.Close] afterwards. Helpers that take a
// testing.TB tie what they start to that test's cleanup; given a nil
// testing.TB they tie it to the bed and panic on failure (for commands).
// See README.md for the standard scenarios.
package testbed
