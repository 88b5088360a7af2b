package probe

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"mailsetup/l10n"

	"github.com/emersion/go-smtp"
)

var (
	smtpPreferTLS   = []string{MechPlain, MechLogin, MechCramMD5}
	smtpPreferPlain = []string{MechCramMD5, MechPlain, MechLogin}
)

// smtpSession authenticates on the handed-off connection and returns the
// client, logged in.
func (s *session) smtpSession(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult) (*smtp.Client, error) {
	sc := smtp.NewClient(s.smtpHandoff())
	if err := sc.Hello(s.o.ehloName()); err != nil {
		sc.Close()
		return nil, err
	}
	if len(s.res.AuthMechanisms) == 0 && o.Mechanism == "" {
		sc.Close()
		return nil, refusal(l10n.M("login.smtp_no_auth"))
	}
	if c.AccessToken != "" {
		if err := s.authWithToken(c, o, res, sc.Auth, smtpFailure); err != nil {
			sc.Close()
			return nil, err
		}
		return sc, nil
	}
	prefer := smtpPreferTLS
	if !s.encrypted() {
		prefer = smtpPreferPlain
	}
	mech, ok := pickMechanism(o.Mechanism, prefer, func(m string) bool { return contains(s.res.AuthMechanisms, m) })
	if !ok {
		sc.Close()
		return nil, refusal(l10n.M("login.no_mechanism", "mechanisms", strings.Join(s.res.AuthMechanisms, " ")))
	}
	client := saslClient(mech, c.Username, c.Password)
	if client == nil {
		sc.Close()
		return nil, fmt.Errorf("cannot authenticate with %s over SMTP", mech)
	}
	res.Mechanism = mech
	s.t.setSecret(true)
	err := sc.Auth(client)
	s.t.setSecret(false)
	if err != nil {
		smtpFailure(err, res, "the server rejected the login: ")
		sc.Close()
		return nil, err
	}
	return sc, nil
}

// loginSMTP authenticates, then runs send (when not nil) on the session.
func (s *session) loginSMTP(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult, send func(*smtp.Client) error) error {
	sc, err := s.smtpSession(ctx, c, o, res)
	if err != nil {
		return err
	}
	defer sc.Close()
	if send != nil {
		if err := send(sc); err != nil {
			return err
		}
	}
	s.leave(func() {
		s.endReads()
		sc.Quit()
	})
	return nil
}

// smtpFailure fills Reply, Code and AuthFailed from an SMTP error reply.
func smtpFailure(err error, res *LoginResult, prefix string) {
	var e *smtp.SMTPError
	if !errors.As(err, &e) {
		return
	}
	res.Reply, res.Code = smtpReplyText(e)
	res.Error = prefix + res.Reply
	// 535 is "credentials invalid", 534 "mechanism too weak" (Gmail's
	// app-password demand); 5.7.8/5.7.9/5.7.139 say the same in RFC 3463
	// and Microsoft's words.
	switch {
	case e.Code == 535, e.Code == 534:
		res.AuthFailed = true
	case res.Code == "5.7.8", res.Code == "5.7.9", res.Code == "5.7.139":
		res.AuthFailed = true
	}
}

// smtpReplyText rebuilds the reply as the server sent it, on one line.
func smtpReplyText(e *smtp.SMTPError) (reply, code string) {
	ec := e.EnhancedCode
	if ec != smtp.EnhancedCodeNotSet && ec != smtp.NoEnhancedCode {
		code = fmt.Sprintf("%d.%d.%d", ec[0], ec[1], ec[2])
	}
	reply = fmt.Sprint(e.Code)
	if code != "" {
		reply += " " + code
	}
	if msg := strings.ReplaceAll(e.Message, "\n", " "); msg != "" {
		reply += " " + msg
	}
	return reply, code
}
