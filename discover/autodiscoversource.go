package discover

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"mailsetup/dnsx"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// AutodiscoverSource asks Outlook's Autodiscover (POX) service the way
// Outlook and Thunderbird do: the four routes of MS-OXDISCO at once (see
// the Route* constants), then redirectAddr (start again with the new
// address), redirectUrl and HTTP redirects, at most MaxAutodiscoverRedirects
// in a row. Every route that answers with settings contributes candidates,
// each carrying its Route.
//
// No credentials are ever sent: the request is the unauthenticated POX
// request, and a server that asks for a login (HTTP 401) is reported, not
// answered. A target outside the address's registered domain (reached
// through a redirect, the plain-HTTP route or SRV) yields untrusted
// candidates, Microsoft's own hosts excepted. A route that ends at
// Exchange Online yields the Microsoft 365 servers of the provider table.
type AutodiscoverSource struct{ Env Env }

func (s *AutodiscoverSource) Name() SourceName { return SourceAutodiscover }

// Limits of one Autodiscover search.
const (
	// MaxAutodiscoverRedirects is how many redirects (redirectAddr,
	// redirectUrl, HTTP 3xx on a POST) one route follows in a row, as
	// Thunderbird does; the next one is refused.
	MaxAutodiscoverRedirects = 2
	// maxAutodiscoverRequests bounds the HTTP requests of one search, so
	// redirects fanning out to new addresses stay small.
	maxAutodiscoverRequests = 24
	// autodiscoverContentType is the request's Content-Type, exactly as
	// Outlook sends it (outlook.com wants this spelling).
	autodiscoverContentType = "text/xml; charset=utf-8"
	autodiscoverPath        = "/autodiscover/autodiscover.xml"
	// autodiscoverGETPath is the plain-HTTP route's path, capitalised as
	// Outlook does.
	autodiscoverGETPath = "/Autodiscover/Autodiscover.xml"
)

// Offline (Env.Offline) keeps every request inside the address's
// registered domain: a redirect elsewhere is noted, not followed.

// Exchange Online's provider entry, whose servers a route ending at
// Microsoft's Autodiscover yields.
const microsoft365ID = "microsoft365"

func (s *AutodiscoverSource) Find(ctx context.Context, addr mailcfg.Address, emit func(Candidate)) error {
	if s.Env.HTTP == nil {
		return ErrNoHTTPClient
	}
	emit, found := s.Env.filtered(emit)
	a := &adSearch{
		env:     s.Env,
		origin:  addr,
		emit:    emit,
		started: map[string]bool{},
		client:  noRedirectClient(s.Env.HTTP),
		timeout: s.Env.HTTP.Timeout,
	}
	a.start(ctx, adChain{addr: addr})
	a.wg.Wait()
	if found() {
		return nil
	}
	return a.err()
}

// noRedirectClient is client without automatic redirects: the source
// follows them itself, counting them and checking where they go. The
// client's timeout becomes each request's context deadline (see
// exchange), so that a read cut short is told from a short document.
func noRedirectClient(client *http.Client) *http.Client {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.Timeout = 0
	return &c
}

// adSearch is one Find: the routes of every address asked about.
type adSearch struct {
	env     Env
	origin  mailcfg.Address
	emit    func(Candidate)
	client  *http.Client
	timeout time.Duration // bound for one request, 0 = the context's only
	wg      sync.WaitGroup

	mu       sync.Mutex
	started  map[string]bool // addresses whose routes were started
	requests int
	errs     []error
}

func (a *adSearch) fail(c adChain, err error) {
	a.mu.Lock()
	a.errs = append(a.errs, fmt.Errorf("%s: %w", c.name(a.origin), err))
	a.mu.Unlock()
}

// err joins the failures, refused redirects first: they say the most.
// Routes cut off because the caller stopped the search are left out, so
// that they do not hide what the others found out; only when nothing else
// is left is the cancellation itself returned.
func (a *adSearch) err() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	errs := slices.DeleteFunc(slices.Clone(a.errs), func(e error) bool { return errors.Is(e, context.Canceled) })
	if len(errs) == 0 && len(a.errs) > 0 {
		return context.Canceled
	}
	slices.SortStableFunc(errs, func(x, y error) int {
		return cmp.Compare(b2i(!errors.Is(x, ErrAutodiscoverRedirect)), b2i(!errors.Is(y, ErrAutodiscoverRedirect)))
	})
	return errors.Join(errs...)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// budget takes one request from the search's allowance.
func (a *adSearch) budget() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.requests >= maxAutodiscoverRequests {
		return false
	}
	a.requests++
	return true
}

// start launches the four routes for c.addr, once per address.
func (a *adSearch) start(ctx context.Context, c adChain) {
	key := strings.ToLower(c.addr.ASCIIString())
	a.mu.Lock()
	if a.started[key] {
		a.mu.Unlock()
		return // another route already redirected here
	}
	a.started[key] = true
	a.mu.Unlock()
	c.addrs = append(slices.Clone(c.addrs), key)
	domain := c.addr.ASCII
	// Each route is named for the way it reached the answer; Via keeps
	// the redirects that led to this address.
	go1 := func(route string, f func(adChain)) {
		rc := c
		rc.route = route
		a.wg.Go(func() { f(rc) })
	}
	go1(RouteDomain, func(rc adChain) { a.post(ctx, rc, "https://"+domain+autodiscoverPath) })
	go1(RouteAutodiscoverHost, func(rc adChain) { a.post(ctx, rc, "https://autodiscover."+domain+autodiscoverPath) })
	go1(RouteHTTPRedirect, func(rc adChain) { a.viaHTTP(ctx, rc, "http://autodiscover."+domain+autodiscoverGETPath) })
	if a.env.Resolver != nil {
		go1(RouteSRV, func(rc adChain) { a.viaSRV(ctx, rc, domain) })
	}
}

// trust marks the chain untrusted when target lies outside the original
// address's registered domain.
func (a *adSearch) trust(c *adChain, target, how string) {
	if c.why.IsZero() && outsideBase(target, a.origin.ASCII) {
		c.why = outsideWhy(how, target, baseDomain(a.origin.ASCII))
	}
}

// viaHTTP asks the plain-HTTP route: only a redirect to an https URL is
// taken from its answer, and that URL is POSTed to.
func (a *adSearch) viaHTTP(ctx context.Context, c adChain, u string) {
	if !a.budget() {
		a.fail(c, errTooManyRequests)
		return
	}
	resp, err := a.exchange(ctx, http.MethodGet, u, nil)
	if err != nil {
		a.fail(c, err)
		return
	}
	if resp.location == "" {
		if resp.status/100 == 2 {
			a.fail(c, fmt.Errorf("GET %s answered %d without a redirect: nothing but a redirect is taken from plain HTTP", u, resp.status))
		} else {
			a.fail(c, &HTTPStatusError{URL: u, Status: resp.status})
		}
		return
	}
	next, err := httpsTarget(u, resp.location)
	if err != nil {
		a.fail(c, err)
		return
	}
	c = c.with(fmt.Sprintf("GET %s → HTTP %d %s", u, resp.status, next))
	a.trust(&c, urlHost(next), "plain-HTTP redirect")
	a.post(ctx, c, next)
}

// viaSRV reads _autodiscover._tcp.<domain> and POSTs to its best target.
func (a *adSearch) viaSRV(ctx context.Context, c adChain, domain string) {
	records, err := a.env.Resolver.LookupSRV(ctx, "autodiscover", "tcp", domain)
	name := "_autodiscover._tcp." + domain
	if err != nil {
		if errors.Is(err, dnsx.ErrServiceNotOffered) || dnsx.IsNotFound(err) {
			a.fail(c, fmt.Errorf("no SRV record %s", name))
		} else {
			a.fail(c, fmt.Errorf("SRV %s: %w", name, err))
		}
		return
	}
	records = slices.Clone(records)
	slices.SortStableFunc(records, func(x, y dnsx.SRV) int {
		if d := cmp.Compare(x.Priority, y.Priority); d != 0 {
			return d
		}
		return cmp.Compare(y.Weight, x.Weight)
	})
	for _, r := range records {
		host, ok := cleanHost(r.Target)
		if !ok || r.Port == 0 {
			continue
		}
		hostPort := host
		if r.Port != 443 {
			hostPort += ":" + strconv.Itoa(int(r.Port))
		}
		c = c.with(fmt.Sprintf("SRV %s → %s:%d", name, host, r.Port))
		a.trust(&c, host, "SRV record")
		a.post(ctx, c, "https://"+hostPort+autodiscoverPath)
		return
	}
	a.fail(c, fmt.Errorf("SRV %s names no usable target", name))
}

// post sends the POX request for c.addr to u and acts on the answer.
func (a *adSearch) post(ctx context.Context, c adChain, u string) {
	if slices.Contains(c.urls, u) {
		a.fail(c, fmt.Errorf("%w: redirect loop: %s was already asked", ErrAutodiscoverRedirect, u))
		return
	}
	c.urls = append(slices.Clone(c.urls), u)
	if host := urlHost(u); a.env.Offline && baseDomain(host) != baseDomain(a.origin.ASCII) {
		// --offline: no look-ups beyond the address's own domain. A
		// redirect to Microsoft's Autodiscover says enough by itself.
		if isMicrosoftHost(host) {
			a.exchangeOnline(c, u, fmt.Sprintf("sent on to Microsoft's Autodiscover (%s), not asked offline", host))
			return
		}
		a.fail(c, fmt.Errorf("%s is outside %s: not asked offline (third-party look-ups are off)", u, baseDomain(a.origin.ASCII)))
		return
	}
	if !a.budget() {
		a.fail(c, errTooManyRequests)
		return
	}
	resp, err := a.exchange(ctx, http.MethodPost, u, autodiscoverRequest(c.addr.ASCIIString()))
	if err != nil {
		a.fail(c, err)
		return
	}
	switch {
	case resp.location != "":
		next, err := httpsTarget(u, resp.location)
		if err != nil {
			a.fail(c, err)
			return
		}
		a.redirectURL(ctx, c, fmt.Sprintf("POST %s → HTTP %d %s", u, resp.status, next), next)
		return
	case resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden:
		if isMicrosoftHost(urlHost(u)) {
			a.exchangeOnline(c, u, fmt.Sprintf("Microsoft's Autodiscover (%s) asks for a sign-in", urlHost(u)))
			return
		}
		a.fail(c, fmt.Errorf("POST %s: HTTP %d, the server wants a login; mailsetup sends no credentials to Autodiscover", u, resp.status))
		return
	case resp.status/100 != 2:
		a.fail(c, &HTTPStatusError{URL: u, Status: resp.status})
		return
	}
	res, err := ParseAutodiscover(bytes.NewReader(resp.body), c.addr)
	if err != nil {
		a.fail(c, &DocumentError{URL: u, Err: err})
		return
	}
	switch res.Action {
	case ActionRedirectAddr:
		a.redirectAddr(ctx, c, u, res.RedirectAddr)
	case ActionRedirectURL:
		if !strings.HasPrefix(strings.ToLower(res.RedirectURL), "https://") {
			a.fail(c, fmt.Errorf("%w: redirectUrl %s from %s is not HTTPS", ErrAutodiscoverRedirect, res.RedirectURL, u))
			return
		}
		a.redirectURL(ctx, c, fmt.Sprintf("redirectUrl %s from %s", res.RedirectURL, u), res.RedirectURL)
	default:
		a.settings(c, u, res)
	}
}

// redirectURL follows a redirect to an https URL, within the limits.
func (a *adSearch) redirectURL(ctx context.Context, c adChain, hop, next string) {
	if c.redirects >= MaxAutodiscoverRedirects {
		a.fail(c, fmt.Errorf("%w: a third redirect (%s) is not followed: Autodiscover follows at most %d",
			ErrAutodiscoverRedirect, hop, MaxAutodiscoverRedirects))
		return
	}
	c = c.with(hop)
	c.redirects++
	a.trust(&c, urlHost(next), "redirect")
	a.post(ctx, c, next)
}

// redirectAddr starts every route again for the new address.
func (a *adSearch) redirectAddr(ctx context.Context, c adChain, from, to string) {
	next, err := mailcfg.ParseAddress(to)
	if err != nil {
		a.fail(c, fmt.Errorf("%w: redirectAddr %q from %s: %v", ErrAutodiscoverRedirect, to, from, err))
		return
	}
	hop := fmt.Sprintf("redirectAddr %s from %s", next.ASCIIString(), from)
	if slices.Contains(c.addrs, strings.ToLower(next.ASCIIString())) {
		a.fail(c, fmt.Errorf("%w: redirect loop: %s sends back to %s, already asked", ErrAutodiscoverRedirect, from, next.ASCIIString()))
		return
	}
	if c.redirects >= MaxAutodiscoverRedirects {
		a.fail(c, fmt.Errorf("%w: a third redirect (%s) is not followed: Autodiscover follows at most %d",
			ErrAutodiscoverRedirect, hop, MaxAutodiscoverRedirects))
		return
	}
	c = c.with(hop)
	c.redirects++
	c.addr = next
	a.trust(&c, next.ASCII, "redirectAddr")
	a.start(ctx, c)
}

// settings emits the servers of an answer.
func (a *adSearch) settings(c adChain, u string, res *AutodiscoverResult) {
	route := &Route{Source: SourceAutodiscover, Route: c.route, URL: u, Via: c.via}
	provider := ""
	for _, p := range res.Protocols {
		if isMicrosoftHost(p.Server.Host) {
			provider = microsoft365ID
		}
	}
	for _, p := range res.Protocols {
		detail := "Autodiscover " + c.route + " " + u
		if set := p.Settings(); len(set) > 0 {
			detail += " (" + strings.Join(set, " ") + ")"
		}
		a.emit(Candidate{Server: p.Server, Source: SourceAutodiscover, Trusted: c.why.IsZero(), Why: c.why,
			URL: u, Detail: detail, Auth: p.AuthMethods(), Route: route, ProviderID: provider})
	}
}

// exchangeOnline emits the Microsoft 365 servers of the provider table for
// a route that ended at Microsoft's own Autodiscover: Exchange Online
// answers only signed-in clients, and its POP, IMAP and SMTP hosts are the
// same for every tenant.
func (a *adSearch) exchangeOnline(c adChain, u, why string) {
	p := providers.ByID(microsoft365ID)
	if p == nil {
		a.fail(c, errors.New(why))
		return
	}
	c = c.with(why)
	route := &Route{Source: SourceAutodiscover, Route: c.route, URL: u, Via: c.via}
	user := c.addr.ASCIIString()
	for _, list := range [][]providers.Server{p.Incoming, p.Outgoing} {
		for _, ps := range list {
			a.emit(Candidate{
				Server:  mailcfg.Server{Protocol: ps.Protocol, Host: ps.Host, Port: ps.Port, Security: ps.Security, Username: user},
				Source:  SourceAutodiscover,
				Trusted: true, // Microsoft's own hosts, named by the provider table
				URL:     u,
				Detail:  "Autodiscover " + c.route + " ends at Exchange Online (" + urlHost(u) + ")",
				Route:   route, ProviderID: microsoft365ID,
			})
		}
	}
}
