package probe

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"mailsetup/l10n"

	"github.com/emersion/go-sasl"
)

// SASL mechanisms that carry an OAuth2 access token.
const (
	MechXOAuth2     = "XOAUTH2"     // Google's, also Microsoft's and Yahoo's; not standardised
	MechOAuthBearer = "OAUTHBEARER" // RFC 7628
)

// oauthPrefer is the order token mechanisms are chosen in: the standard
// one where the server offers it.
var oauthPrefer = []string{MechOAuthBearer, MechXOAuth2}

// OAuthStatus is the JSON a server sends as its last challenge when it
// refuses a token (RFC 7628 section 3.2.2; XOAUTH2 sends the same shape).
type OAuthStatus struct {
	Status  string `json:"status"`            // "invalid_token", "401", "400" …
	Schemes string `json:"schemes,omitempty"` // "bearer"
	Scope   string `json:"scope,omitempty"`   // the scope the server wants
	// OpenIDConfiguration points at the issuer the server trusts.
	OpenIDConfiguration string `json:"openid-configuration,omitempty"`
}

// String describes the refusal for people.
func (s *OAuthStatus) String() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("status " + printable(s.Status))
	if s.Scope != "" {
		b.WriteString(", scope wanted: " + printable(s.Scope))
	}
	return b.String()
}

// oauthClient sends an access token with XOAUTH2 or OAUTHBEARER. On a
// refusal the server sends a JSON status as a challenge and waits for a
// dummy answer before its final failure reply; oauthClient records the
// status and sends that answer (empty for XOAUTH2, %x01 for OAUTHBEARER,
// RFC 7628 section 3.2.3), so the exchange ends in step on every protocol.
type oauthClient struct {
	mech   string
	ir     []byte
	status *OAuthStatus
	rounds int
}

// newOAuthClient returns the client for a token mechanism, or nil.
// OAUTHBEARER goes without the optional host and port (RFC 7628 section
// 3.1), as Thunderbird sends it.
func newOAuthClient(mech, user, token string) *oauthClient {
	var ir []byte
	switch mech {
	case MechXOAuth2:
		ir = xoauth2Response(user, token)
	case MechOAuthBearer:
		// go-sasl's OAUTHBEARER builds the RFC 7628 initial response.
		_, ir, _ = sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: token}).Start()
	default:
		return nil
	}
	return &oauthClient{mech: mech, ir: ir}
}

// xoauth2Response is the XOAUTH2 initial client response:
// "user=" user ^A "auth=Bearer " token ^A ^A.
func xoauth2Response(user, token string) []byte {
	return []byte("user=" + user + "\x01auth=Bearer " + token + "\x01\x01")
}

func (c *oauthClient) Start() (string, []byte, error) {
	c.status, c.rounds = nil, 0
	return c.mech, c.ir, nil
}

func (c *oauthClient) Next(challenge []byte) ([]byte, error) {
	c.rounds++
	if c.rounds > 1 {
		return nil, sasl.ErrUnexpectedServerChallenge
	}
	c.status = parseOAuthStatus(challenge)
	if c.mech == MechOAuthBearer {
		return []byte{0x01}, nil
	}
	return []byte{}, nil
}

// parseOAuthStatus reads the server's JSON status; a challenge that is
// not JSON still counts as a refusal, with its text (bounded) as status.
func parseOAuthStatus(challenge []byte) *OAuthStatus {
	var st OAuthStatus
	if err := json.Unmarshal(challenge, &st); err != nil || st.Status == "" {
		text := string(challenge)
		if len(text) > 100 {
			text = text[:100]
		}
		return &OAuthStatus{Status: printable(text)}
	}
	return &st
}

// OAuthError is a token the server refused, with the status it gave.
type OAuthError struct {
	Mechanism string
	Status    *OAuthStatus // nil when the server gave none
	Err       error        // the protocol's failure reply
}

func (e *OAuthError) Error() string {
	msg := fmt.Sprintf("the server refused the OAuth2 token (%s)", e.Mechanism)
	if e.Status != nil {
		msg += ": " + e.Status.String()
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *OAuthError) Unwrap() error { return e.Err }

// failure wraps a failed token login with the status the server sent.
func (c *oauthClient) failure(err error, res *LoginResult) error {
	if c.status != nil {
		res.OAuthStatus = c.status.Status
		res.OAuthScope = c.status.Scope
		res.AuthFailed = true
		if res.Error != "" {
			res.Error += " (" + c.status.String() + ")"
		}
	}
	return &OAuthError{Mechanism: c.mech, Status: c.status, Err: err}
}

// tokenMechanism picks OAUTHBEARER where offered, else XOAUTH2, or the
// forced one when it is a token mechanism.
func tokenMechanism(forced string, offered func(string) bool) (string, error) {
	if forced != "" {
		m := strings.ToUpper(strings.TrimSpace(forced))
		if m != MechXOAuth2 && m != MechOAuthBearer {
			return "", fmt.Errorf("cannot send an OAuth2 token with %s", forced)
		}
		return m, nil
	}
	for _, m := range oauthPrefer {
		if offered(m) {
			return m, nil
		}
	}
	return "", refusal(l10n.M("login.no_token_mechanism"))
}

// tokenSecretForms are the token's shapes on the wire.
func tokenSecretForms(user, token string) []string {
	if token == "" {
		return nil
	}
	forms := []string{token}
	for _, m := range oauthPrefer {
		c := newOAuthClient(m, user, token)
		forms = append(forms, string(c.ir), base64.StdEncoding.EncodeToString(c.ir))
	}
	return forms
}

// authWithToken runs the token's SASL exchange through auth (the
// library's AUTHENTICATE or AUTH), OAUTHBEARER where the server offers it,
// else XOAUTH2; a refusal is recorded by failed (Reply, Code, AuthFailed)
// and the server's JSON status by the client.
func (s *session) authWithToken(c Credentials, o *LoginOptions, res *LoginResult, auth func(sasl.Client) error,
	failed func(err error, res *LoginResult, prefix string)) error {
	mech, err := tokenMechanism(o.Mechanism, func(m string) bool { return contains(s.res.AuthMechanisms, m) })
	if err != nil {
		return err
	}
	res.Mechanism = mech
	oc := newOAuthClient(mech, c.Username, c.AccessToken)
	s.t.setSecret(true)
	err = auth(oc)
	s.t.setSecret(false)
	if err != nil {
		failed(err, res, "the server refused the sign-in token: ")
		return oc.failure(err, res)
	}
	return nil
}
