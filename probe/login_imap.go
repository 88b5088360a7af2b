package probe

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"mailsetup/l10n"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// imapSession authenticates on the handed-off connection, sends ID when
// the server wants it, and returns the client, logged in.
func (s *session) imapSession(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult) (*imapclient.Client, error) {
	ic := imapclient.New(s.handoff(), nil)
	if err := ic.WaitGreeting(); err != nil {
		ic.Close()
		return nil, err
	}
	if s.imap.preauth {
		res.Mechanism = MechPreAuth
	} else if c.AccessToken != "" {
		if err := s.imapToken(ic, c, o, res); err != nil {
			ic.Close()
			return nil, err
		}
	} else {
		mech, err := s.imapMechanism(o.Mechanism)
		if err != nil {
			ic.Close()
			return nil, err
		}
		res.Mechanism = mech
		s.t.setSecret(true)
		if mech == MechIMAPLogin {
			err = ic.Login(c.Username, c.Password).Wait()
		} else {
			err = ic.Authenticate(saslClient(mech, c.Username, c.Password))
		}
		s.t.setSecret(false)
		if err != nil {
			imapFailure(err, res, "the server rejected the login: ")
			ic.Close()
			return nil, err
		}
	}
	// NetEase refuses SELECT ("Unsafe Login") to clients that do not say
	// who they are (RFC 2971); saying it costs one round trip.
	if ic.Caps().Has(imap.CapID) {
		ic.ID(&imap.IDData{Name: ClientName, Version: clientVersion()}).Wait()
	}
	return ic, nil
}

// imapToken authenticates with the access token.
func (s *session) imapToken(ic *imapclient.Client, c Credentials, o *LoginOptions, res *LoginResult) error {
	mech, err := tokenMechanism(o.Mechanism, func(m string) bool { return contains(s.res.AuthMechanisms, m) })
	if err != nil {
		return err
	}
	res.Mechanism = mech
	oc := newOAuthClient(mech, c.Username, c.AccessToken)
	s.t.setSecret(true)
	err = ic.Authenticate(oc)
	s.t.setSecret(false)
	if err != nil {
		imapFailure(err, res, "the server refused the sign-in token: ")
		return oc.failure(err, res)
	}
	return nil
}

// imapMechanism chooses LOGIN unless the server disabled it, else a SASL
// mechanism it offers.
func (s *session) imapMechanism(forced string) (string, error) {
	switch up := strings.ToUpper(strings.TrimSpace(forced)); up {
	case "":
	case "LOGIN", "IMAP LOGIN":
		return MechIMAPLogin, nil
	case "AUTHENTICATE LOGIN", "AUTH=LOGIN", "SASL LOGIN":
		return MechLogin, nil
	default:
		m := canonicalMechanism(up)
		if saslClient(m, "", "") == nil {
			return "", fmt.Errorf("cannot authenticate with %s over IMAP", forced)
		}
		return m, nil
	}
	if !s.res.LoginDisabled {
		return MechIMAPLogin, nil
	}
	prefer := []string{MechPlain, MechLogin, MechCramMD5}
	if !s.encrypted() {
		prefer = []string{MechCramMD5, MechPlain, MechLogin}
	}
	if m, ok := pickMechanism("", prefer, func(m string) bool { return contains(s.res.AuthMechanisms, m) }); ok {
		return m, nil
	}
	return "", refusal(l10n.M("login.no_imap_mechanism", "mechanisms", strings.Join(s.res.AuthMechanisms, " ")))
}

func (s *session) loginIMAP(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult) error {
	ic, err := s.imapSession(ctx, c, o, res)
	if err != nil {
		return err
	}
	defer ic.Close()
	if o.SelectInbox {
		data, err := ic.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			imapFailure(err, res, "logged in, but the server refused to open INBOX: ")
			res.AuthFailed = false
			return err
		}
		res.Messages = int(data.NumMessages)
	}
	ic.Logout().Wait()
	return nil
}

// imapFailure fills Reply, Code and AuthFailed from a tagged NO or BAD.
func imapFailure(err error, res *LoginResult, prefix string) {
	var e *imap.Error
	if !errors.As(err, &e) {
		return
	}
	res.Reply = string(e.Type)
	if e.Code != "" {
		res.Reply += " [" + string(e.Code) + "]"
	}
	if e.Text != "" {
		res.Reply += " " + e.Text
	}
	res.Code = string(e.Code)
	res.Error = prefix + res.Reply
	switch e.Code {
	case imap.ResponseCodeUnavailable, imap.ResponseCodePrivacyRequired, imap.ResponseCodeServerBug, imap.ResponseCodeLimit, imap.ResponseCodeInUse:
		// The server is unwell or wants something else; the password may be right.
	default:
		res.AuthFailed = e.Type == imap.StatusResponseTypeNo
	}
}
