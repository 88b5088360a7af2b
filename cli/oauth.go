package cli

import (
	"context"
	"errors"
	"flag"
	"os"
	"strings"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
	"mailsetup/oauth"
	"mailsetup/providers"
)

// ClientIDEnv supplies the OAuth2 client ID when no flag gives one.
const ClientIDEnv = "MAILSETUP_OAUTH_CLIENT_ID"

// oauthFlags are the OAuth2 sign-in options of check (docs/design.md).
type oauthFlags struct {
	on        bool
	issuer    string
	clientID  string
	scope     string
	device    bool
	noBrowser bool
	tokenFile string
}

func (f *oauthFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.on, "oauth", false, flagHelp(fs, "oauth"))
	fs.StringVar(&f.issuer, "oauth-issuer", "", flagHelp(fs, "oauth-issuer"))
	fs.StringVar(&f.clientID, "oauth-client-id", "", flagHelp(fs, "oauth-client-id"))
	fs.StringVar(&f.scope, "oauth-scope", "", flagHelp(fs, "oauth-scope"))
	fs.BoolVar(&f.device, "oauth-device", false, flagHelp(fs, "oauth-device"))
	fs.BoolVar(&f.noBrowser, "no-browser", false, flagHelp(fs, "no-browser"))
	fs.StringVar(&f.tokenFile, "oauth-token-file", "", flagHelp(fs, "oauth-token-file"))
}

// wanted reports whether the check signs in with OAuth2: asked for, or
// the only way the provider's table lets its users in.
func (f *oauthFlags) wanted(addr mailcfg.Address) bool {
	if f.on || f.issuer != "" || f.device || f.tokenFile != "" {
		return true
	}
	p := providers.ByDomain(addr.ASCII)
	return p != nil && p.TakesOAuth2() && !p.TakesPassword()
}

// request builds the sign-in. The client ID comes from the flag, else
// $MAILSETUP_OAUTH_CLIENT_ID, else the file the window's Settings write
// (oauth.ClientIDsPath).
func (f *oauthFlags) request(env *Env, rep *assistant.Report) assistant.SignInRequest {
	q := assistant.SignInRequest{IssuerURL: f.issuer, ClientID: f.clientID, Scopes: strings.Fields(f.scope),
		Device: f.device, NoBrowser: f.noBrowser, Prompt: env.Stderr, OpenBrowser: env.OpenBrowser, TokenFile: f.tokenFile}
	if q.ClientID == "" {
		q.ClientID = strings.TrimSpace(os.Getenv(ClientIDEnv))
	}
	if q.ClientID == "" {
		if path, err := oauth.ClientIDsPath(); err == nil {
			if ids, err := oauth.LoadClientIDs(path); err == nil {
				q.ClientID = ids.For(rep.IssuerID())
			}
		}
	}
	return q
}

// signIn runs the OAuth2 sign-in for rep. On failure rep.Login says why
// for both roles, and the exit code is returned: 2 without a client ID
// (nothing was sent), 3 when the user refused, 1 otherwise.
func signIn(ctx context.Context, env *Env, eng *assistant.Engine, rep *assistant.Report, f *oauthFlags) (*assistant.OAuthSession, int) {
	s, err := eng.SignIn(ctx, rep, f.request(env, rep))
	if err == nil {
		return s, ExitOK
	}
	why := assistant.SignInMessage(err)
	failed := func(role mailcfg.Role) *assistant.LoginOutcome {
		o := &assistant.LoginOutcome{Method: assistant.MethodOAuth2, Reason: why, Error: why.String(), Hints: nil}
		if srv := rep.Recommendation(role); srv != nil {
			o.Server = *srv
		}
		o.AuthFailed = errors.Is(err, oauth.ErrConsentDenied)
		return o
	}
	rep.Login = &assistant.LoginReport{Incoming: failed(mailcfg.Incoming), Outgoing: failed(mailcfg.Outgoing)}
	var noIssuer *assistant.NoIssuerError
	switch {
	case errors.Is(err, oauth.ErrNoClientID), errors.As(err, &noIssuer):
		return nil, ExitUsage
	case errors.Is(err, oauth.ErrConsentDenied):
		return nil, ExitAuthFailed
	}
	return nil, ExitFailed
}
