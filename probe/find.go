package probe

import (
	"context"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// findScan is how many of the newest POP3 messages FindMessage looks at.
const findScan = 20

// FindMessage logs in to an incoming server and reports whether a message
// with the given Message-ID (angle brackets optional) is in INBOX: IMAP
// searches the header; POP3 reads the headers of the newest messages.
func FindMessage(ctx context.Context, srv mailcfg.Server, c Credentials, o LoginOptions, messageID string) (bool, error) {
	id := strings.Trim(strings.TrimSpace(messageID), "<>")
	if id == "" {
		return false, findError(l10n.M("find.no_id"))
	}
	if srv.Protocol == mailcfg.SMTP {
		return false, findError(l10n.M("find.not_incoming", "server", srv.String()))
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout(DefaultLoginTimeout))
	defer cancel()
	var res LoginResult
	s, err := beginLogin(ctx, srv, &c, &o, &res)
	if err != nil {
		return false, err
	}
	defer s.close()
	var found bool
	if srv.Protocol == mailcfg.IMAP {
		found, err = s.findIMAP(ctx, c, &o, &res, id)
	} else {
		found, err = s.findPOP3(ctx, c, &o, &res, id)
	}
	if err != nil {
		res.Err = err
		if res.Error == "" {
			res.Reason = loginWords(ctx, err, srv, &o.Options)
			res.Error = res.Reason.String()
		}
		return found, &loginError{words: redactSecrets(res.Error, c), why: redactMessage(res.failureReason(), c), err: err}
	}
	return found, nil
}

// findError is a look that could not start.
func findError(why l10n.Message) error { return &loginError{words: why.String(), why: why} }

// loginError carries the words a failed login or look was given.
type loginError struct {
	words string
	why   l10n.Message
	err   error
}

func (e *loginError) Error() string { return e.words }
func (e *loginError) Unwrap() error { return e.err }

func (s *session) findIMAP(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult, id string) (bool, error) {
	ic, _, err := s.imapSession(ctx, c, o, res, false)
	if err != nil {
		return false, err
	}
	defer ic.Close()
	if _, err := ic.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		imapFailure(err, res, "the server refused to open INBOX: ")
		return false, err
	}
	data, err := ic.UIDSearch(&imap.SearchCriteria{
		Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}},
	}, nil).Wait()
	if err != nil {
		imapFailure(err, res, "the server refused the search: ")
		return false, err
	}
	ic.Logout().Wait()
	return len(data.AllUIDs()) > 0, nil
}

// findPOP3 reads the headers of the newest messages with TOP n 0. The
// pop3 client has no TOP, so once it has logged in and counted, the
// lock-step protocol is continued on its connection with our line reader.
func (s *session) findPOP3(ctx context.Context, c Credentials, o *LoginOptions, res *LoginResult, id string) (bool, error) {
	pc, _, err := s.pop3Session(ctx, c, o, res, false)
	if err != nil {
		return false, err
	}
	defer pc.Close()
	n, _, err := pc.Stat(ctx)
	if err != nil {
		return false, err
	}
	conn := pc.Conn()
	lr := newLineReader(conn, maxLine)
	send := func(line string) error { _, err := conn.Write([]byte(line + "\r\n")); return err }
	for i := n; i > 0 && i > n-findScan; i-- {
		if err := send(fmt.Sprintf("TOP %d 0", i)); err != nil {
			return false, err
		}
		status, err := lr.readLine()
		if err != nil {
			return false, err
		}
		if !strings.HasPrefix(strings.ToUpper(status), "+OK") {
			return false, &ReplyError{Command: "TOP", Reply: status}
		}
		found := false
		for lines := 0; ; lines++ {
			line, err := lr.readLine()
			if err != nil {
				return false, err
			}
			if line == "." {
				break
			}
			if lines > maxListLines*10 {
				return false, &ProtocolError{Detail: "the headers of a message do not end"}
			}
			found = found || strings.Contains(line, id)
		}
		if found {
			pc.Quit(ctx)
			return true, nil
		}
	}
	pc.Quit(ctx)
	return false, nil
}
