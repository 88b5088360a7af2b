package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"mailsetup/mailcfg"
)

// AutodiscoverSource posts an Outlook Autodiscover (POX) request to
// autodiscover.<domain>, then to the domain itself. It follows one
// redirect action: redirectAddr to the new address's domain, or
// redirectUrl when it is HTTPS.
type AutodiscoverSource struct{ Env Env }

func (s *AutodiscoverSource) Name() SourceName { return SourceAutodiscover }

// autodiscoverURLs are the two POX endpoints of domain, in the order tried.
func autodiscoverURLs(domain string) []string {
	return []string{
		"https://autodiscover." + domain + "/autodiscover/autodiscover.xml",
		"https://" + domain + "/autodiscover/autodiscover.xml",
	}
}

func (s *AutodiscoverSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	if s.Env.HTTP == nil {
		return ErrNoHTTPClient
	}
	emit, _ = s.Env.filtered(emit)
	urls := autodiscoverURLs(addr.ASCII)
	redirected := false
	var errs []error
	for i := 0; i < len(urls); i++ {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		res, final, err := s.post(ctx, urls[i], addr)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch res.Action {
		case ActionRedirectAddr, ActionRedirectURL:
			if redirected {
				errs = append(errs, fmt.Errorf("%w: %s: a second redirect", ErrAutodiscoverRedirect, final))
				continue
			}
			redirected = true
			next, err := s.redirect(res, &addr)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", final, err))
				continue
			}
			urls, i = next, -1
			continue
		}
		for _, srv := range res.Servers {
			emit(Candidate{Server: srv, Source: SourceAutodiscover, Trusted: true, URL: final,
				Detail: "Autodiscover response " + final})
		}
		return nil
	}
	return errors.Join(errs...)
}

// redirect returns the URLs a redirect action points to; redirectAddr
// replaces *addr with the new address.
func (s *AutodiscoverSource) redirect(res *AutodiscoverResult, addr *mailcfg.Address) ([]string, error) {
	if res.Action == ActionRedirectURL {
		if !strings.HasPrefix(strings.ToLower(res.RedirectURL), "https://") {
			return nil, fmt.Errorf("%w: %s is not HTTPS", ErrAutodiscoverRedirect, res.RedirectURL)
		}
		return []string{res.RedirectURL}, nil
	}
	next, err := mailcfg.ParseAddress(res.RedirectAddr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAutodiscoverRedirect, err)
	}
	*addr = next
	return autodiscoverURLs(next.ASCII), nil
}

func (s *AutodiscoverSource) post(ctx context.Context, u string, addr mailcfg.Address) (*AutodiscoverResult, string, error) {
	body := autodiscoverRequest(addr.ASCIIString())
	data, final, err := fetch(ctx, s.Env.HTTP, http.MethodPost, u, body, "text/xml; charset=utf-8")
	if err != nil {
		return nil, final, err
	}
	res, err := ParseAutodiscover(bytes.NewReader(data), addr)
	if err != nil {
		return nil, final, &DocumentError{URL: final, Err: err}
	}
	return res, final, nil
}
