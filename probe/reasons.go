package probe

import (
	"errors"

	"mailsetup/l10n"
)

// The login's failures in any language (l10n codes login.*, find.* and
// send.*). Login, SendMessage and FindMessage keep their English words in
// Error and Reason strings; the messages beside them say the same.

// refusal is a login this package will not attempt, for why.
func refusal(why l10n.Message) *RefusedError { return &RefusedError{Reason: why.String(), Why: why} }

// Message says the refusal in any language.
func (e *RefusedError) Message() l10n.Message {
	if e.Why.IsZero() {
		return l10n.M("login.refused", "detail", e.Reason)
	}
	return e.Why
}

// secretWords names what a refused login would have sent: the password
// ("login.secret.token" names an OAuth2 token, for logins that send one).
func secretWords(c Credentials) l10n.Message {
	if c.AccessToken != "" {
		return l10n.M("login.secret.token")
	}
	return l10n.M("login.secret.password")
}

// Message is the probe's reason the session could not be set up.
func (e *connectError) Message() l10n.Message { return e.why }

// Message says why the login behind a FindMessage failed.
func (e *loginError) Message() l10n.Message { return e.why }

// Message says at which step sending failed, in any language.
func (e *SendError) Message() l10n.Message {
	if e.Why.IsZero() {
		return l10n.Verbatim(e.Reason)
	}
	return e.Why
}

// replyFailures are the words the login code puts before a server's reply
// (Error = words + Reply), with the code that says the same in any
// language; the catalogue's English is the same words (a test checks it).
var replyFailures = []struct{ words, code string }{
	{"the server rejected the login: ", "login.rejected"},
	{"the server refused the login for now: ", "login.refused_for_now"},
	{"logged in, but the server refused to open INBOX: ", "login.inbox_refused"},
	{"logged in, but the server refused to open the mailbox: ", "login.mailbox_refused"},
	{"the server refused the sign-in token: ", "login.token_rejected"},
	{"the server refused to open INBOX: ", "find.inbox_refused"},
	{"the server refused the search: ", "find.search_refused"},
}

// failureReason says why a login failed, from what it recorded: the
// refusal, the connection's reason, or the server's reply after the words
// the login code gave it. The server's words stay quoted as its own.
func (res *LoginResult) failureReason() l10n.Message {
	var refused *RefusedError
	var conn *connectError
	switch {
	case res.OK:
		return l10n.Message{}
	case !res.Reason.IsZero():
		return res.Reason
	case errors.As(res.Err, &refused):
		return refused.Message()
	case errors.As(res.Err, &conn):
		return conn.Message()
	case res.Reply != "":
		for _, f := range replyFailures {
			if res.Error == f.words+res.Reply {
				return l10n.M(f.code, "reply", res.Reply)
			}
		}
		return l10n.M("login.failed_reply", "reply", res.Reply)
	}
	return l10n.M("login.failed", "detail", res.Error)
}

// redactMessage removes the credentials' forms from a message's arguments,
// as redactSecrets does from the English words.
func redactMessage(m l10n.Message, c Credentials) l10n.Message {
	if len(m.Args) > 0 {
		args := make(map[string]string, len(m.Args))
		for k, v := range m.Args {
			args[k] = redactSecrets(v, c)
		}
		m.Args = args
	}
	if len(m.Sub) > 0 {
		subs := make(map[string]l10n.Message, len(m.Sub))
		for k, v := range m.Sub {
			subs[k] = redactMessage(v, c)
		}
		m.Sub = subs
	}
	if len(m.Parts) > 0 {
		parts := make([]l10n.Message, len(m.Parts))
		for i, p := range m.Parts {
			parts[i] = redactMessage(p, c)
		}
		m.Parts = parts
	}
	return m
}
