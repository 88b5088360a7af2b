// Package oauth signs a user in with OAuth2 for mail providers that take no
// password: the RFC 8252 native-app flow (system browser, loopback redirect
// on 127.0.0.1, PKCE S256, state and RFC 9207 issuer checks), the RFC 8628
// device flow for machines without a browser, refresh of an expired access
// token, discovery of a generic issuer's metadata (RFC 8414, else OpenID
// Connect Discovery), and an optional 0600 file for a refresh token.
//
// The protocol itself is golang.org/x/oauth2's. Every network call goes
// through the caller's *http.Client (the engine's dialer and resolver) with
// a context and a deadline, and every response body is bounded.
//
// Tokens, authorization codes and PKCE verifiers never appear in an error,
// a log or a transcript: they travel as Secret, whose every printed form is
// redacted, and errors carry only the issuer's error code and description.
// mailsetup ships no client ID of its own: without one, New fails with a
// *NoClientIDError before anything is sent.
package oauth
