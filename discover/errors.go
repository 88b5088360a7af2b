package discover

import (
	"errors"
	"fmt"
)

// Errors the parsers and the HTTP fetcher wrap, for errors.Is.
var (
	// ErrTooLarge: a document or response body is over MaxDocumentSize.
	ErrTooLarge = errors.New("document larger than 1 MiB")
	// ErrDTD: the document declares a DOCTYPE or ENTITY, which a
	// configuration document never needs and an entity bomb always does.
	ErrDTD = errors.New("document declares a DOCTYPE or ENTITY")
	// ErrMalformed: the document is not well-formed XML or not the expected kind.
	ErrMalformed = errors.New("malformed document")
	// ErrNoServers: the document names no usable POP3, IMAP or SMTP server.
	ErrNoServers = errors.New("document names no usable POP3, IMAP or SMTP server")
	// ErrTooManyRedirects: an HTTP exchange redirected more than MaxRedirects times.
	ErrTooManyRedirects = errors.New("too many HTTP redirects")
	// ErrDowngrade: an HTTPS request was redirected to plain HTTP.
	ErrDowngrade = errors.New("redirect from HTTPS to plain HTTP refused")
	// ErrNoResolver: a DNS-based source ran without an Env.Resolver.
	ErrNoResolver = errors.New("no DNS resolver configured")
	// ErrNoHTTPClient: an HTTP-based source ran without an Env.HTTP.
	ErrNoHTTPClient = errors.New("no HTTP client configured")
	// ErrAutodiscoverRedirect: an Autodiscover redirect was not followed
	// (a third one, a loop, or a target that is not HTTPS).
	ErrAutodiscoverRedirect = errors.New("autodiscover redirect refused")
	// ErrContentType: an answer that should be an XML document says it is
	// something else (an HTML page, say).
	ErrContentType = errors.New("answer is not XML")
)

// HTTPStatusError is an HTTP answer other than 2xx.
type HTTPStatusError struct {
	URL    string
	Status int
}

func (e *HTTPStatusError) Error() string {
	return fmt.Sprintf("%s: HTTP status %d", e.URL, e.Status)
}

// AutodiscoverError is the Error element of an Autodiscover response.
type AutodiscoverError struct {
	Code    string
	Message string
}

func (e *AutodiscoverError) Error() string {
	return fmt.Sprintf("autodiscover error %s: %s", e.Code, e.Message)
}

// DocumentError is a fetched document that could not be used.
type DocumentError struct {
	URL string
	Err error
}

func (e *DocumentError) Error() string { return e.URL + ": " + e.Err.Error() }
func (e *DocumentError) Unwrap() error { return e.Err }
