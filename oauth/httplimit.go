package oauth

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// maxResponse bounds every body read from an issuer: metadata, token and
// device answers are a few kilobytes.
const maxResponse = 256 << 10

// DefaultHTTPTimeout bounds one exchange with the issuer when the caller's
// client sets none.
const DefaultHTTPTimeout = 30 * time.Second

// errTooLarge is a response body past maxResponse.
var errTooLarge = errors.New("response too large")

// limitClient returns a copy of c whose response bodies end in an error
// past maxResponse, so no library reading through it can be made to
// swallow an endless answer.
func limitClient(c *http.Client) *http.Client {
	if c == nil {
		c = &http.Client{}
	}
	cp := *c
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = limitTransport{base}
	if cp.Timeout == 0 {
		cp.Timeout = DefaultHTTPTimeout
	}
	return &cp
}

type limitTransport struct{ base http.RoundTripper }

func (t limitTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: maxResponse}
	return resp, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more than allowed tells a full body from a long one.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
