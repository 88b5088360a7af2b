package probe

import (
	"context"

	"github.com/emersion/go-smtp"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// SendError says at which step sending failed and what the server said.
type SendError struct {
	// Stage is "connect", "login", "MAIL FROM", "RCPT TO" or "DATA".
	Stage string
	// Reason is the failure in plain English; Why says it in any language.
	Reason string
	Why    l10n.Message
	// Reply and Code are the server's reply, as in LoginResult.
	Reply, Code string
	// AuthFailed is true when the server rejected the credentials.
	AuthFailed bool
	Err        error
}

func (e *SendError) Error() string { return e.Reason }
func (e *SendError) Unwrap() error { return e.Err }

// SendMessage logs in to an SMTP server and submits msg (a complete
// message with CRLF line endings) from from to to. The same security
// rules as Login apply.
func SendMessage(ctx context.Context, srv mailcfg.Server, c Credentials, o LoginOptions, from string, to []string, msg []byte) error {
	if srv.Protocol != mailcfg.SMTP {
		why := l10n.M("send.not_smtp", "server", srv.String())
		return &SendError{Stage: "connect", Reason: why.String(), Why: why}
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout(DefaultLoginTimeout))
	defer cancel()
	var res LoginResult
	s, err := beginLogin(ctx, srv, &c, &o, &res)
	if err != nil {
		stage := "connect"
		if _, refused := err.(*RefusedError); refused {
			stage = "login"
		}
		return &SendError{Stage: stage, Reason: err.Error(), Why: l10n.FromError(err), Err: err}
	}
	defer s.close()

	var failure *SendError
	// step records the failure of a stage: refused quotes the server's
	// reply, failed says what went wrong without one.
	step := func(stage, refused, failed string, err error, args ...string) error {
		if err == nil {
			return nil
		}
		var r LoginResult
		smtpFailure(err, &r, "")
		why := l10n.M(failed, append(args, "detail", err.Error())...)
		if r.Reply != "" {
			why = l10n.M(refused, append(args, "reply", r.Reply)...)
		}
		why = redactMessage(why, c)
		failure = &SendError{Stage: stage, Reason: why.String(), Why: why, Reply: redactSecrets(r.Reply, c), Code: r.Code, Err: err}
		return err
	}
	err = s.loginSMTP(ctx, c, &o, &res, func(sc *smtp.Client) error {
		if err := step("MAIL FROM", "send.sender_refused", "send.sender_failed", sc.Mail(from, nil), "from", from); err != nil {
			return err
		}
		for _, rcpt := range to {
			if err := step("RCPT TO", "send.recipient_refused", "send.recipient_failed", sc.Rcpt(rcpt, nil), "to", rcpt); err != nil {
				return err
			}
		}
		w, err := sc.Data()
		if step("DATA", "send.message_refused", "send.message_failed", err) != nil {
			return err
		}
		if _, err := w.Write(msg); err != nil {
			w.Close()
			return step("DATA", "send.write_refused", "send.write_failed", err)
		}
		return step("DATA", "send.message_refused", "send.message_failed", w.Close())
	})
	switch {
	case failure != nil:
		return failure
	case err != nil:
		res.Err = err
		if res.Error == "" {
			res.Reason = loginWords(ctx, err, srv, &o.Options)
			res.Error = res.Reason.String()
		}
		return &SendError{Stage: "login", Reason: redactSecrets(res.Error, c), Why: redactMessage(res.failureReason(), c),
			Reply: redactSecrets(res.Reply, c), Code: res.Code, AuthFailed: res.AuthFailed, Err: err}
	}
	return nil
}
