package discover

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

// exampleConfig is a small config-v1.1.xml for example.com.
const exampleConfig = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <incomingServer type="imap">
      <hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.com</hostname><port>465</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>`

func exampleLines(src SourceName, trust string) []string {
	return []string{
		string(src) + " imap imap.example.com:993 (tls) user=alice " + trust,
		string(src) + " pop3 pop.example.com:995 (tls) user=alice@example.com " + trust,
		string(src) + " smtp smtp.example.com:465 (tls) user=alice@example.com " + trust,
	}
}

const (
	autoconfigPath = "/mail/config-v1.1.xml"
	wellKnownPath  = "/.well-known/autoconfig/mail/config-v1.1.xml"
)

func TestAutoconfigHTTPS(t *testing.T) {
	for _, key := range []string{
		"https://autoconfig.example.com" + autoconfigPath,
		"https://example.com" + wellKnownPath,
	} {
		t.Run(key, func(t *testing.T) {
			w := newTestWeb(t)
			w.serveFile(key, exampleConfig)
			env := NewEnv(nil, w.client)
			cands, lines, err := runSource(t, &AutoconfigSource{Env: env}, "alice@example.com")
			if err != nil {
				t.Fatal(err)
			}
			equalLines(t, lines, exampleLines(SourceAutoconfig, "trusted"))
			for _, c := range cands {
				if !strings.HasPrefix(c.URL, key) {
					t.Errorf("URL %q, want %s", c.URL, key)
				}
			}
			if n := w.hits("http://autoconfig.example.com" + autoconfigPath); n != 0 {
				t.Errorf("plain HTTP tried %d times though HTTPS worked", n)
			}
			if cands[0].Protocol == mailcfg.IMAP && strings.Join(cands[0].Auth, ",") != "password-cleartext" {
				t.Errorf("auth %v", cands[0].Auth)
			}
		})
	}
}

func TestAutoconfigSendsAddress(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("https://autoconfig.example.com"+autoconfigPath, exampleConfig)
	if _, _, err := runSource(t, &AutoconfigSource{Env: NewEnv(nil, w.client)}, "alice+tag@example.com"); err != nil {
		t.Fatal(err)
	}
	for _, r := range w.allRequests() {
		if r.Host == "autoconfig.example.com" {
			q, _ := url.ParseQuery(r.Query)
			if got := q.Get("emailaddress"); got != "alice+tag@example.com" {
				t.Errorf("emailaddress = %q", got)
			}
			return
		}
	}
	t.Fatal("autoconfig.example.com was not asked")
}

func TestAutoconfigHTTPFallback(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("http://autoconfig.example.com"+autoconfigPath, exampleConfig)
	cands, lines, err := runSource(t, &AutoconfigSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range exampleLines(SourceAutoconfig, "untrusted") {
		want = append(want, l+" why=found over plain HTTP (http://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=alice%40example.com)")
	}
	equalLines(t, lines, want)
	if len(cands) == 0 || !strings.HasPrefix(cands[0].URL, "http://") {
		t.Errorf("candidates %v", cands)
	}
	// Both HTTPS URLs were tried first.
	if w.hits("https://autoconfig.example.com"+autoconfigPath) != 1 || w.hits("https://example.com"+wellKnownPath) != 1 {
		t.Errorf("requests %+v", w.allRequests())
	}
}

func TestAutoconfigHTTPRedirectedToHTTPSStaysUntrusted(t *testing.T) {
	w := newTestWeb(t)
	w.handle("http://autoconfig.example.com"+autoconfigPath, func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "https://elsewhere.other.test/cfg.xml", http.StatusFound)
	})
	w.serveFile("https://elsewhere.other.test/cfg.xml", exampleConfig)
	cands, _, err := runSource(t, &AutoconfigSource{Env: NewEnv(nil, w.client)}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 3 {
		t.Fatalf("candidates %v", cands)
	}
	for _, c := range cands {
		if c.Trusted || c.URL != "https://elsewhere.other.test/cfg.xml" {
			t.Errorf("%+v", c)
		}
	}
}

func TestAutoconfigFallbackOff(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("http://autoconfig.example.com"+autoconfigPath, exampleConfig)
	env := NewEnv(nil, w.client)
	env.AutoconfigHTTPFallback = false
	cands, _, err := runSource(t, &AutoconfigSource{Env: env}, "alice@example.com")
	if len(cands) != 0 {
		t.Errorf("candidates %v", cands)
	}
	var st *HTTPStatusError
	if !errors.As(err, &st) || st.Status != 404 {
		t.Errorf("err = %v, want the 404s", err)
	}
	if n := w.hits("http://autoconfig.example.com" + autoconfigPath); n != 0 {
		t.Errorf("plain HTTP tried %d times", n)
	}
}

func TestAutoconfigBadDocument(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("https://autoconfig.example.com"+autoconfigPath, "<html>parked domain</html>")
	env := NewEnv(nil, w.client)
	env.AutoconfigHTTPFallback = false
	_, _, err := runSource(t, &AutoconfigSource{Env: env}, "alice@example.com")
	var de *DocumentError
	if !errors.As(err, &de) || !errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v", err)
	}
}

func TestAutoconfigProtocols(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("https://autoconfig.example.com"+autoconfigPath, exampleConfig)
	env := NewEnv(nil, w.client)
	env.Protocols = []mailcfg.Protocol{mailcfg.POP3}
	_, lines, err := runSource(t, &AutoconfigSource{Env: env}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, []string{
		"autoconfig pop3 pop.example.com:995 (tls) user=alice@example.com trusted",
		"autoconfig smtp smtp.example.com:465 (tls) user=alice@example.com trusted",
	})
}

func TestISPDBSource(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("https://ispdb.test/v1.1/example.com", exampleConfig)
	env := NewEnv(nil, w.client)
	env.ISPDBURL = "https://ispdb.test/v1.1/"
	cands, lines, err := runSource(t, &ISPDBSource{Env: env}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, exampleLines(SourceISPDB, "trusted"))
	if cands[0].URL != "https://ispdb.test/v1.1/example.com" {
		t.Errorf("URL %q", cands[0].URL)
	}

	env.Offline = true
	before := len(w.allRequests())
	cands, _, err = runSource(t, &ISPDBSource{Env: env}, "alice@example.com")
	if err != nil || len(cands) != 0 || len(w.allRequests()) != before {
		t.Errorf("offline: %v %v, %d requests", cands, err, len(w.allRequests())-before)
	}
	for _, s := range Sources(env) {
		if s.Name() == SourceISPDB {
			t.Error("Sources includes ISPDB when offline")
		}
	}
}

func TestISPDBUnknownDomain(t *testing.T) {
	w := newTestWeb(t)
	env := NewEnv(nil, w.client)
	env.ISPDBURL = "https://ispdb.test/v1.1/"
	_, _, err := runSource(t, &ISPDBSource{Env: env}, "alice@example.com")
	var st *HTTPStatusError
	if !errors.As(err, &st) || st.Status != 404 {
		t.Errorf("err = %v", err)
	}
}
