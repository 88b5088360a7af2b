package oauth

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels for errors.Is; the typed errors below match them.
var (
	ErrNoClientID     = errors.New("no OAuth2 client ID configured")
	ErrConsentDenied  = errors.New("the sign-in was refused (consent denied)")
	ErrStateMismatch  = errors.New("the sign-in answer does not belong to this sign-in (state mismatch)")
	ErrWrongIssuer    = errors.New("the sign-in answer or metadata comes from another issuer")
	ErrIssuer         = errors.New("the sign-in service is unreachable or answered with an error")
	ErrPortTaken      = errors.New("the loopback port for the sign-in answer is taken")
	ErrTimeout        = errors.New("the sign-in was not completed in time")
	ErrNoDeviceFlow   = errors.New("the issuer offers no device sign-in")
	ErrNoRefreshToken = errors.New("no refresh token to renew the access token with")
)

// NoClientIDError says what a client ID is and how to give one. Nothing
// has been sent to the issuer when it is returned.
type NoClientIDError struct {
	Issuer      string // the issuer's name or URL, for the message
	RegisterURL string // where an application is registered, when known
}

func (e *NoClientIDError) Error() string {
	var b strings.Builder
	b.WriteString("no OAuth2 client ID: a client ID names the application that asks ")
	if e.Issuer != "" {
		b.WriteString(e.Issuer + " ")
	} else {
		b.WriteString("the sign-in service ")
	}
	b.WriteString("for access to your mail; mailsetup ships none of its own. ")
	if e.RegisterURL != "" {
		b.WriteString("Register an application (a \"public\" or \"desktop\" client with the redirect URI http://127.0.0.1) at " + e.RegisterURL + ", or ask your administrator for its client ID, ")
	} else {
		b.WriteString("Register an application with the provider, or ask your administrator for its client ID, ")
	}
	b.WriteString("then give it with --oauth-client-id ID, the MAILSETUP_OAUTH_CLIENT_ID environment variable, or in Settings")
	return b.String()
}

func (e *NoClientIDError) Is(target error) bool { return target == ErrNoClientID }

// AuthorizationError is an error answer of the authorization endpoint
// (RFC 6749 section 4.1.2.1) or of the device flow. Code "access_denied"
// matches ErrConsentDenied.
type AuthorizationError struct {
	Code        string
	Description string
}

func (e *AuthorizationError) Error() string {
	msg := "the sign-in failed: " + printable(e.Code)
	if e.Code == "access_denied" {
		msg = "the sign-in was refused: consent was denied (access_denied)"
	}
	if e.Description != "" {
		msg += ": " + printable(e.Description)
	}
	return msg
}

func (e *AuthorizationError) Is(target error) bool {
	return target == ErrConsentDenied && e.Code == "access_denied"
}

// WrongIssuerError: the issuer named in metadata or in the authorization
// answer's iss parameter (RFC 9207) is not the one asked.
type WrongIssuerError struct {
	Want, Got string
	Where     string // "metadata" or "authorization response"
}

func (e *WrongIssuerError) Error() string {
	got := e.Got
	if got == "" {
		got = "none"
	}
	return fmt.Sprintf("the %s names issuer %q, expected %q: refusing to go on (a mix-up or a forged answer)", e.Where, printable(got), printable(e.Want))
}

func (e *WrongIssuerError) Is(target error) bool { return target == ErrWrongIssuer }

// IssuerError: the issuer could not be reached, or answered with an error
// or with something that is not what the protocol asks for.
type IssuerError struct {
	Op          string // "discovery", "token", "refresh", "device authorization"
	URL         string // the endpoint, without query
	Status      int    // HTTP status; 0 when there was no answer
	Code        string // RFC 6749 error code, when given
	Description string
	Err         error // the transport error, when there was no answer
}

func (e *IssuerError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s failed", e.Op, e.URL)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Code != "" {
		b.WriteString(": " + printable(e.Code))
	}
	if e.Description != "" {
		b.WriteString(" (" + printable(e.Description) + ")")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *IssuerError) Unwrap() error { return e.Err }

func (e *IssuerError) Is(target error) bool { return target == ErrIssuer }

// PortTakenError: the loopback listener for the redirect could not bind.
type PortTakenError struct {
	Addr string
	Err  error
}

func (e *PortTakenError) Error() string {
	return fmt.Sprintf("cannot receive the sign-in answer on %s: %v (another program holds the port)", e.Addr, e.Err)
}
func (e *PortTakenError) Unwrap() error        { return e.Err }
func (e *PortTakenError) Is(target error) bool { return target == ErrPortTaken }

// printable keeps text from an issuer safe to show: no control characters,
// bounded length.
func printable(s string) string {
	const max = 300
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= max {
			b.WriteString("…")
			break
		}
		if r < ' ' || r == 0x7f {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}
