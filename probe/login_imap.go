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

// imapSession authenticates on the handed-off connection and returns the
// client, logged in. Nothing waits that need not: ID (RFC 2971; NetEase
// refuses SELECT to clients that do not send it) goes out before the login,
// and with selectInbox the read-only SELECT follows the LOGIN command at
// once, so that both come back in the login's round trip; sel is then that
// SELECT, still to be waited for.
func (s *session) imapSession(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult, selectInbox bool) (ic *imapclient.Client, sel *imapclient.SelectCommand, err error) {
	ic = imapclient.New(s.handoff(), nil)
	if err := ic.WaitGreeting(); err != nil {
		ic.Close()
		return nil, nil, err
	}
	// Any state may send ID; the replayed greeting lists the capabilities.
	var id *imapclient.IDCommand
	if ic.Caps().Has(imap.CapID) {
		id = ic.ID(&imap.IDData{Name: ClientName, Version: clientVersion()})
	}
	fail := func(err error) (*imapclient.Client, *imapclient.SelectCommand, error) {
		ic.Close()
		return nil, nil, err
	}
	switch {
	case s.imap.preauth:
		res.Mechanism = MechPreAuth
	case c.AccessToken != "":
		if err := s.authWithToken(c, o, res, ic.Authenticate, imapFailure); err != nil {
			return fail(err)
		}
	default:
		mech, err := s.imapMechanism(o.Mechanism)
		if err != nil {
			return fail(err)
		}
		res.Mechanism = mech
		s.t.setSecret(true)
		if mech == MechIMAPLogin {
			login := ic.Login(c.Username, c.Password)
			s.t.setSecret(false) // the command is written: what follows is no secret
			if selectInbox {
				sel = selectINBOX(ic)
			}
			err = login.Wait()
		} else {
			err = ic.Authenticate(saslClient(mech, c.Username, c.Password))
			s.t.setSecret(false)
		}
		if err != nil {
			imapFailure(err, res, "the server rejected the login: ")
			return fail(err)
		}
	}
	if selectInbox && sel == nil {
		sel = selectINBOX(ic)
	}
	if id != nil {
		id.Wait() // answered by now: it went out first
	}
	return ic, sel, nil
}

// selectINBOX opens INBOX read-only (EXAMINE), which counts the messages
// and catches servers that accept the login but refuse the mailbox.
func selectINBOX(ic *imapclient.Client) *imapclient.SelectCommand {
	return ic.Select("INBOX", &imap.SelectOptions{ReadOnly: true})
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
	ic, sel, err := s.imapSession(ctx, c, o, res, o.SelectInbox)
	if err != nil {
		return err
	}
	defer s.leave(func() {
		bye := ic.Logout()
		s.endReads()
		bye.Wait()
	})
	if sel != nil {
		data, err := sel.Wait()
		if err != nil {
			imapFailure(err, res, "logged in, but the server refused to open INBOX: ")
			res.AuthFailed = false
			return err
		}
		res.Messages = int(data.NumMessages)
	}
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
