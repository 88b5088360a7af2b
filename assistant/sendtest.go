package assistant

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/emersion/go-message/mail"

	"mailsetup/l10n"
	"mailsetup/probe"
)

// SendTest is the outcome of --send-test: a message sent through the
// outgoing server and looked for on the incoming one.
type SendTest struct {
	Sent      bool   `json:"sent"`
	Arrived   bool   `json:"arrived"`
	MessageID string `json:"message_id"`
	Error     string `json:"error"` // Reason in English
	ElapsedMS int64  `json:"elapsed_ms"`
	// Reason says what went wrong, in any language.
	Reason l10n.Message `json:"reason,omitzero"`
}

// fail records why the test went wrong.
func (st *SendTest) fail(why l10n.Message) {
	st.Reason, st.Error = why, why.String()
}

// ReasonText is what went wrong, in lang (the English error for a report
// read back without reason codes).
func (st *SendTest) ReasonText(lang string) string {
	if st.Reason.IsZero() {
		return st.Error
	}
	return st.Reason.In(lang)
}

// Bounds of the wait for the test message.
var (
	sendTestWait  = 30 * time.Second
	sendTestFirst = 100 * time.Millisecond
	sendTestEvery = 1 * time.Second
)

// composeTest builds the test message from and to the user.
func composeTest(from, name, lang string, now time.Time) (msg []byte, messageID string, err error) {
	token := make([]byte, 8)
	_, _ = rand.Read(token)
	messageID = fmt.Sprintf("mailsetup.%d.%s@mailsetup.invalid", now.Unix(), hex.EncodeToString(token))
	var h mail.Header
	addr := []*mail.Address{{Name: name, Address: from}}
	h.SetAddressList("From", addr)
	h.SetAddressList("To", addr)
	h.SetSubject(l10n.Text(lang, "send.subject"))
	h.SetDate(now)
	h.SetMessageID(messageID)
	h.Set("Content-Type", "text/plain; charset=utf-8")
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return nil, "", err
	}
	fmt.Fprintf(w, "%s\r\n\r\n-- \r\nmailsetup %s\r\n", l10n.Text(lang, "send.body"), now.UTC().Format(time.RFC3339))
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), messageID, nil
}

// SendTest sends a test message from the address to itself through the
// outgoing server of a successful check (rep.Login), then polls the
// incoming one until it arrives or the bounded wait ends. It goes to the
// servers and login names that worked, under the consents of q.
func (e *Engine) SendTest(ctx context.Context, rep *Report, q LoginRequest) *SendTest {
	start := time.Now()
	st := &SendTest{}
	defer func() { st.ElapsedMS = time.Since(start).Milliseconds() }()
	if rep.Login == nil || !rep.Login.OK() {
		st.fail(l10n.M("send.no_login"))
		return st
	}
	in, out := rep.Login.Incoming.Server, rep.Login.Outgoing.Server
	in.Username, out.Username = rep.Login.Incoming.Username, rep.Login.Outgoing.Username
	email, password := rep.address().ASCIIString(), q.Password
	// Plain text only where the login was granted it.
	inOpts, outOpts := e.loginOptions(), e.loginOptions()
	inOpts.AllowInsecure, outOpts.AllowInsecure = q.Grants.Plaintext.Covers(in), q.Grants.Plaintext.Covers(out)
	msg, id, err := composeTest(email, "", l10n.Normalize(e.opts.Lang), time.Now())
	if err != nil {
		st.fail(l10n.FromError(err))
		return st
	}
	st.MessageID = id
	if err := probe.SendMessage(ctx, out, probe.Credentials{Username: out.Username, Password: password}, outOpts,
		email, []string{email}, msg); err != nil {
		st.fail(l10n.FromError(err))
		return st
	}
	st.Sent = true
	ctx, cancel := context.WithTimeout(ctx, sendTestWait)
	defer cancel()
	// The first looks come quickly (a local server delivers at once), then
	// every sendTestEvery.
	wait := sendTestFirst
	for {
		found, err := probe.FindMessage(ctx, in, probe.Credentials{Username: in.Username, Password: password}, inOpts, id)
		if found {
			st.Arrived = true
			return st
		}
		st.fail(l10n.Message{})
		if err != nil {
			st.fail(l10n.FromError(err)) // the latest trouble, if the wait runs out
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			if st.Error == "" {
				st.fail(l10n.M("send.not_arrived", "wait", sendTestWait.String()))
			}
			return st
		case <-timer.C:
		}
		wait = min(2*wait, sendTestEvery)
	}
}
