package discover

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"mailsetup/dnsx"
)

// MaxRedirects is how many HTTP redirects one fetch follows.
const MaxRedirects = 5

// DefaultHTTPTimeout bounds one whole HTTP exchange when NewHTTPClient is
// given no timeout.
const DefaultHTTPTimeout = 15 * time.Second

const userAgent = "mailsetup"

// NewHTTPClient returns the client the HTTP sources use. Connections go
// through d, which must resolve names itself (the project's resolver), so
// no environment proxy applies. roots nil means the system roots. Redirects
// are limited to MaxRedirects and never go from HTTPS to plain HTTP.
func NewHTTPClient(d dnsx.ContextDialer, roots *x509.CertPool, timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            boundedDial(d, timeout),
		TLSClientConfig:        &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		// Each discovery asks a few different hosts once: an idle
		// connection kept for reuse would only outlive the discovery.
		DisableKeepAlives: true,
		ForceAttemptHTTP2: true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: checkRedirect,
	}
}

// boundedDial gives every connection attempt at most timeout. The
// Transport goes on dialing after the request that asked is canceled (the
// connection might serve a later one), so without a bound of its own a
// dial into a black hole outlives the request for as long as the system's
// connect timeout, a couple of minutes.
func boundedDial(d dnsx.ContextDialer, timeout time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return d.DialContext(ctx, network, addr)
	}
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w (more than %d)", ErrTooManyRedirects, MaxRedirects)
	}
	if req.URL.Scheme != "https" {
		for _, prev := range via {
			if prev.URL.Scheme == "https" {
				return fmt.Errorf("%w: %s", ErrDowngrade, req.URL.Redacted())
			}
		}
	}
	return nil
}

// fetch performs one HTTP exchange and returns the body, read through the
// MaxDocumentSize bound, and the URL it finally came from after redirects.
// A non-2xx answer is an *HTTPStatusError; a body over the bound is
// ErrTooLarge, never a truncated document.
func fetch(ctx context.Context, client *http.Client, method, url string, body []byte, contentType string) ([]byte, string, error) {
	if client == nil {
		return nil, url, ErrNoHTTPClient
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, url, err
	}
	req.Header.Set("User-Agent", userAgent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, url, err
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, final, &HTTPStatusError{URL: final, Status: resp.StatusCode}
	}
	if resp.ContentLength > MaxDocumentSize {
		return nil, final, fmt.Errorf("%s: %w", final, ErrTooLarge)
	}
	data, err := readDocument(resp.Body)
	if err != nil {
		return nil, final, fmt.Errorf("%s: %w", final, err)
	}
	return data, final, nil
}
