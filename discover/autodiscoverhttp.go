package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The HTTP side of an Autodiscover search: one bounded exchange, and the
// URLs and redirects it may follow.

// adResponse is what the source keeps of one HTTP answer.
type adResponse struct {
	status   int
	location string // Location of a 3xx answer
	body     []byte // of a 2xx answer, read within MaxDocumentSize
}

var errTooManyRequests = fmt.Errorf("%w: more than %d requests for one address", ErrAutodiscoverRedirect, maxAutodiscoverRequests)

// exchange performs one request without following redirects. A 2xx body
// must be XML (by its Content-Type, when there is one) and is read within
// MaxDocumentSize.
func (a *adSearch) exchange(ctx context.Context, method, u string, body []byte) (*adResponse, error) {
	if timeout, ok := a.requestTimeout(ctx, time.Now()); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", autodiscoverContentType)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, timeoutSaid(err)
	}
	defer resp.Body.Close()
	out := &adResponse{status: resp.StatusCode}
	switch {
	case resp.StatusCode/100 == 3:
		out.location = resp.Header.Get("Location")
		if out.location == "" {
			return nil, fmt.Errorf("%s %s: HTTP %d without a Location", method, u, resp.StatusCode)
		}
		return out, nil
	case resp.StatusCode/100 != 2:
		return out, nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && !xmlMediaType(ct) {
		return nil, fmt.Errorf("%s %s: %w (%s)", method, u, ErrContentType, ct)
	}
	if resp.ContentLength > MaxDocumentSize {
		return nil, fmt.Errorf("%s %s: %w", method, u, ErrTooLarge)
	}
	out.body, err = readDocument(resp.Body)
	if ctx.Err() != nil {
		// A read cut short by the deadline may end in a plain EOF: say
		// why, rather than call the half document malformed.
		return nil, fmt.Errorf("%s %s: %w", method, u, timeoutSaid(ctx.Err()))
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, u, timeoutSaid(err))
	}
	return out, nil
}

// finishEarly is how long before the search's deadline a request gives
// up, so that a slow server's note reaches the report rather than being
// cut off with everything else.
const finishEarly = 300 * time.Millisecond

// requestTimeout bounds one request: the HTTP client's timeout, and the
// search's deadline less finishEarly; false when neither applies.
func (a *adSearch) requestTimeout(ctx context.Context, now time.Time) (time.Duration, bool) {
	timeout, ok := a.timeout, a.timeout > 0
	if dl, has := ctx.Deadline(); has {
		if left := dl.Sub(now) - finishEarly; !ok || left < timeout {
			timeout, ok = max(left, time.Millisecond), true
		}
	}
	return timeout, ok
}

// timeoutSaid rewords a deadline into plain words, keeping the error chain.
func timeoutSaid(err error) error {
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout") {
		return fmt.Errorf("no complete answer in the time allowed: %w", err)
	}
	return err
}

// xmlMediaType accepts text/xml, application/xml and any +xml type.
func xmlMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "text/xml" || mt == "application/xml" || strings.HasSuffix(mt, "+xml")
}

// httpsTarget resolves a redirect's Location against the URL that gave it
// and refuses anything but https.
func httpsTarget(from, location string) (string, error) {
	base, err := url.Parse(from)
	if err != nil {
		return "", err
	}
	ref, err := url.Parse(strings.TrimSpace(location))
	if err != nil {
		return "", fmt.Errorf("%w: bad Location %q from %s", ErrAutodiscoverRedirect, location, from)
	}
	next := base.ResolveReference(ref)
	if next.Scheme != "https" || next.Host == "" {
		return "", fmt.Errorf("%w: %s redirects to %s, which is not HTTPS", ErrAutodiscoverRedirect, from, next.Redacted())
	}
	next.Fragment = ""
	return next.String(), nil
}

// autodiscoverURLs are the two HTTPS POX endpoints of domain.
func autodiscoverURLs(domain string) []string {
	return []string{
		"https://autodiscover." + domain + autodiscoverPath,
		"https://" + domain + autodiscoverPath,
	}
}
