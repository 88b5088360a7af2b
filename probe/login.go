package probe

import (
	"context"
	"encoding/base64"
	"errors"
	"runtime/debug"
	"strings"
	"time"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// Credentials are what the user typed, or the token a sign-in gave.
type Credentials struct {
	Username string // empty: the server's Username
	Password string
	// AccessToken, when set, is an OAuth2 access token sent instead of
	// the password with OAUTHBEARER (where offered) or XOAUTH2.
	AccessToken string
}

// Sign-in methods, as LoginResult.Method reports them.
const (
	MethodPassword = "password"
	MethodOAuth2   = "oauth2"
)

func (c Credentials) method() string {
	if c.AccessToken != "" {
		return MethodOAuth2
	}
	return MethodPassword
}

// LoginOptions configure Login, SendMessage and FindMessage.
type LoginOptions struct {
	Options
	// AllowInsecure lets the password cross an unencrypted connection.
	// It never allows a STARTTLS the server does not offer to be skipped.
	AllowInsecure bool
	// Mechanism forces one way to authenticate: "USER/PASS", "APOP",
	// "PLAIN", "LOGIN", "CRAM-MD5" ("LOGIN" is the LOGIN command for IMAP;
	// "AUTHENTICATE LOGIN" the SASL one). Empty chooses from what the
	// server offers.
	Mechanism string
	// SelectInbox opens INBOX (read-only) after an IMAP login, which
	// counts the messages and catches servers that accept the login but
	// refuse the mailbox (NetEase's "Unsafe Login").
	SelectInbox bool
}

// LoginResult is the outcome of a login test.
type LoginResult struct {
	OK        bool           `json:"ok"`
	Server    mailcfg.Server `json:"server"`
	Username  string         `json:"username"`
	Mechanism string         `json:"mechanism,omitempty"` // MechUserPass, MechPlain, MechIMAPLogin, MechXOAuth2, …
	Method    string         `json:"method,omitempty"`    // MethodPassword or MethodOAuth2
	// Messages and MailboxBytes come from POP3 STAT or IMAP SELECT
	// (IMAP gives no size: MailboxBytes stays 0).
	Messages     int   `json:"messages"`
	MailboxBytes int64 `json:"mailbox_bytes,omitempty"`
	// AuthFailed is true when the server rejected the credentials.
	AuthFailed bool `json:"auth_failed"`
	// Error is the reason in plain English; empty when OK. Reason says
	// the same in any language.
	Error  string       `json:"error"`
	Reason l10n.Message `json:"reason,omitzero"`
	// Reply is the server's failure reply ("535 5.7.8 …", "NO
	// [AUTHENTICATIONFAILED] …", "-ERR [AUTH] …"); Code its machine part:
	// the SMTP enhanced code, the IMAP or POP3 response code.
	Reply string `json:"reply,omitempty"`
	Code  string `json:"code,omitempty"`
	// OAuthStatus and OAuthScope are what a server said when it refused a
	// token ("invalid_token", "401" …; the scope it wants).
	OAuthStatus string `json:"oauth_status,omitempty"`
	OAuthScope  string `json:"oauth_scope,omitempty"`
	// Probe holds the connection facts.
	Probe   Result  `json:"probe"`
	Timings Timings `json:"timings"`
	// Err is the underlying error, for programs.
	Err error `json:"-"`
}

// ClientName and ClientVersion are sent in IMAP ID (RFC 2971).
// ClientVersion is set at build time (make: -X
// mailsetup/probe.ClientVersion=…); left empty, the version Go stamped
// into the binary is sent, else "dev".
var (
	ClientName    = "mailsetup"
	ClientVersion = ""
)

// clientVersion is the version IMAP ID names.
func clientVersion() string {
	if ClientVersion != "" {
		return ClientVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Login connects as Probe does, then authenticates, and for incoming
// servers counts the messages. It refuses to send the password over an
// unencrypted connection (unless o.AllowInsecure), when a STARTTLS the
// candidate asks for is not offered, or when the certificate fails and is
// not pinned.
func Login(ctx context.Context, srv mailcfg.Server, c Credentials, o LoginOptions) (res LoginResult) {
	return login(ctx, srv, nil, c, o)
}

// login is Login, on kept (a probe's connection, already through TLS and
// capabilities) when it is not nil, else on a new connection.
func login(ctx context.Context, srv mailcfg.Server, kept *Conn, c Credentials, o LoginOptions) (res LoginResult) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, o.timeout(DefaultLoginTimeout))
	defer cancel()
	res = LoginResult{Server: srv, Username: c.Username, Method: c.method()}
	if res.Username == "" {
		res.Username = srv.Username
	}
	defer func() { res.Timings.Total = time.Since(start) }()
	defer func() { res.Reason = redactMessage(res.failureReason(), c) }() // after the redaction below
	defer func() { res.Reply, res.Error = redactSecrets(res.Reply, c), redactSecrets(res.Error, c) }()

	var s *session
	var err error
	if kept != nil {
		s, err = kept.resume(ctx, &c, &o, &res)
	} else {
		s, err = beginLogin(ctx, srv, &c, &o, &res)
	}
	if err != nil {
		res.Error, res.Err = err.Error(), err
		return res
	}
	defer s.close()
	t0 := time.Now()
	switch srv.Protocol {
	case mailcfg.POP3:
		err = s.loginPOP3(ctx, c, &o, &res)
	case mailcfg.IMAP:
		err = s.loginIMAP(ctx, c, &o, &res)
	case mailcfg.SMTP:
		err = s.loginSMTP(ctx, c, &o, &res, nil)
	}
	res.Timings.Login = time.Since(t0)
	if err != nil {
		res.Err = err
		if res.Error == "" {
			res.Reason = loginWords(ctx, err, srv, &o.Options)
			res.Error = res.Reason.String()
		}
		return res
	}
	res.OK = true
	return res
}

// beginLogin opens the session and passes the security gate; on success
// the session is in the login phase with the password's forms registered
// as secrets.
func beginLogin(ctx context.Context, srv mailcfg.Server, c *Credentials, o *LoginOptions, res *LoginResult) (*session, error) {
	if c.Username == "" {
		c.Username = srv.Username
	}
	s, pres := open(ctx, srv, &o.Options)
	res.Probe = pres
	res.Timings = pres.Timings
	if s == nil {
		return nil, &connectError{words: pres.Error, why: pres.Reason, err: pres.Err}
	}
	if err := s.enterLogin(o, *c); err != nil {
		return nil, err
	}
	return s, nil
}

// enterLogin passes the security gate and enters the login phase with the
// credentials' forms registered as secrets; a session that may not
// authenticate is closed.
func (s *session) enterLogin(o *LoginOptions, c Credentials) error {
	if err := s.mayAuthenticate(o, c); err != nil {
		s.d.quit(s)
		s.close()
		return err
	}
	s.enter(PhaseLogin)
	s.t.addSecret(secretForms(c)...)
	return nil
}

// connectError is a session that could not be set up; its words are the
// probe's.
type connectError struct {
	words string
	why   l10n.Message
	err   error
}

func (e *connectError) Error() string { return e.words }
func (e *connectError) Unwrap() error { return e.err }

// RefusedError is a login this package would not attempt: the password
// would travel unprotected. Why is Reason in any language.
type RefusedError struct {
	Reason string
	Why    l10n.Message
}

func (e *RefusedError) Error() string { return e.Reason }

// mayAuthenticate is the security gate before any credential is sent.
func (s *session) mayAuthenticate(o *LoginOptions, c Credentials) error {
	if c.Username == "" {
		return refusal(l10n.M("login.no_username"))
	}
	res := s.res
	switch res.Status {
	case mailcfg.StatusOK:
		return nil
	case mailcfg.StatusInsecure:
		if s.srv.Security == mailcfg.STARTTLS {
			return refusal(l10n.M("login.no_starttls"))
		}
		if !o.AllowInsecure {
			return refusal(l10n.M("login.refused_plaintext", "server", s.srv.HostPort()).With("secret", secretWords(c)))
		}
		return nil
	case mailcfg.StatusCertInvalid:
		return refusal(l10n.M("login.refused_certificate", "sha256", res.TLS.SHA256).Because(res.TLS.Reason).With("secret", secretWords(c)))
	}
	return &RefusedError{Reason: res.Error, Why: res.Reason}
}

// secretForms are the password's and the token's shapes on the wire,
// scrubbed from the transcript in case a rule misses one.
func secretForms(c Credentials) []string {
	b64 := base64.StdEncoding.EncodeToString
	var forms []string
	if c.Password != "" {
		forms = append(forms,
			c.Password,
			b64([]byte(c.Password)),
			b64([]byte("\x00"+c.Username+"\x00"+c.Password)),
			b64([]byte(c.Username+"\x00"+c.Username+"\x00"+c.Password)),
		)
	}
	return append(forms, tokenSecretForms(c.Username, c.AccessToken)...)
}

// redactSecrets removes the password's forms from text that quotes the
// server: some servers repeat the client's line in their refusal (QQ
// Mail-like "535 Login Fail … AUTH PLAIN AGFsaWNl…"), and the reply goes
// into results, hints and JSON.
func redactSecrets(text string, c Credentials) string {
	for _, f := range secretForms(c) {
		if len(f) >= 4 { // as the transcript: shorter would blank out words
			text = strings.ReplaceAll(text, f, redacted)
		}
	}
	return text
}

// loginWords describes an error of the login phase that is not a server
// reply (those fill Reply and get their words where they are read).
func loginWords(ctx context.Context, err error, srv mailcfg.Server, o *Options) l10n.Message {
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused.Message()
	}
	_, reason := classify(ctx, err, PhaseLogin, srv, o)
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return l10n.M("login.stalled").Because(reason)
	}
	return reason
}
