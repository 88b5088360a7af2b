// Command oauthbrowser stands in for the system browser when a mailsetup
// binary signs in with the test bed's authorization server: run through
// $BROWSER, it gets the sign-in URL as its argument (as xdg-open does),
// fills in the bed's login form, allows or denies, and delivers the answer
// to mailsetup's loopback address. It reaches the issuer as mailsetup
// does: names through the bed's DNS server, standard ports through
// MAILSETUP_DIAL_MAP, certificates checked against the test CA.
//
//	OAUTHBROWSER_DNS       the bed's DNS server, HOST:PORT (else $MAILSETUP_DNS)
//	OAUTHBROWSER_CA        PEM file of the test CA (else the system's roots)
//	OAUTHBROWSER_USER      the account that signs in
//	OAUTHBROWSER_PASSWORD  its password on the sign-in page
//	OAUTHBROWSER_ACTION    allow (default) or deny
//	OAUTHBROWSER_LOG       a file to append one line per page to (optional)
//
// It exits 0 once the answer is delivered, 1 when the page could not be
// worked through (and says why on stderr and in the log).
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"mailsetup/dnsx"
	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
	"mailsetup/internal/testhooks"
)

// query matches the query of a URL quoted in an error.
var query = regexp.MustCompile(`\?[^\s"]*`)

// deadline bounds the whole sign-in: a few exchanges on loopback.
const deadline = 30 * time.Second

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oauthbrowser URL")
		os.Exit(2)
	}
	err := run(os.Args[1])
	if err != nil {
		// Error texts quote URLs; the answer's query holds the code.
		err = errors.New(query.ReplaceAllString(err.Error(), "?…"))
	}
	logLine(err)
	if err != nil {
		fmt.Fprintln(os.Stderr, "oauthbrowser:", err)
		os.Exit(1)
	}
}

func run(authURL string) error {
	client, err := httpClient()
	if err != nil {
		return err
	}
	act := testbed.Allow
	switch a := strings.ToLower(os.Getenv(testbed.BrowserActionEnv)); a {
	case "", "allow":
	case "deny":
		act = testbed.Deny
	default:
		return fmt.Errorf("%s=%q: allow or deny", testbed.BrowserActionEnv, a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	_, err = testbed.SignInAs(ctx, client, authURL, os.Getenv(testbed.BrowserUserEnv), os.Getenv(testbed.BrowserPasswordEnv), act, nil)
	return err
}

// httpClient reaches the bed's web servers as mailsetup does.
func httpClient() (*http.Client, error) {
	dns := os.Getenv(testbed.BrowserDNSEnv)
	if dns == "" {
		dns = os.Getenv(testhooks.DNSEnv)
	}
	if dns == "" {
		return nil, fmt.Errorf("%s is not set: the bed's names resolve only through its DNS server", testbed.BrowserDNSEnv)
	}
	r, err := dnsx.New(dnsx.Options{Server: dns})
	if err != nil {
		return nil, err
	}
	d, err := portmap.FromEnv(&net.Dialer{})
	if err != nil {
		return nil, err
	}
	var roots *x509.CertPool
	if file := os.Getenv(testbed.BrowserCAEnv); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, errors.New(file + ": no certificate in it")
		}
	}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:       r.Dialer(d).DialContext,
			TLSClientConfig:   &tls.Config{RootCAs: roots},
			DisableKeepAlives: true,
		},
		Timeout: 10 * time.Second,
	}, nil
}

// logLine notes the outcome in $OAUTHBROWSER_LOG: mailsetup discards the
// browser's own output.
func logLine(err error) {
	file := os.Getenv(testbed.BrowserLogEnv)
	if file == "" {
		return
	}
	f, ferr := os.OpenFile(file, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if ferr != nil {
		return
	}
	defer f.Close()
	if err != nil {
		fmt.Fprintf(f, "%s failed: %v\n", time.Now().Format(time.RFC3339), err)
		return
	}
	fmt.Fprintf(f, "%s delivered the answer\n", time.Now().Format(time.RFC3339))
}
