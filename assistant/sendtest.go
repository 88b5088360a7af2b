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
	Error     string `json:"error"`
	ElapsedMS int64  `json:"elapsed_ms"`
}

// Bounds of the wait for the test message.
var (
	sendTestWait  = 30 * time.Second
	sendTestFirst = 100 * time.Millisecond
	sendTestEvery = 1 * time.Second
)

var testSubjects = map[string][2]string{
	"en":      {"mailsetup test message", "This message was sent by mailsetup to check that your account can send and receive mail. You can delete it."},
	"zh-Hans": {"mailsetup 测试邮件", "这封邮件由 mailsetup 发送，用于确认您的账户可以正常收发邮件。您可以删除它。"},
	"zh-Hant": {"mailsetup 測試郵件", "這封郵件由 mailsetup 寄出，用來確認您的帳號可以正常收發郵件。您可以刪除它。"},
}

// composeTest builds the test message from and to the user.
func composeTest(from, name, lang string, now time.Time) (msg []byte, messageID string, err error) {
	token := make([]byte, 8)
	_, _ = rand.Read(token)
	messageID = fmt.Sprintf("mailsetup.%d.%s@mailsetup.invalid", now.Unix(), hex.EncodeToString(token))
	texts, ok := testSubjects[lang]
	if !ok {
		texts = testSubjects["en"]
	}
	var h mail.Header
	addr := []*mail.Address{{Name: name, Address: from}}
	h.SetAddressList("From", addr)
	h.SetAddressList("To", addr)
	h.SetSubject(texts[0])
	h.SetDate(now)
	h.SetMessageID(messageID)
	h.Set("Content-Type", "text/plain; charset=utf-8")
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return nil, "", err
	}
	fmt.Fprintf(w, "%s\r\n\r\n-- \r\nmailsetup %s\r\n", texts[1], now.UTC().Format(time.RFC3339))
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
		st.Error = l10n.M("send.no_login").String()
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
		st.Error = err.Error()
		return st
	}
	st.MessageID = id
	if err := probe.SendMessage(ctx, out, probe.Credentials{Username: out.Username, Password: password}, outOpts,
		email, []string{email}, msg); err != nil {
		st.Error = err.Error()
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
		st.Error = ""
		if err != nil {
			st.Error = err.Error() // the latest trouble, if the wait runs out
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			if st.Error == "" {
				st.Error = fmt.Sprintf("the test message did not arrive within %s", sendTestWait)
			}
			return st
		case <-timer.C:
		}
		wait = min(2*wait, sendTestEvery)
	}
}
