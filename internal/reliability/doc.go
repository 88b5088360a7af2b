// Package reliability measures how the engine copes with hostile and
// broken servers, and publishes the figures in docs/reliability.md.
//
// Its tests are the measurement: a fault matrix run through the real
// engine against misbehaving servers on loopback (each case with its
// expected status and hint, a time bound, a goroutine leak check and a
// memory bound; its oauth2 rows run `check --oauth…` through cli.Run
// against the test bed's authorization server), a secrets test that runs
// every command of the real binary with a known password and searches
// everything it wrote (and, for OAuth2 sign-ins, for every token, code and
// PKCE verifier the authorization server handed out), and a load test of
// 200 discoveries at once. `make reliability` runs them and rewrites
// docs/reliability.md from the results:
//
//	go test ./internal/reliability -count=1 -args -write ../../docs/reliability.md
//
// The non-test files hold what the tests share: resource probes
// (goroutines, file descriptors, heap), extra fault servers the test bed
// does not have, and the report renderer.
package reliability
