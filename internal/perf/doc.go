// Package perf measures how fast the engine reaches a recommendation, a
// verified login (discover, then both logins) and a rejected password
// against the test bed with injected network latency, and how that time
// compares with the floor the network makes unavoidable. A run's figures
// can be kept (before.json) to be printed beside a later run's.
//
// Latency is injected on both paths the engine uses: Dialer wraps the
// bed's dialer (mail servers and HTTPS sources), DNSProxy sits in front of
// the bed's DNS server. Both model a symmetric link: every byte takes half
// the round-trip time in each direction, and a TCP connect takes one full
// round trip. docs/performance.md describes the floor model; `make bench`
// regenerates it.
package perf
