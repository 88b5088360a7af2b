package discover

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

const (
	adPath   = "/autodiscover/autodiscover.xml"
	adFirst  = "https://autodiscover.example.com" + adPath
	adSecond = "https://example.com" + adPath
)

func TestAutodiscoverSourcePOST(t *testing.T) {
	w := newTestWeb(t)
	w.handle(adFirst, func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(rw, "POST only", http.StatusMethodNotAllowed)
			return
		}
		rw.Write([]byte(readTestdata(t, "ad_settings.xml")))
	})
	cands, lines, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, []string{
		"autodiscover imap imap.example.com:993 (tls) user=alice trusted",
		"autodiscover pop3 pop.example.com:995 (tls) user=alice@example.com trusted",
		"autodiscover smtp smtp.example.com:587 (starttls) user=alice@example.com trusted",
		"autodiscover smtp smtp.example.com:465 (tls) user=alice@example.com trusted",
		"autodiscover smtp smtp.example.com:25 (none) user=alice@example.com trusted",
	})
	if cands[0].URL != adFirst {
		t.Errorf("URL %q", cands[0].URL)
	}
	reqs := w.allRequests()
	if len(reqs) != 1 {
		t.Fatalf("requests %+v", reqs)
	}
	r := reqs[0]
	if !strings.Contains(r.Body, "<EMailAddress>alice@example.com</EMailAddress>") ||
		!strings.Contains(r.Body, "outlook/responseschema/2006a</AcceptableResponseSchema>") {
		t.Errorf("request body:\n%s", r.Body)
	}
	if !strings.HasPrefix(r.ContentType, "text/xml") {
		t.Errorf("content type %q", r.ContentType)
	}
}

func TestAutodiscoverSourceSecondURL(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile(adSecond, readTestdata(t, "ad_defaults.xml"))
	_, lines, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 {
		t.Errorf("candidates %v", lines)
	}
	if w.hits(adFirst) != 1 || w.hits(adSecond) != 1 {
		t.Errorf("requests %+v", w.allRequests())
	}
}

func TestAutodiscoverSourceRedirectAddr(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile(adFirst, readTestdata(t, "ad_redirect_addr.xml"))
	w.handle("https://autodiscover.mail.example.net"+adPath, func(rw http.ResponseWriter, r *http.Request) {
		body := readTestdata(t, "ad_defaults.xml")
		rw.Write([]byte(body))
	})
	_, lines, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, []string{
		"autodiscover imap imap.example.com:993 (tls) user=alice@mail.example.net trusted",
		"autodiscover pop3 pop.example.com:110 (none) user=alice@mail.example.net trusted",
		"autodiscover smtp smtp.example.com:587 (starttls) user=alice@mail.example.net trusted",
	})
	var asked bool
	for _, r := range w.allRequests() {
		if r.Host == "autodiscover.mail.example.net" {
			asked = strings.Contains(r.Body, "<EMailAddress>alice@mail.example.net</EMailAddress>")
		}
	}
	if !asked {
		t.Errorf("the redirected address was not posted: %+v", w.allRequests())
	}
}

func TestAutodiscoverSourceRedirectOnce(t *testing.T) {
	w := newTestWeb(t)
	// Every endpoint redirects: the source must stop after one redirect.
	for _, key := range []string{adFirst, adSecond, "https://autodiscover.mail.example.net" + adPath, "https://mail.example.net" + adPath} {
		w.serveFile(key, readTestdata(t, "ad_redirect_addr.xml"))
	}
	cands, _, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if len(cands) != 0 || !errors.Is(err, ErrAutodiscoverRedirect) {
		t.Fatalf("candidates %v err %v", cands, err)
	}
	if n := len(w.allRequests()); n > 4 {
		t.Errorf("%d requests, want at most 4", n)
	}
}

func TestAutodiscoverSourceRedirectURL(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile(adFirst, readTestdata(t, "ad_redirect_url.xml"))
	w.serveFile("https://ad.example.net"+adPath, readTestdata(t, "ad_settings.xml"))
	_, lines, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil || len(lines) != 5 {
		t.Fatalf("candidates %v err %v", lines, err)
	}

	// A plain-HTTP redirectUrl is refused.
	w = newTestWeb(t)
	w.serveFile(adFirst, strings.Replace(readTestdata(t, "ad_redirect_url.xml"), "https://", "http://", 1))
	w.serveFile("http://ad.example.net"+adPath, readTestdata(t, "ad_settings.xml"))
	cands, _, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if len(cands) != 0 || !errors.Is(err, ErrAutodiscoverRedirect) {
		t.Fatalf("candidates %v err %v", cands, err)
	}
	if n := w.hits("http://ad.example.net" + adPath); n != 0 {
		t.Errorf("plain redirect followed %d times", n)
	}
}

func TestAutodiscoverSourceNothing(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile(adSecond, "<html><body>Welcome to example.com</body></html>")
	cands, _, err := runSource(t, &AutodiscoverSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if len(cands) != 0 || !errors.Is(err, ErrMalformed) {
		t.Fatalf("candidates %v err %v", cands, err)
	}
	var st *HTTPStatusError
	if !errors.As(err, &st) {
		t.Errorf("err %v lacks the first URL's 404", err)
	}
}
