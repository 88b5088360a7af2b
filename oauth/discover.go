package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// metadata is the part of RFC 8414 / OpenID Connect Discovery 1.0
// metadata this package uses.
type metadata struct {
	Issuer                      string   `json:"issuer"`
	AuthorizationEndpoint       string   `json:"authorization_endpoint"`
	TokenEndpoint               string   `json:"token_endpoint"`
	DeviceAuthorizationEndpoint string   `json:"device_authorization_endpoint"`
	CodeChallengeMethods        []string `json:"code_challenge_methods_supported"`
	IssParameterSupported       bool     `json:"authorization_response_iss_parameter_supported"`
}

// Discover reads a generic issuer's metadata: RFC 8414's
// /.well-known/oauth-authorization-server first, else OpenID Connect's
// /.well-known/openid-configuration. The metadata must name exactly the
// issuer asked for (RFC 8414 section 3.3), else *WrongIssuerError. The
// issuer must be an https URL; client may be nil (a plain client).
func Discover(ctx context.Context, client *http.Client, issuer string) (*Issuer, error) {
	u, err := url.Parse(strings.TrimSpace(issuer))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("issuer %q is not an https URL without query or fragment", printable(issuer))
	}
	issuer = strings.TrimSuffix(u.String(), "/")
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	root := u.Scheme + "://" + u.Host
	urls := []string{
		root + "/.well-known/oauth-authorization-server" + path, // RFC 8414 section 3.1
		root + path + "/.well-known/openid-configuration",       // OpenID Discovery section 4
	}
	client = limitClient(client)
	var errs []error
	for _, mdURL := range urls {
		md, err := fetchMetadata(ctx, client, mdURL)
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil || unanswered(err) {
				// Both documents live on the same host: one that did
				// not answer at all (refused, timed out, no TLS) would
				// only make the user wait for the second as long.
				break
			}
			continue
		}
		if strings.TrimSuffix(md.Issuer, "/") != issuer {
			return nil, &WrongIssuerError{Want: issuer, Got: md.Issuer, Where: "metadata at " + mdURL}
		}
		return md.toIssuer(mdURL)
	}
	return nil, errors.Join(errs...)
}

// unanswered reports a request that got no HTTP answer at all.
func unanswered(err error) bool {
	var ie *IssuerError
	return errors.As(err, &ie) && ie.Status == 0 && ie.Err != nil
}

func fetchMetadata(ctx context.Context, client *http.Client, mdURL string) (*metadata, error) {
	fail := func(status int, err error) error {
		return &IssuerError{Op: "discovery", URL: mdURL, Status: status, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mdURL, nil)
	if err != nil {
		return nil, fail(0, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fail(0, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fail(resp.StatusCode, nil)
	}
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != "application/json" {
		return nil, fail(resp.StatusCode, fmt.Errorf("metadata is %q, not application/json", printable(ct)))
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fail(resp.StatusCode, err)
	}
	var md metadata
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, fail(resp.StatusCode, fmt.Errorf("metadata is not JSON: %v", err))
	}
	return &md, nil
}

func (md *metadata) toIssuer(mdURL string) (*Issuer, error) {
	for name, u := range map[string]string{"authorization_endpoint": md.AuthorizationEndpoint, "token_endpoint": md.TokenEndpoint} {
		if !isHTTPS(u) {
			return nil, &IssuerError{Op: "discovery", URL: mdURL, Err: fmt.Errorf("%s %q is not an https URL", name, printable(u))}
		}
	}
	if len(md.CodeChallengeMethods) > 0 && !hasString(md.CodeChallengeMethods, "S256") {
		return nil, &IssuerError{Op: "discovery", URL: mdURL, Err: fmt.Errorf("the issuer does not offer PKCE S256 (offers %s)", printable(strings.Join(md.CodeChallengeMethods, " ")))}
	}
	iss := &Issuer{
		Name:                  md.Issuer,
		Issuer:                md.Issuer,
		IssParameterSupported: md.IssParameterSupported,
		AuthURL:               md.AuthorizationEndpoint,
		TokenURL:              md.TokenEndpoint,
	}
	if isHTTPS(md.DeviceAuthorizationEndpoint) {
		iss.DeviceURL = md.DeviceAuthorizationEndpoint
	}
	return iss, nil
}

func isHTTPS(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
