package testbed

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func adRequest(addr string) string {
	return `<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>` +
		addr + `</EMailAddress></Request></Autodiscover>`
}

func TestAutodiscoverHandlers(t *testing.T) {
	t.Parallel()
	b := Start(t)
	c := httpClient(t, b)

	b.HTTPS(t, "", []string{"autodiscover.chain.test"}, CertValid, AutodiscoverByAddress(map[string]string{
		"Alice@chain.test": AutodiscoverRedirectAddrXML("bob@chain.test"),
		"bob@chain.test":   AutodiscoverRedirectURLXML("https://x.chain.test/a?b=1&c=2"),
	}))
	u := "https://autodiscover.chain.test" + AutodiscoverPath
	if code, body := get(t, c, "POST", u, adRequest("alice@chain.test")); code != 200 ||
		!strings.Contains(body, "<Action>redirectAddr</Action>") || !strings.Contains(body, "<RedirectAddr>bob@chain.test</RedirectAddr>") {
		t.Errorf("alice: %d\n%s", code, body)
	}
	if code, body := get(t, c, "POST", u, adRequest("bob@chain.test")); code != 200 ||
		!strings.Contains(body, "<RedirectUrl>https://x.chain.test/a?b=1&amp;c=2</RedirectUrl>") {
		t.Errorf("bob: %d\n%s", code, body)
	}
	if code, _ := get(t, c, "POST", u, adRequest("carol@chain.test")); code != 404 {
		t.Errorf("unknown address: %d", code)
	}
	if code, _ := get(t, c, "GET", u, ""); code != 405 {
		t.Errorf("GET: %d", code)
	}

	b.HTTP(t, "", []string{"autodiscover.redirect.test"}, AutodiscoverRedirectHandler("https://ad.redirect.test"+AutodiscoverPath))
	noFollow := *c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Get("http://autodiscover.redirect.test" + AutodiscoverGETPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://ad.redirect.test"+AutodiscoverPath {
		t.Errorf("GET redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, _ := get(t, &noFollow, "POST", "http://autodiscover.redirect.test"+AutodiscoverGETPath, adRequest("a@redirect.test")); code != 405 {
		t.Errorf("POST on the plain-HTTP route: %d", code)
	}
}

func TestAutodiscoverFaults(t *testing.T) {
	t.Parallel()
	b := Start(t)
	c := httpClient(t, b)
	doc := AutodiscoverXML(adStandard("mailhost.fault.test")...)
	for _, f := range []AutodiscoverFault{ADOversized, ADWrongContentType, ADPlainDocument, ADLoginRequired} {
		name := f.String() + ".fault.test"
		b.HTTPS(t, "", []string{name}, CertValid, AutodiscoverFaultHandler(f, doc))
		req, _ := http.NewRequest("POST", "https://"+name+AutodiscoverPath, strings.NewReader(adRequest("a@fault.test")))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		n := 0
		buf := make([]byte, 64<<10)
		for {
			k, err := resp.Body.Read(buf)
			n += k
			if err != nil {
				break
			}
		}
		resp.Body.Close()
		ct := resp.Header.Get("Content-Type")
		switch f {
		case ADOversized:
			if n < 2<<20 || resp.ContentLength >= 0 {
				t.Errorf("oversized: %d bytes, length %d", n, resp.ContentLength)
			}
		case ADWrongContentType:
			if !strings.HasPrefix(ct, "text/html") || n != len(doc) {
				t.Errorf("wrong content type: %q, %d bytes", ct, n)
			}
		case ADPlainDocument:
			if !strings.HasPrefix(ct, "text/xml") || n != len(doc) {
				t.Errorf("plain document: %q, %d bytes", ct, n)
			}
		case ADLoginRequired:
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("login required: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		}
	}

	b.HTTPS(t, "", []string{"slow.fault.test"}, CertValid, AutodiscoverFaultHandler(ADSlow, doc))
	slow := *c
	slow.Timeout = 2500 * time.Millisecond
	start := time.Now()
	resp, err := slow.Post("https://slow.fault.test"+AutodiscoverPath, "text/xml; charset=utf-8", strings.NewReader(adRequest("a@fault.test")))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	got := 0
	for {
		k, err := resp.Body.Read(buf)
		got += k
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	// A byte a second: a few bytes, never the document, when the client
	// gives up after 2.5 s.
	if took := time.Since(start); took < 2*time.Second || got < 1 || got > 4 {
		t.Errorf("slow: %d bytes in %v, want a byte a second until the client gives up", got, took)
	}
}
