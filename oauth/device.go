package oauth

import (
	"context"
	"errors"
	"fmt"
)

// SignInDevice runs the RFC 8628 device flow for a machine without a
// browser: the verification address and the user code go to
// Config.Prompt, then the token endpoint is polled at the issuer's
// interval until the user has answered on another device, refused
// (ErrConsentDenied), or the code expired or Config.Timeout passed
// (ErrTimeout).
func (c *Client) SignInDevice(ctx context.Context) (*Token, error) {
	if c.cfg.Issuer.DeviceURL == "" {
		return nil, fmt.Errorf("%w: %s lists no device authorization endpoint", ErrNoDeviceFlow, c.cfg.Issuer.displayName())
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	conf := c.oauth2Config("")
	da, err := conf.DeviceAuth(c.withHTTP(ctx))
	if err != nil {
		return nil, c.tokenError("device authorization", err)
	}
	if da.VerificationURI == "" || da.UserCode == "" {
		return nil, &IssuerError{Op: "device authorization", URL: c.cfg.Issuer.DeviceURL, Err: errors.New("the answer lacks the verification address or the user code")}
	}
	fmt.Fprintf(c.cfg.Prompt, "To sign in with %s, open %s on any device and enter the code %s\n",
		c.cfg.Issuer.displayName(), printable(da.VerificationURI), printable(da.UserCode))
	if da.VerificationURIComplete != "" {
		fmt.Fprintf(c.cfg.Prompt, "(or open %s)\n", printable(da.VerificationURIComplete))
	}
	tok, err := conf.DeviceAccessToken(c.withHTTP(ctx), da)
	if err != nil {
		return nil, c.tokenError("token", err)
	}
	return fromOAuth2(tok), nil
}
