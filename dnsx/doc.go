// Package dnsx is the project's own DNS resolver, on github.com/miekg/dns,
// and the dialing helpers built on it. Every name the application looks up
// goes through here, never through the operating system, so that --dns
// governs probes, HTTP and everything else alike.
//
// A Resolver asks its servers over UDP with EDNS0 (retrying over TCP when
// an answer is truncated), moves to the next server on a timeout, SERVFAIL
// or REFUSED, follows CNAME chains, caches answers for their TTL and merges
// concurrent identical questions into one. Failures are *Error values whose
// Kind says what happened; errors.Is(err, ErrNXDomain) and friends match
// them. Resolver.Dialer connects to "host:port" by resolving with the
// Resolver and racing the addresses (Race, RFC 8305).
package dnsx
