package testbed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// httpClient resolves names with the bed's DNS and dials through its map,
// as the engine does.
func httpClient(t *testing.T, b *Bed) *http.Client {
	d := b.Dialer()
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: b.CAPool},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, port, _ := net.SplitHostPort(addr)
				ip, err := resolve(b, host)
				if err != nil {
					return nil, err
				}
				return d.DialContext(ctx, network, net.JoinHostPort(ip, port))
			},
		},
	}
}

func get(t *testing.T, c *http.Client, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(data)
}

func TestWebServers(t *testing.T) {
	t.Parallel()
	b := Start(t)
	c := httpClient(t, b)
	pop := mailcfg.Server{Protocol: mailcfg.POP3, Host: "mail.web.test", Port: 995, Security: mailcfg.TLS}
	smtp := mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.web.test", Port: 587, Security: mailcfg.STARTTLS}

	ac := b.HTTPS(t, "", []string{"autoconfig.web.test"}, CertValid, AutoconfigHandler(AutoconfigXML("web.test", pop, smtp)))
	for _, path := range []string{AutoconfigPath + "?emailaddress=alice%40web.test", AutoconfigWellKnownPath} {
		code, body := get(t, c, "GET", "https://autoconfig.web.test"+path, "")
		if code != 200 || !strings.Contains(body, "<hostname>mail.web.test</hostname>") ||
			!strings.Contains(body, "<socketType>STARTTLS</socketType>") || !strings.Contains(body, "<username>%EMAILADDRESS%</username>") {
			t.Errorf("GET %s: %d\n%s", path, code, body)
		}
	}
	if code, _ := get(t, c, "GET", "https://autoconfig.web.test/other", ""); code != 404 {
		t.Errorf("unknown path: %d", code)
	}
	if got := ac.Requests(); len(got) != 3 || got[1] != "GET "+AutoconfigWellKnownPath {
		t.Errorf("requests %q", got)
	}

	b.HTTPS(t, "", []string{"autodiscover.web.test"}, CertValid, AutodiscoverHandler(AutodiscoverXML(pop, smtp)))
	req := `<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>alice@web.test</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`
	code, body := get(t, c, "POST", "https://autodiscover.web.test/Autodiscover/Autodiscover.xml", req)
	if code != 200 || !strings.Contains(body, "<LoginName>alice@web.test</LoginName>") || !strings.Contains(body, "<Encryption>TLS</Encryption>") {
		t.Errorf("Autodiscover POST: %d\n%s", code, body)
	}
	if code, _ := get(t, c, "GET", "https://autodiscover.web.test"+AutodiscoverPath, ""); code != 405 {
		t.Errorf("Autodiscover GET: %d, want 405", code)
	}

	b.ISPDB(t, "", map[string]string{"web.test": AutoconfigXML("web.test", pop)})
	if code, body := get(t, c, "GET", ISPDBURL+"web.test", ""); code != 200 || !strings.Contains(body, `<emailProvider id="web.test">`) {
		t.Errorf("ISPDB hit: %d\n%s", code, body)
	}
	if code, _ := get(t, c, "GET", ISPDBURL+"unknown.test", ""); code != 404 {
		t.Errorf("ISPDB miss: %d", code)
	}

	plain := b.HTTP(t, "", []string{"plain.web.test"}, AutoconfigHandler("<clientConfig/>"))
	if code, body := get(t, c, "GET", plain.URL+AutoconfigPath, ""); code != 200 || body != "<clientConfig/>" {
		t.Errorf("plain HTTP: %d %q", code, body)
	}

	b.HTTPS(t, "", []string{"expired.web.test"}, CertExpired, http.NotFoundHandler())
	_, err := c.Get("https://expired.web.test/")
	var invalid x509.CertificateInvalidError
	if !errors.As(err, &invalid) || invalid.Reason != x509.Expired {
		t.Errorf("expired certificate: %v", err)
	}
}
