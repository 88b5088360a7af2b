package probe

import (
	"strings"

	"github.com/emersion/go-sasl"

	"mailsetup/probe/pop3"
)

// SASL mechanism names as LoginResult.Mechanism reports them, with the
// two non-SASL POP3 ways and the IMAP LOGIN command.
const (
	MechUserPass  = "USER/PASS"
	MechAPOP      = "APOP"
	MechPlain     = "PLAIN"
	MechLogin     = "LOGIN"
	MechCramMD5   = "CRAM-MD5"
	MechIMAPLogin = "IMAP LOGIN"
	MechPreAuth   = "PREAUTH" // the IMAP server authenticated us by other means
)

// saslClient returns the client for a SASL mechanism we implement.
func saslClient(mech, user, pass string) sasl.Client {
	switch mech {
	case MechPlain:
		return sasl.NewPlainClient("", user, pass)
	case MechLogin:
		return &loginClient{user: user, pass: pass}
	case MechCramMD5:
		return pop3.NewCramMD5Client(user, pass)
	}
	return nil
}

// loginClient is the obsolete but ubiquitous LOGIN mechanism. Unlike
// go-sasl's, it sends no initial response and answers the prompts by what
// they ask ("Username:", "Password:"), falling back to their order, since
// servers word them differently or leave them empty.
type loginClient struct {
	user, pass string
	step       int
}

func (a *loginClient) Start() (string, []byte, error) {
	a.step = 0
	return MechLogin, nil, nil
}

func (a *loginClient) Next(challenge []byte) ([]byte, error) {
	a.step++
	prompt := strings.ToLower(string(challenge))
	switch {
	case strings.Contains(prompt, "pass"):
		return []byte(a.pass), nil
	case strings.Contains(prompt, "user"), strings.Contains(prompt, "name"):
		return []byte(a.user), nil
	case a.step == 1:
		return []byte(a.user), nil
	case a.step == 2:
		return []byte(a.pass), nil
	}
	return nil, sasl.ErrUnexpectedServerChallenge
}

// pickMechanism chooses how to authenticate: the forced one when given,
// else the first of prefer the server offers. offered answers for each
// candidate name.
func pickMechanism(forced string, prefer []string, offered func(string) bool) (string, bool) {
	if forced != "" {
		return canonicalMechanism(forced), true
	}
	for _, m := range prefer {
		if offered(m) {
			return m, true
		}
	}
	return "", false
}

// canonicalMechanism maps what a user may type to our names.
func canonicalMechanism(m string) string {
	switch up := strings.ToUpper(strings.TrimSpace(m)); up {
	case "USER", "PASS", "USER/PASS", "USERPASS":
		return MechUserPass
	case "IMAP LOGIN", "IMAP-LOGIN":
		return MechIMAPLogin
	case "AUTH=PLAIN":
		return MechPlain
	case "AUTH=LOGIN", "SASL LOGIN":
		return MechLogin
	default:
		return up
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
