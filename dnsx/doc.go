// Package dnsx is the project's own DNS resolver, on github.com/miekg/dns,
// and the dialing helpers built on it. Every name the application looks up
// goes through here, never through the operating system, so that --dns
// governs probes, HTTP and everything else alike.
package dnsx
