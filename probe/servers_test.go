package probe

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	testUser = "alice@example.test"
	testPass = "s3cret-Passw0rd"
)

// tapListener records every byte clients send, before any TLS: what a
// network eavesdropper would see.
type tapListener struct {
	net.Listener
	mu       sync.Mutex
	raw      bytes.Buffer
	accepted int // connections so far
}

func (l *tapListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.accepted++
	l.mu.Unlock()
	return &tapConn{Conn: c, l: l}, nil
}

func (l *tapListener) connections() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.accepted
}

func (l *tapListener) received() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.raw.String()
}

type tapConn struct {
	net.Conn
	l *tapListener
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.l.mu.Lock()
	c.l.raw.Write(p[:n])
	c.l.mu.Unlock()
	return n, err
}

func tapListen(t *testing.T) *tapListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return &tapListener{Listener: ln}
}

func portOf(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

// imapTest is go-imap's in-memory server with one user.
type imapTest struct {
	implicitTLS, startTLS *tls.Config
	insecureAuth          bool
	messages              []string
	pass                  string // default testPass
	tap                   *tapListener
}

type literal struct{ *strings.Reader }

func (l literal) Size() int64 { return int64(l.Len()) }

func (it *imapTest) start(t *testing.T) int {
	mem := imapmemserver.New()
	if it.pass == "" {
		it.pass = testPass
	}
	user := imapmemserver.NewUser(testUser, it.pass)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range it.messages {
		if _, err := user.Append("INBOX", literal{strings.NewReader(m)}, &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		TLSConfig:    it.startTLS,
		InsecureAuth: it.insecureAuth,
		Logger:       log.New(io.Discard, "", 0),
	})
	it.tap = tapListen(t)
	var ln net.Listener = it.tap
	if it.implicitTLS != nil {
		ln = tls.NewListener(it.tap, it.implicitTLS)
	}
	done := make(chan struct{})
	go func() { srv.Serve(ln); close(done) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return portOf(it.tap)
}

// smtpTest is a go-smtp server accepting one user, recording messages.
type smtpTest struct {
	implicitTLS, startTLS *tls.Config
	mechanisms            []string // default PLAIN LOGIN CRAM-MD5; empty slice: no AUTH
	rejectRcpt            string
	tap                   *tapListener

	mu       sync.Mutex
	received []smtpMessage
}

type smtpMessage struct {
	from string
	to   []string
	data string
}

func (st *smtpTest) start(t *testing.T) int {
	if st.mechanisms == nil {
		st.mechanisms = []string{"PLAIN", "LOGIN", "CRAM-MD5"}
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{st: st}, nil }))
	srv.Domain = testHost
	srv.TLSConfig = st.startTLS
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	st.tap = tapListen(t)
	var ln net.Listener = st.tap
	if st.implicitTLS != nil {
		ln = tls.NewListener(st.tap, st.implicitTLS)
	}
	done := make(chan struct{})
	go func() { srv.Serve(ln); close(done) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return portOf(st.tap)
}

func (st *smtpTest) messages() []smtpMessage {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]smtpMessage(nil), st.received...)
}

type smtpSession struct {
	st     *smtpTest
	authed bool
	msg    smtpMessage
}

func (s *smtpSession) AuthMechanisms() []string {
	if len(s.st.mechanisms) == 0 {
		return nil
	}
	return s.st.mechanisms
}

func (s *smtpSession) check(user, pass string) error {
	if user != testUser || pass != testPass {
		return smtp.ErrAuthFailed
	}
	s.authed = true
	return nil
}

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(_, user, pass string) error { return s.check(user, pass) }), nil
	case "LOGIN":
		return &loginServer{check: s.check}, nil
	case "CRAM-MD5":
		return &cramServer{check: s.check}, nil
	case "OAUTHBEARER":
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if o.Username != testUser || o.Token != testToken {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer", Scope: "mail"}
			}
			s.authed = true
			return nil
		}), nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(user, token string) bool {
			s.authed = user == testUser && token == testToken
			return s.authed
		}}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.msg = smtpMessage{from: from}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.st.rejectRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.msg.to = append(s.msg.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = string(b)
	s.st.mu.Lock()
	s.st.received = append(s.st.received, s.msg)
	s.st.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }

// loginServer is the server side of SASL LOGIN, with the usual prompts.
type loginServer struct {
	check func(user, pass string) error
	step  int
	user  string
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		if resp != nil { // an initial response carries the user name
			l.user = string(resp)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 2:
		l.user = string(resp)
		return []byte("Password:"), false, nil
	case 3:
		return nil, true, l.check(l.user, string(resp))
	}
	return nil, false, errors.New("unexpected response")
}

// cramServer is the server side of CRAM-MD5 (RFC 2195).
type cramServer struct {
	check     func(user, pass string) error
	challenge string
}

func (c *cramServer) Next(resp []byte) ([]byte, bool, error) {
	if c.challenge == "" {
		c.challenge = "<17.42@mail.example.test>"
		return []byte(c.challenge), false, nil
	}
	mac := hmac.New(md5.New, []byte(testPass))
	mac.Write([]byte(c.challenge))
	user, digest, _ := strings.Cut(string(resp), " ")
	if digest != hex.EncodeToString(mac.Sum(nil)) {
		return nil, true, smtp.ErrAuthFailed
	}
	return nil, true, c.check(user, testPass)
}

// imapScript is a scripted IMAP server imitating NetEase: it advertises
// ID and refuses SELECT to clients that did not send it.
type imapScript struct {
	advertiseID bool
	requireID   bool
	// silentBye takes LOGOUT without answering it, holding the connection.
	silentBye bool
	// holdLogin keeps LOGIN's answer back until the client's next command
	// arrives (or 2 s pass); pipelined then says whether one came.
	holdLogin bool
	pipelined atomic.Bool
	seen      recorder
}

func (is *imapScript) start(t *testing.T) int {
	return listen(t, is.serve)
}

func (is *imapScript) caps() string {
	if is.advertiseID {
		return "IMAP4rev1 ID AUTH=PLAIN"
	}
	return "IMAP4rev1 AUTH=PLAIN"
}

func (is *imapScript) serve(c net.Conn) {
	s := newScriptConn(c, &is.seen)
	s.send("* OK [CAPABILITY " + is.caps() + "] Coremail System IMap Server Ready")
	idSent := false
	for {
		line, err := s.read()
		if err != nil {
			return
		}
		tag, rest, _ := strings.Cut(line, " ")
		cmd, args, _ := strings.Cut(rest, " ")
		switch strings.ToUpper(cmd) {
		case "CAPABILITY":
			s.send("* CAPABILITY "+is.caps(), tag+" OK CAPABILITY completed")
		case "LOGIN":
			f := strings.Fields(strings.ReplaceAll(args, `"`, ""))
			if is.holdLogin {
				s.c.SetReadDeadline(time.Now().Add(2 * time.Second))
				_, err := s.r.Peek(1)
				is.pipelined.Store(err == nil)
				s.c.SetReadDeadline(time.Time{})
			}
			if len(f) == 2 && f[0] == testUser && f[1] == testPass {
				s.send(tag + " OK LOGIN completed")
			} else {
				s.send(tag + " NO [AUTHENTICATIONFAILED] LOGIN Login error password error")
			}
		case "ID":
			idSent = true
			s.send(`* ID ("name" "Coremail")`, tag+" OK ID completed")
		case "SELECT", "EXAMINE":
			if is.requireID && !idSent {
				s.send(tag + " NO SELECT Unsafe Login. Please contact kefu@188.com for help")
				continue
			}
			s.send("* 3 EXISTS", "* 0 RECENT", "* OK [UIDVALIDITY 1] UIDs valid", "* FLAGS (\\Seen)", tag+" OK [READ-ONLY] "+cmd+" completed")
		case "LOGOUT":
			if is.silentBye {
				holdSilently(s)
				return
			}
			s.send("* BYE bye", tag+" OK LOGOUT completed")
			return
		default:
			s.send(fmt.Sprintf("%s BAD unknown command %q", tag, cmd))
		}
	}
}

// testToken is the access token the test servers take.
const testToken = "ya29.test-Access-Token-0123456789"

// xoauth2Server is the server side of XOAUTH2 as Gmail runs it: a refused
// token draws a base64 JSON challenge, then the failure after the client's
// empty answer.
type xoauth2Server struct {
	check  func(user, token string) bool
	failed bool
}

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.failed {
		return nil, true, errors.New("invalid token")
	}
	if resp == nil {
		return []byte{}, false, nil
	}
	f := strings.Split(string(resp), "\x01")
	if len(f) != 4 || !strings.HasPrefix(f[0], "user=") || !strings.HasPrefix(f[1], "auth=Bearer ") {
		return nil, true, errors.New("malformed XOAUTH2 response")
	}
	if x.check(strings.TrimPrefix(f[0], "user="), strings.TrimPrefix(f[1], "auth=Bearer ")) {
		return nil, true, nil
	}
	x.failed = true
	return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`), false, nil
}

// holdSilently keeps a connection open without a word until the client
// closes it.
func holdSilently(s *scriptConn) {
	for {
		if _, err := s.read(); err != nil {
			return
		}
	}
}

// smtpScript is a scripted SMTP server offering AUTH PLAIN in plain text;
// silentBye takes QUIT without answering it, holding the connection.
type smtpScript struct {
	silentBye bool
	seen      recorder
}

func (ss *smtpScript) start(t *testing.T) int { return listen(t, ss.serve) }

func (ss *smtpScript) serve(c net.Conn) {
	s := newScriptConn(c, &ss.seen)
	s.send("220 mail.example.test ESMTP")
	for {
		line, err := s.read()
		if err != nil {
			return
		}
		cmd, _, _ := strings.Cut(line, " ")
		switch strings.ToUpper(cmd) {
		case "EHLO":
			s.send("250-mail.example.test", "250 AUTH PLAIN")
		case "AUTH":
			s.send("235 2.7.0 Authentication successful")
		case "QUIT":
			if ss.silentBye {
				holdSilently(s)
				return
			}
			s.send("221 2.0.0 Bye")
			return
		default:
			s.send("502 5.5.2 unknown command")
		}
	}
}
