package probe

import (
	"context"
	"errors"
	"fmt"

	"github.com/emersion/go-sasl"

	"mailsetup/probe/pop3"
)

// pop3Prefer orders the ways to log in: over TLS the most widely working
// first; in the clear (only with consent) those that keep the password
// off the wire first.
var (
	pop3PreferTLS   = []string{MechUserPass, MechPlain, MechLogin, MechCramMD5, MechAPOP}
	pop3PreferPlain = []string{MechCramMD5, MechAPOP, MechUserPass, MechPlain, MechLogin}
)

// pop3Session authenticates on the handed-off connection and returns the
// client, logged in. With stat, USER/PASS on a server that pipelines
// counts the mailbox in the same round trip (res.Messages); counted says so.
func (s *session) pop3Session(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult, stat bool) (pc *pop3.Client, counted bool, err error) {
	pc, err = pop3.NewClient(ctx, s.handoff(), nil)
	if err != nil {
		return nil, false, err
	}
	if c.AccessToken != "" {
		auth := func(sc sasl.Client) error { return pc.Auth(ctx, sc) }
		if err := s.authWithToken(c, o, res, auth, pop3TokenFailure); err != nil {
			pc.QuitNow()
			return nil, false, err
		}
		return pc, false, nil
	}
	userListed := hasWord(s.caps, "USER") || len(s.caps) == 0
	offered := func(m string) bool {
		switch m {
		case MechUserPass:
			return userListed
		case MechAPOP:
			return pc.APOPTimestamp() != ""
		}
		return contains(s.res.AuthMechanisms, m)
	}
	prefer := pop3PreferTLS
	if !s.encrypted() {
		prefer = pop3PreferPlain
	}
	mech, ok := pickMechanism(o.Mechanism, prefer, offered)
	if !ok {
		mech = MechUserPass // RFC 1939's own way; CAPA need not list it
	}
	res.Mechanism = mech

	s.t.setSecret(true)
	switch {
	case mech == MechUserPass && stat && hasWord(s.caps, "PIPELINING"):
		// USER, PASS and STAT in one round trip.
		res.Messages, res.MailboxBytes, err = pc.LoginStat(ctx, c.Username, c.Password)
		counted = err == nil
		if e := (*pop3.Error)(nil); errors.As(err, &e) && e.Command == "STAT" {
			// Logged in; the mailbox is another matter, which the
			// caller's own STAT reports as such.
			err = nil
		}
	case mech == MechUserPass:
		err = pc.Login(ctx, c.Username, c.Password)
	case mech == MechAPOP:
		err = pc.APOP(ctx, c.Username, c.Password)
	default:
		sc := saslClient(mech, c.Username, c.Password)
		if sc == nil {
			err = fmt.Errorf("unknown authentication mechanism %q", mech)
			break
		}
		err = pc.Auth(ctx, sc)
	}
	s.t.setSecret(false)
	if err != nil {
		pop3Failure(err, res)
		pc.QuitNow()
		return nil, false, err
	}
	return pc, counted, nil
}

func (s *session) loginPOP3(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult) error {
	pc, counted, err := s.pop3Session(ctx, c, o, res, true)
	if err != nil {
		return err
	}
	defer pc.QuitNow()
	if counted {
		return nil
	}
	n, size, err := pc.Stat(ctx)
	if err != nil {
		pop3Failure(err, res)
		res.AuthFailed = false
		if res.Reply != "" {
			res.Error = "logged in, but the server refused to open the mailbox: " + res.Reply
		}
		return err
	}
	res.Messages, res.MailboxBytes = n, size
	return nil
}

// pop3Failure fills Reply, Code and AuthFailed from a -ERR.
func pop3Failure(err error, res *LoginResult) {
	var e *pop3.Error
	if !errors.As(err, &e) {
		return
	}
	res.Reply = "-ERR"
	if e.Code != "" {
		res.Reply += " [" + e.Code + "]"
	}
	if e.Text != "" {
		res.Reply += " " + e.Text
	}
	res.Code = e.Code
	// These codes say the mailbox is busy or the server unwell, not that
	// the password is wrong (RFC 2449, RFC 3206).
	res.AuthFailed = !(e.HasCode("IN-USE") || e.HasCode("LOGIN-DELAY") || e.HasCode("SYS"))
	if res.AuthFailed {
		res.Error = "the server rejected the login: " + res.Reply
	} else {
		res.Error = "the server refused the login for now: " + res.Reply
	}
}

// pop3TokenFailure is pop3Failure for a refused token.
func pop3TokenFailure(err error, res *LoginResult, prefix string) {
	pop3Failure(err, res)
	if res.AuthFailed {
		res.Error = prefix + res.Reply
	}
}
