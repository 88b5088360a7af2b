// Package discover holds the candidate sources: each turns an email address
// into mail servers worth probing, from the built-in provider table, DNS SRV
// records (RFC 6186/8314), the domain's MX hosts, the provider's autoconfig
// document, Thunderbird's ISP database, Microsoft Autodiscover, and plain
// guessing. Sources stream candidates as they find them; they never connect
// to a mail server themselves — probing is someone else's job.
package discover
