package assistant

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/oauth"
	"mailsetup/probe"
	"mailsetup/providers"
)

// SignInRequest says how to sign in with OAuth2 for a report's account.
type SignInRequest struct {
	// IssuerURL names a generic issuer (--oauth-issuer); empty means the
	// provider's own, from the built-in table.
	IssuerURL string
	// ClientID is the application's registration with the issuer; without
	// one nothing is sent (mailsetup ships no other application's ID).
	ClientID string
	// Scopes replace the issuer's scopes for the account's protocols.
	Scopes []string
	// Device uses the RFC 8628 device flow, for a machine without a browser.
	Device bool
	// NoBrowser prints the sign-in address on Prompt instead of opening it.
	NoBrowser bool
	// Prompt receives what the user must read (the address to open, the
	// device code); never a token.
	Prompt io.Writer
	// OpenBrowser shows the sign-in page; nil means the system's browser
	// ($BROWSER, else the platform's opener).
	OpenBrowser func(ctx context.Context, url string) error
	// TokenFile, when set, keeps the refresh token there (0600) for the
	// next check, which then signs in without the browser; only where the
	// user asked for it.
	TokenFile string
}

// OAuthSession is a signed-in account: its token stays in memory, inside
// this value, for the logins of a check.
type OAuthSession struct {
	client *oauth.Client
	issuer *oauth.Issuer

	mu        sync.Mutex // both roles log in at once and may refresh
	token     *oauth.Token
	tokenFile string // where the user keeps the refresh token; "" for nowhere
	// refreshRefused: the issuer refused to renew the token; the other
	// role does not ask again.
	refreshRefused bool
}

// IssuerName names who the user signed in with ("Microsoft").
func (s *OAuthSession) IssuerName() string { return s.issuer.Name }

// NoIssuerError says that nothing tells where to sign in for the address.
type NoIssuerError struct{ Domain string }

func (e *NoIssuerError) Error() string { return e.Message().String() }

// Message says it in any language.
func (e *NoIssuerError) Message() l10n.Message { return l10n.M("oauth.no_issuer", "domain", e.Domain) }

// SignIn signs the user in with OAuth2 for the account of rep, with the
// provider's issuer or the one q names, and returns the session to log in
// with (LoginRequest.OAuth). Its errors are the oauth package's typed ones
// (oauth.ErrNoClientID before anything is sent, oauth.ErrConsentDenied, …)
// or a *NoIssuerError.
func (e *Engine) SignIn(ctx context.Context, rep *Report, q SignInRequest) (*OAuthSession, error) {
	if q.IssuerURL != "" && strings.TrimSpace(q.ClientID) == "" {
		// Without a client ID nothing goes to the issuer, not even a
		// request for its metadata.
		return nil, &oauth.NoClientIDError{Issuer: strings.TrimSpace(q.IssuerURL)}
	}
	iss, err := e.issuerFor(ctx, rep, q.IssuerURL)
	if err != nil {
		return nil, err
	}
	scopes := q.Scopes
	if len(scopes) == 0 {
		scopes = iss.ScopesFor(rep.incomingProtocol(), mailcfg.SMTP)
	}
	client, err := oauth.New(oauth.Config{Issuer: iss, ClientID: q.ClientID, Scopes: scopes,
		LoginHint: rep.address().ASCIIString(), HTTPClient: e.http, OpenBrowser: q.OpenBrowser, NoBrowser: q.NoBrowser,
		Prompt: q.Prompt, RedirectPort: e.opts.OAuthRedirectPort})
	if err != nil {
		return nil, err
	}
	s := &OAuthSession{client: client, issuer: iss, tokenFile: q.TokenFile}
	if q.TokenFile != "" {
		// A kept refresh token spares the browser, while the issuer takes it.
		if kept, err := oauth.LoadRefreshToken(q.TokenFile); err == nil {
			if tok, err := client.Refresh(ctx, kept); err == nil {
				s.keep(tok)
				return s, nil
			}
		}
	}
	var tok *oauth.Token
	if q.Device {
		tok, err = client.SignInDevice(ctx)
	} else {
		tok, err = client.SignIn(ctx)
	}
	if err != nil {
		return nil, err
	}
	s.keep(tok)
	return s, nil
}

// keep makes tok the session's token and, where the user asked, stores
// its refresh token (issuers may hand out a new one with each renewal).
func (s *OAuthSession) keep(tok *oauth.Token) {
	s.token = tok
	if s.tokenFile != "" && tok.CanRefresh() {
		_ = oauth.SaveRefreshToken(s.tokenFile, tok) // the check goes on; the next one signs in anew
	}
}

// issuerFor finds where to sign in: the named generic issuer, else the
// provider's.
func (e *Engine) issuerFor(ctx context.Context, rep *Report, url string) (*oauth.Issuer, error) {
	if url != "" {
		return oauth.Discover(ctx, e.http, url)
	}
	if p := providers.ByID(rep.providerID()); p != nil && p.OAuth() != nil {
		return oauth.FromTable(p.OAuth()), nil
	}
	return nil, &NoIssuerError{Domain: rep.address().Domain}
}

func (r *Report) incomingProtocol() mailcfg.Protocol {
	if r.Recommended.Incoming != nil {
		return r.Recommended.Incoming.Protocol
	}
	if r.Protocol != "" {
		return r.Protocol
	}
	return DefaultProtocol
}

// loginOAuth logs in on srv with the session's access token; a token the
// server refuses, or one that has expired, is refreshed once.
func (e *Engine) loginOAuth(ctx context.Context, s *OAuthSession, srv mailcfg.Server, opts probe.LoginOptions, user string, kept *probe.Conn) probe.LoginResult {
	login := func(tok *oauth.Token) probe.LoginResult {
		on := kept
		kept = nil // a retry connects anew
		return loginOn(ctx, srv, on, probe.Credentials{Username: user, AccessToken: tok.AccessToken.Reveal()}, opts)
	}
	used := s.fresh(ctx)
	res := login(used)
	if res.AuthFailed {
		if tok, ok := s.refresh(ctx, used); ok {
			res = login(tok)
		}
	}
	return res
}

// fresh is the token, renewed first when it is about to expire.
func (s *OAuthSession) fresh(ctx context.Context) *oauth.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok, err := s.client.Fresh(ctx, s.token); err == nil {
		s.keep(tok)
	}
	return s.token
}

// refresh renews a token a server refused, once: when the other role has
// renewed it meanwhile, that newer token is the answer.
func (s *OAuthSession) refresh(ctx context.Context, refused *oauth.Token) (*oauth.Token, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != refused {
		return s.token, true
	}
	if !s.token.CanRefresh() || s.refreshRefused {
		return nil, false
	}
	tok, err := s.client.Refresh(ctx, s.token)
	if err != nil {
		s.refreshRefused = true
		return nil, false
	}
	s.keep(tok)
	return tok, true
}

// Sign-in methods a server takes, as the JSON's "auth" lists them.
var (
	oauthMechanisms    = []string{"XOAUTH2", "OAUTHBEARER"}
	passwordMechanisms = []string{"PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "NTLM", "SCRAM-SHA-1", "SCRAM-SHA-256"}
)

// authMethods says how one may sign in on c, preferred first: the
// provider table knows it for its own servers; otherwise the server's SASL
// mechanisms tell (a plain LOGIN or USER/PASS counts as a password).
func authMethods(p *providers.Provider, c *Candidate) []string {
	if p != nil && len(p.SignInMethods()) > 0 {
		return slices.Clone(p.SignInMethods())
	}
	var oauth2, password bool
	for _, m := range c.AuthMechanisms {
		m = strings.ToUpper(m)
		oauth2 = oauth2 || slices.Contains(oauthMechanisms, m)
		password = password || slices.Contains(passwordMechanisms, m)
	}
	if !oauth2 {
		return []string{MethodPassword}
	}
	// Only a server that offers nothing but OAuth2 mechanisms refuses
	// passwords; IMAP's LOGIN command and POP3's USER need no mechanism.
	if !password && !loginCommandOffered(c) {
		return []string{MethodOAuth2}
	}
	return []string{MethodPassword, MethodOAuth2}
}

// loginCommandOffered reports a password login outside SASL: IMAP LOGIN
// (unless LOGINDISABLED), POP3 USER.
func loginCommandOffered(c *Candidate) bool {
	for _, cap := range c.Capabilities {
		switch strings.ToUpper(cap) {
		case "LOGINDISABLED":
			return false
		case "USER":
			return c.Protocol == mailcfg.POP3
		}
	}
	return c.Protocol == mailcfg.IMAP
}

// SignInMessage says why a sign-in failed, in any language.
func SignInMessage(err error) l10n.Message {
	var nc *oauth.NoClientIDError
	var ni *NoIssuerError
	var wi *oauth.WrongIssuerError
	switch {
	case errors.As(err, &nc) && nc.RegisterURL == "":
		return l10n.M("oauth.no_client_id_generic", "issuer", nc.Issuer)
	case errors.As(err, &nc):
		return l10n.M("oauth.no_client_id", "issuer", nc.Issuer, "register", nc.RegisterURL)
	case errors.As(err, &wi) && strings.HasPrefix(wi.Where, "metadata"):
		named := wi.Got
		if named == "" {
			named = "none"
		}
		return l10n.M("oauth.wrong_issuer_metadata", "asked", wi.Want, "named", named)
	case errors.As(err, &ni):
		return ni.Message()
	case errors.Is(err, oauth.ErrConsentDenied):
		return l10n.M("oauth.denied")
	case errors.Is(err, oauth.ErrStateMismatch):
		return l10n.M("oauth.state")
	case errors.Is(err, oauth.ErrWrongIssuer):
		return l10n.M("oauth.wrong_issuer")
	case errors.Is(err, oauth.ErrPortTaken):
		return l10n.M("oauth.port_taken")
	case errors.Is(err, oauth.ErrTimeout):
		return l10n.M("oauth.timeout")
	case errors.Is(err, oauth.ErrNoDeviceFlow):
		return l10n.M("oauth.no_device")
	}
	return l10n.M("oauth.issuer_error", "detail", err.Error())
}

// IssuerID is the table's OAuth2 issuer of the report's provider
// ("microsoft"), "" when the provider has none or is unknown.
func (r *Report) IssuerID() string {
	if p := providers.ByID(r.providerID()); p != nil && p.OAuth() != nil {
		return p.OAuth().ID
	}
	return ""
}

// takesNoPassword reports a server that, as far as the table or its own
// mechanisms tell, signs users in with OAuth2 only.
func (r *Report) takesNoPassword(srv mailcfg.Server) bool {
	c := r.CandidateFor(srv)
	if c == nil {
		return false
	}
	auth := authMethods(providers.ByID(r.providerID()), c)
	return len(auth) == 1 && auth[0] == MethodOAuth2
}

// issuerName names where to sign in ("Microsoft"), or the provider.
func (r *Report) issuerName() string {
	if p := providers.ByID(r.providerID()); p != nil && p.OAuth() != nil {
		return p.OAuth().DisplayName(l10n.English)
	}
	if r.Provider != nil {
		return r.Provider.Name
	}
	return r.address().Domain
}
