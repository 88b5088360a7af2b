package discover

import (
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// The ways Outlook finds an Autodiscover server (MS-OXDISCO), all tried at
// once. Route.Route names one of them.
const (
	// RouteDomain: POST https://<domain>/autodiscover/autodiscover.xml.
	RouteDomain = "https-domain"
	// RouteAutodiscoverHost: POST https://autodiscover.<domain>/autodiscover/autodiscover.xml.
	RouteAutodiscoverHost = "https-autodiscover"
	// RouteHTTPRedirect: GET http://autodiscover.<domain>/Autodiscover/Autodiscover.xml,
	// whose redirect to an https URL is then POSTed to. Only the
	// redirect's Location is taken from the plain-HTTP answer.
	RouteHTTPRedirect = "http-redirect"
	// RouteSRV: the SRV record _autodiscover._tcp.<domain>; its target is
	// POSTed to at /autodiscover/autodiscover.xml.
	RouteSRV = "srv"
)

// Route says how a source reached a candidate: which of its routes, the
// document the settings came from, and every hop in between. Only the
// Autodiscover source fills it today.
type Route struct {
	Source SourceName `json:"source"`
	Route  string     `json:"route"`
	// URL is the document the candidate came from, after every redirect.
	URL string `json:"url"`
	// Via lists the hops in order: the SRV record, an HTTP redirect, a
	// redirectAddr or redirectUrl answer.
	Via []string `json:"via,omitempty"`
}

// Equal reports whether r and o describe the same route.
func (r Route) Equal(o Route) bool {
	if r.Source != o.Source || r.Route != o.Route || r.URL != o.URL || len(r.Via) != len(o.Via) {
		return false
	}
	for i := range r.Via {
		if r.Via[i] != o.Via[i] {
			return false
		}
	}
	return true
}

// microsoftDomains are Microsoft's own Autodiscover and Exchange Online
// hosts: a redirect there needs no consent (Thunderbird excepts
// office365.com and outlook.com the same way).
var microsoftDomains = []string{"office365.com", "outlook.com", "microsoft.com"}

// baseDomain is host's registered domain (eTLD+1), or host itself when the
// public suffix list has no answer.
func baseDomain(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if b, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return b
	}
	return host
}

// isMicrosoftHost reports whether host belongs to Microsoft's own domains.
func isMicrosoftHost(host string) bool {
	base := baseDomain(host)
	for _, d := range microsoftDomains {
		if base == d {
			return true
		}
	}
	return false
}

// outsideBase reports whether host lies in another registered domain than
// domain, Microsoft's own hosts excepted: such a target came from a
// redirect or DNS, and no password goes there without the user's consent
// (RFC 6186 §6's rule, as for SRV).
func outsideBase(host, domain string) bool {
	return baseDomain(host) != baseDomain(domain) && !isMicrosoftHost(host)
}

// outsideWhy says why a candidate is untrusted: how the route left the
// address's registered domain and where to.
func outsideWhy(how, target, domain string) l10n.Message {
	code := map[string]string{
		"plain-HTTP redirect": "why.autodiscover_http_redirect",
		"SRV record":          "why.autodiscover_srv",
		"redirect":            "why.autodiscover_redirect",
		"redirectAddr":        "why.autodiscover_redirect_addr",
	}[how]
	return l10n.M(code, "host", target, "domain", domain)
}

// urlHost is the host name of a URL, lower case, "" when it has none.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// adChain is where one route stands: the address asked about and how it
// got there.
type adChain struct {
	addr      mailcfg.Address
	route     string
	via       []string
	redirects int
	addrs     []string     // addresses asked along the chain, for loops
	urls      []string     // URLs posted to along the chain, for loops
	why       l10n.Message // why the chain's answer is untrusted; zero if trusted
}

// with returns a copy of c with one more hop.
func (c adChain) with(hop string) adChain {
	c.via = append(slices.Clone(c.via), hop)
	c.addrs = slices.Clone(c.addrs)
	c.urls = slices.Clone(c.urls)
	return c
}

// name labels the chain in errors: "autodiscover srv", plus the address
// when a redirectAddr changed it.
func (c adChain) name(origin mailcfg.Address) string {
	s := "autodiscover " + c.route
	if !strings.EqualFold(c.addr.ASCIIString(), origin.ASCIIString()) {
		s += " for " + c.addr.ASCIIString()
	}
	return s
}
