package probe

import (
	"context"
	"fmt"

	"github.com/emersion/go-smtp"

	"mailsetup/mailcfg"
)

// SendError says at which step sending failed and what the server said.
type SendError struct {
	// Stage is "connect", "login", "MAIL FROM", "RCPT TO" or "DATA".
	Stage string
	// Reason is the failure in plain English.
	Reason string
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
		return &SendError{Stage: "connect", Reason: fmt.Sprintf("%s is not an SMTP server", srv)}
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
		return &SendError{Stage: stage, Reason: err.Error(), Err: err}
	}
	defer s.close()

	var failed *SendError
	step := func(stage, what string, err error) error {
		if err == nil {
			return nil
		}
		var r LoginResult
		smtpFailure(err, &r, what)
		if r.Error == "" {
			r.Error = what + err.Error()
		}
		failed = &SendError{Stage: stage, Reason: redactSecrets(r.Error, c), Reply: redactSecrets(r.Reply, c), Code: r.Code, Err: err}
		return err
	}
	err = s.loginSMTP(ctx, c, &o, &res, func(sc *smtp.Client) error {
		if err := step("MAIL FROM", "the server refused the sender "+from+": ", sc.Mail(from, nil)); err != nil {
			return err
		}
		for _, rcpt := range to {
			if err := step("RCPT TO", "the server refused the recipient "+rcpt+": ", sc.Rcpt(rcpt, nil)); err != nil {
				return err
			}
		}
		w, err := sc.Data()
		if step("DATA", "the server refused the message: ", err) != nil {
			return err
		}
		if _, err := w.Write(msg); err != nil {
			w.Close()
			return step("DATA", "sending the message failed: ", err)
		}
		return step("DATA", "the server refused the message: ", w.Close())
	})
	switch {
	case failed != nil:
		return failed
	case err != nil:
		reason := res.Error
		if reason == "" {
			reason = loginWords(ctx, err, srv, &o.Options)
		}
		return &SendError{Stage: "login", Reason: redactSecrets(reason, c), Reply: redactSecrets(res.Reply, c), Code: res.Code,
			AuthFailed: res.AuthFailed, Err: err}
	}
	return nil
}
