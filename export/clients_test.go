package export

// Real clients as judges: msmtp, mpop, fetchmail, getmail6, mutt and
// neomutt run with the exported files against the test bed's dovecot and
// must send or fetch for real. The exported Account names the dovecot by
// its loopback IP and actual port, and the bed's certificate for that
// dovecot carries the IP as a subject alternative name, so each client
// checks the name its own way without /etc/hosts or a resolver of ours.
// The test CA reaches the clients only through Options.CAFile (or a pin),
// which is what these tests prove to work. Each client runs with a
// private HOME; a test skips only when its client or dovecot (root) is
// missing.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

const (
	bedUser = "alice@example.test"
	// bedPassword goes through every client's quoting to a real login;
	// dovecot's passwd-file only forbids ':' and line breaks.
	bedPassword = trickyPassword
	// clientTimeout bounds each client run; a hang is a failure, not a wait.
	clientTimeout = 60 * time.Second
)

var (
	bedOnce   sync.Once
	sharedBed *testbed.Bed
	bedErr    error
)

// TestMain closes the shared bed, whose dovecots are separate process
// groups that would outlive the test binary.
func TestMain(m *testing.M) {
	// The fake programs the clients run are written once, before any test
	// runs in parallel: a script written while another test forks can fail
	// to execute ("text file busy"), and the shell would then fall through
	// to a real secret-tool further along PATH.
	dir, err := writeFakeTools()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake tools:", err)
		os.Exit(1)
	}
	toolsDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	if sharedBed != nil {
		sharedBed.Close()
	}
	os.Exit(code)
}

func bed(t *testing.T) *testbed.Bed {
	t.Helper()
	bedOnce.Do(func() { sharedBed, bedErr = testbed.New(testbed.Options{}) })
	if bedErr != nil {
		t.Fatalf("test bed: %v", bedErr)
	}
	return sharedBed
}

// mailServer is one dovecot with the default user holding two messages.
type mailServer struct {
	*testbed.Dovecot
	cert     testbed.CertKind
	password string
}

func startDovecot(t *testing.T, cert testbed.CertKind, plaintext bool) mailServer {
	t.Helper()
	return startDovecotWith(t, cert, plaintext, bedPassword)
}

func startDovecotWith(t *testing.T, cert testbed.CertKind, plaintext bool, password string) mailServer {
	t.Helper()
	d := bed(t).Dovecot(t, testbed.DovecotOptions{
		Cert: cert, PlaintextOnly: plaintext, Messages: 2,
		Users: map[string]string{bedUser: password},
	})
	return mailServer{d, cert, password}
}

// server is the listener on std as the exported file must name it: the
// dovecot's IP (its certificate's name) and the port it really listens on.
func (m mailServer) server(t *testing.T, std int) mailcfg.Server {
	t.Helper()
	_, port, err := net.SplitHostPort(m.Addr(std))
	if err != nil {
		t.Fatalf("dovecot has no listener on %d", std)
	}
	s := m.Server(m.IP, std)
	s.Port, _ = strconv.Atoi(port)
	s.Username = bedUser
	return s
}

// account names the listeners on the standard ports in and out; a role
// given as 0 is not under test and points at port 1, where nothing listens.
func (m mailServer) account(t *testing.T, in, out int, keep bool) mailcfg.Account {
	t.Helper()
	a := mailcfg.Account{Email: bedUser, DisplayName: "Alice Judge", Password: m.password, LeaveOnServer: keep}
	if in != 0 {
		a.Incoming = m.server(t, in)
	} else {
		a.Incoming = mailcfg.Server{Protocol: mailcfg.POP3, Host: m.IP, Port: 1, Security: mailcfg.TLS, Username: bedUser}
	}
	if out != 0 {
		a.Outgoing = m.server(t, out)
	} else {
		a.Outgoing = mailcfg.Server{Protocol: mailcfg.SMTP, Host: m.IP, Port: 1, Security: mailcfg.TLS, Username: bedUser}
	}
	return a
}

// fingerprint is the SHA-256 of the leaf certificate the dovecot serves.
func (m mailServer) fingerprint(t *testing.T) string {
	t.Helper()
	certFile, _ := bed(t).Cert(m.cert, m.IP)
	return pemLeafSHA256(t, certFile)
}

func pemLeafSHA256(t *testing.T, certFile string) string {
	t.Helper()
	data, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s holds no PEM block", certFile)
	}
	sum := sha256.Sum256(block.Bytes)
	return hex.EncodeToString(sum[:])
}

// otherFingerprint is a valid pin of some other certificate.
func otherFingerprint(t *testing.T) string {
	certFile, _ := bed(t).Cert(testbed.CertSelfSigned, "other.invalid")
	return pemLeafSHA256(t, certFile)
}

// clientEnv runs a client the way a user would: not as root (getmail
// refuses to deliver as root, fetchmail would lock /var/run), with a
// private HOME that nothing else uses, and a secret-tool that answers with
// the bed's password so keyring look-ups log in for real.
type clientEnv struct {
	judgeEnv
	cred *syscall.Credential // nil: run as ourselves (not root)
}

func newClientEnv(t *testing.T) clientEnv {
	t.Helper()
	home, err := os.MkdirTemp("", "export-client-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	e := clientEnv{judgeEnv: judgeEnv{home: home, env: []string{"HOME=" + home,
		"PATH=" + filepath.Join(toolsDir, "client") + ":" + os.Getenv("PATH"), "LC_ALL=C.UTF-8", "TERM=dumb"}}}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skipf("no unprivileged user to run the clients as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		e.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	return e
}

// try runs a client with a deadline and returns its combined output.
func (e clientEnv) try(t *testing.T, stdin string, tool string, args ...string) (string, error) {
	t.Helper()
	if e.cred != nil {
		// Hand HOME, and everything written into it so far, to the user.
		err := filepath.WalkDir(e.home, func(p string, _ os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, int(e.cred.Uid), int(e.cred.Gid))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Env = e.env
	cmd.Dir = e.home
	cmd.Stdin = strings.NewReader(stdin)
	if e.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: e.cred}
	}
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within %v:\n%s", tool, clientTimeout, out)
	}
	return string(out), err
}

// localMaildir makes the Maildir the exports deliver into, under HOME.
func (e clientEnv) localMaildir(t *testing.T) string {
	t.Helper()
	inbox := filepath.Join(e.home, "Mail", bedUser, "INBOX")
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(inbox, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return inbox
}

// maildirMessages reads every message in a Maildir's new/ and cur/.
func maildirMessages(t *testing.T, dir string) []string {
	t.Helper()
	var msgs []string
	for _, sub := range []string{"new", "cur"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, de := range entries {
			data, err := os.ReadFile(filepath.Join(dir, sub, de.Name()))
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, string(data))
		}
	}
	return msgs
}

// expectFetched checks that the local Maildir holds the bed's two
// messages and that the server kept them or not.
func expectFetched(t *testing.T, local string, m mailServer, keep bool) {
	t.Helper()
	msgs := maildirMessages(t, local)
	if len(msgs) != 2 {
		t.Fatalf("local Maildir holds %d messages, want 2", len(msgs))
	}
	all := strings.Join(msgs, "\n")
	for _, s := range []string{"Subject: Test message 1", "Subject: Test message 2"} {
		if !strings.Contains(all, s) {
			t.Errorf("fetched mail lacks %q", s)
		}
	}
	want := 0
	if keep {
		want = 2
	}
	if got := m.Messages(bedUser); got != want {
		t.Errorf("server holds %d messages after the fetch, want %d (keep=%v)", got, want, keep)
	}
}

func render(t *testing.T, id string, a mailcfg.Account, o Options) []byte {
	t.Helper()
	f, _ := ByID(id)
	out, err := f.Render(a, o)
	if err != nil {
		t.Fatalf("render %s: %v", id, err)
	}
	return out
}

// trustCase is how the exported file is told to trust the dovecot, and
// whether the client must then succeed.
type trustCase struct {
	name    string
	cert    testbed.CertKind
	caFile  bool   // Options.CAFile = the bed's CA
	pin     string // "self" for the served certificate, "other" for another one
	succeed bool
}

// trustCases prove that the client checks certificates as the file says:
// the system store alone does not know the test CA, a wrong name or
// another certificate's pin is refused, and a pin accepts a self-signed
// certificate.
var trustCases = []trustCase{
	{name: "system store only", cert: testbed.CertValid, succeed: false},
	{name: "CA file, wrong name", cert: testbed.CertWrongName, caFile: true, succeed: false},
	{name: "CA file, self-signed", cert: testbed.CertSelfSigned, caFile: true, succeed: false},
	{name: "pinned self-signed", cert: testbed.CertSelfSigned, pin: "self", succeed: true},
	{name: "pin of another certificate", cert: testbed.CertSelfSigned, caFile: true, pin: "other", succeed: false},
}

func (c trustCase) options(t *testing.T, m mailServer, role mailcfg.Role) Options {
	o := Options{IncludePassword: true}
	if c.caFile {
		o.CAFile = bed(t).CAFile
	}
	pin := ""
	switch c.pin {
	case "self":
		pin = m.fingerprint(t)
	case "other":
		pin = otherFingerprint(t)
	}
	if role == mailcfg.Incoming {
		o.IncomingFingerprint = pin
	} else {
		o.OutgoingFingerprint = pin
	}
	return o
}

// testMessage is a message with a unique subject, for finding it later.
func testMessage(tag string) (msg, subject string) {
	subject = "judge " + tag + " " + strconv.FormatInt(time.Now().UnixNano(), 36)
	return "From: Alice Judge <" + bedUser + ">\r\nTo: <" + bedUser + ">\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@judge.invalid>\r\n\r\nHello from the judge.\r\n", subject
}

// expectRelayed checks that dovecot's submission service relayed exactly
// one message, ours, and that the bed delivered it to the user's INBOX.
func expectRelayed(t *testing.T, m mailServer, subject string) {
	t.Helper()
	rel := m.Relayed()
	if len(rel) != 1 {
		t.Fatalf("dovecot relayed %d messages, want 1", len(rel))
	}
	r := rel[0]
	if r.From != bedUser || len(r.To) != 1 || r.To[0] != bedUser {
		t.Errorf("relayed envelope from %q to %q, want %s to it", r.From, r.To, bedUser)
	}
	if !strings.Contains(string(r.Data), "Subject: "+subject) {
		t.Errorf("relayed message lacks its subject %q:\n%s", subject, r.Data)
	}
	if got := m.Messages(bedUser); got != 3 {
		t.Errorf("INBOX holds %d messages after delivery, want 3", got)
	}
}

func TestClientMsmtpSends(t *testing.T) {
	needTool(t, "msmtp")
	cases := []struct {
		name      string
		std       int
		plaintext bool
		password  bool // in the file; otherwise passwordeval reads the keyring
	}{
		{"465 TLS, password in file", 465, false, true},
		{"465 TLS, keyring", 465, false, false},
		{"587 STARTTLS, password in file", 587, false, true},
		{"25 plaintext", 25, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := startDovecot(t, testbed.CertValid, c.plaintext)
			o := Options{IncludePassword: c.password, CAFile: bed(t).CAFile}
			sendWithMsmtp(t, m, m.account(t, 0, c.std, true), o, true)
		})
	}
	for _, c := range trustCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := startDovecot(t, c.cert, false)
			sendWithMsmtp(t, m, m.account(t, 0, 465, true), c.options(t, m, mailcfg.Outgoing), c.succeed)
		})
	}
}

func sendWithMsmtp(t *testing.T, m mailServer, a mailcfg.Account, o Options, succeed bool) {
	t.Helper()
	e := newClientEnv(t)
	rc := e.write(t, "msmtprc", render(t, "msmtp", a, o))
	msg, subject := testMessage("msmtp")
	out, err := e.try(t, msg, "msmtp", "--file="+rc, "--", bedUser)
	if !succeed {
		if err == nil {
			t.Fatalf("msmtp sent although it must refuse the server's certificate:\n%s", out)
		}
		if n := len(m.Relayed()); n != 0 {
			t.Errorf("dovecot relayed %d messages after msmtp failed", n)
		}
		expectCertRefusal(t, m, out)
		return
	}
	if err != nil {
		t.Fatalf("msmtp: %v\n%s", err, out)
	}
	expectRelayed(t, m, subject)
}

func TestClientMpopFetches(t *testing.T) {
	needTool(t, "mpop")
	cases := []struct {
		name      string
		std       int
		plaintext bool
		keep      bool
		password  bool
	}{
		{"995 TLS, keep", 995, false, true, true},
		{"995 TLS, delete, keyring", 995, false, false, false},
		{"110 STARTTLS, delete", 110, false, false, true},
		{"110 plaintext, keep", 110, true, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := startDovecot(t, testbed.CertValid, c.plaintext)
			o := Options{IncludePassword: c.password, CAFile: bed(t).CAFile}
			e, local := fetchWithMpop(t, m, m.account(t, c.std, 0, c.keep), o, true)
			expectFetched(t, local, m, c.keep)
			if c.keep {
				// only_new: a second run must not fetch the kept mail again.
				rc := filepath.Join(e.home, "mpoprc")
				if out, err := e.try(t, "", "mpop", "--file="+rc); err != nil {
					t.Fatalf("second mpop run: %v\n%s", err, out)
				}
				if n := len(maildirMessages(t, local)); n != 2 {
					t.Errorf("after a second run the local Maildir holds %d messages, want 2", n)
				}
			}
		})
	}
	for _, c := range trustCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := startDovecot(t, c.cert, false)
			_, local := fetchWithMpop(t, m, m.account(t, 995, 0, true), c.options(t, m, mailcfg.Incoming), c.succeed)
			if c.succeed {
				expectFetched(t, local, m, true)
			}
		})
	}
}

func fetchWithMpop(t *testing.T, m mailServer, a mailcfg.Account, o Options, succeed bool) (clientEnv, string) {
	t.Helper()
	e := newClientEnv(t)
	local := e.localMaildir(t)
	rc := e.write(t, "mpoprc", render(t, "mpop", a, o))
	out, err := e.try(t, "", "mpop", "--file="+rc)
	if !succeed {
		if err == nil {
			t.Fatalf("mpop fetched although it must refuse the server's certificate:\n%s", out)
		}
		if n := len(maildirMessages(t, local)); n != 0 || m.Messages(bedUser) != 2 {
			t.Errorf("after mpop failed: %d local messages, %d on the server", n, m.Messages(bedUser))
		}
		expectCertRefusal(t, m, out)
		return e, local
	}
	if err != nil {
		t.Fatalf("mpop: %v\n%s", err, out)
	}
	return e, local
}

// fetchmailMDA is a delivery program for fetchmail that writes each
// message into a Maildir's new/, standing in for the local mail server.
const fetchmailMDA = `#!/bin/sh
dir="$1"
name="$(date +%s%N).$$"
cat > "$dir/tmp/$name" && mv "$dir/tmp/$name" "$dir/new/$name"
`

func TestClientFetchmailFetches(t *testing.T) {
	needTool(t, "fetchmail")
	cases := []struct {
		name      string
		std       int
		plaintext bool
		keep      bool
		netrc     bool // the password comes from ~/.netrc, as the header suggests
	}{
		{"995 TLS, keep", 995, false, true, false},
		{"995 TLS, delete", 995, false, false, false},
		{"110 STARTTLS, delete, netrc", 110, false, false, true},
		{"110 plaintext, keep", 110, true, true, false},
		{"993 IMAP TLS", 993, false, false, false},
		{"143 IMAP STARTTLS", 143, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			password := bedPassword
			if c.netrc {
				password = "netrc-secret-2" // a .netrc token cannot hold bedPassword's quotes
			}
			m := startDovecotWith(t, testbed.CertValid, c.plaintext, password)
			a := m.account(t, c.std, 0, c.keep)
			o := Options{IncludePassword: !c.netrc, CAFile: bed(t).CAFile}
			e := newClientEnv(t)
			if c.netrc {
				netrc := fmt.Sprintf("machine %s login %s password %s\n", a.Incoming.Host, bedUser, password)
				e.write(t, ".netrc", []byte(netrc))
			}
			local := fetchWithFetchmail(t, e, m, a, o, true)
			// IMAP mail stays on the server whatever LeaveOnServer says.
			expectFetched(t, local, m, keepOnServer(a))
			if keepOnServer(a) {
				// UIDL (POP3) or \Seen (IMAP): nothing is fetched twice.
				out, err := e.try(t, "", "fetchmail", fetchmailArgs(e, local)...)
				if code := exitCode(err); code != 1 {
					t.Errorf("second fetchmail run: exit %d, want 1 (no new mail)\n%s", code, out)
				}
				if n := len(maildirMessages(t, local)); n != 2 {
					t.Errorf("after a second run the local Maildir holds %d messages, want 2", n)
				}
			}
		})
	}
	for _, c := range trustCases {
		if c.pin != "" {
			continue // fetchmail refuses SHA-256 pins (TestTrustRendering)
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := startDovecot(t, c.cert, false)
			fetchWithFetchmail(t, newClientEnv(t), m, m.account(t, 995, 0, true), c.options(t, m, mailcfg.Incoming), c.succeed)
		})
	}
}

func fetchmailArgs(e clientEnv, local string) []string {
	return []string{"-f", filepath.Join(e.home, "fetchmailrc"), "--nosyslog", "--pidfile", filepath.Join(e.home, "fetchmail.pid"),
		"--mda", filepath.Join(toolsDir, "client", "deliver") + " " + local}
}

func fetchWithFetchmail(t *testing.T, e clientEnv, m mailServer, a mailcfg.Account, o Options, succeed bool) string {
	t.Helper()
	local := e.localMaildir(t)
	e.write(t, "fetchmailrc", render(t, "fetchmail", a, o))
	out, err := e.try(t, "", "fetchmail", fetchmailArgs(e, local)...)
	if !succeed {
		if err == nil {
			t.Fatalf("fetchmail fetched although it must refuse the server's certificate:\n%s", out)
		}
		if n := len(maildirMessages(t, local)); n != 0 || m.Messages(bedUser) != 2 {
			t.Errorf("after fetchmail failed: %d local messages, %d on the server", n, m.Messages(bedUser))
		}
		expectCertRefusal(t, m, out)
		return local
	}
	if err != nil {
		t.Fatalf("fetchmail: %v\n%s", err, out)
	}
	return local
}

// expectCertRefusal checks that a client failed over the certificate, not
// over something else such as the login: no password reached dovecot, and
// the client's words, when it has any, are about the certificate (neomutt
// in batch mode says nothing).
func expectCertRefusal(t *testing.T, m mailServer, out string) {
	t.Helper()
	if log := m.Log(); strings.Contains(log, "Login: ") || strings.Contains(log, "auth failed") {
		t.Errorf("the client tried to log in although it should have refused the certificate; dovecot log:\n%s", log)
	}
	if strings.TrimSpace(out) == "" {
		return
	}
	low := strings.ToLower(out)
	for _, w := range []string{"certificate", "fingerprint", "hostname"} {
		if strings.Contains(low, w) {
			return
		}
	}
	t.Errorf("the client failed, but not over the certificate:\n%s", out)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

func TestClientGetmailFetches(t *testing.T) {
	needTool(t, "getmail")
	cases := []struct {
		name      string
		std       int
		plaintext bool
		keep      bool
		password  bool
	}{
		{"995 TLS, keep", 995, false, true, true},
		{"995 TLS, delete, keyring", 995, false, false, false},
		{"110 plaintext, delete", 110, true, false, true},
		{"993 IMAP TLS", 993, false, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := startDovecot(t, testbed.CertValid, c.plaintext)
			a := m.account(t, c.std, 0, c.keep)
			o := Options{IncludePassword: c.password, CAFile: bed(t).CAFile}
			e, local := fetchWithGetmail(t, m, a, o, true)
			expectFetched(t, local, m, keepOnServer(a))
			if keepOnServer(a) {
				// read_all = false: kept mail is not fetched again.
				if out, err := e.try(t, "", "getmail", "--getmaildir="+e.home, "--rcfile=getmailrc"); err != nil {
					t.Fatalf("second getmail run: %v\n%s", err, out)
				}
				if n := len(maildirMessages(t, local)); n != 2 {
					t.Errorf("after a second run the local Maildir holds %d messages, want 2", n)
				}
			}
		})
	}
	for _, c := range trustCases {
		if !c.caFile && c.pin == "" {
			continue // see TestClientGetmailChecksNothingWithoutCAFile
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := startDovecot(t, c.cert, false)
			_, local := fetchWithGetmail(t, m, m.account(t, 995, 0, true), c.options(t, m, mailcfg.Incoming), c.succeed)
			if c.succeed {
				expectFetched(t, local, m, true)
			}
		})
	}
}

// getmail6 checks no certificate at all unless ca_certs names a file
// (Python's poplib and imaplib default to an unverified context), so the
// export names the system store by default: a certificate the system does
// not trust (the test CA's) is refused.
func TestClientGetmailChecksSystemStoreByDefault(t *testing.T) {
	needTool(t, "getmail")
	t.Parallel()
	m := startDovecot(t, testbed.CertSelfSigned, false)
	fetchWithGetmail(t, m, m.account(t, 995, 0, true), Options{IncludePassword: true}, false)
}

func fetchWithGetmail(t *testing.T, m mailServer, a mailcfg.Account, o Options, succeed bool) (clientEnv, string) {
	t.Helper()
	e := newClientEnv(t)
	local := e.localMaildir(t)
	e.write(t, "getmailrc", render(t, "getmail", a, o))
	out, err := e.try(t, "", "getmail", "--getmaildir="+e.home, "--rcfile=getmailrc")
	// getmail reports a failed retrieval on its output but may exit 0.
	failed := err != nil || strings.Contains(out, "error") || strings.Contains(out, "Error")
	if !succeed {
		if !failed {
			t.Fatalf("getmail fetched although it must refuse the server's certificate:\n%s", out)
		}
		if n := len(maildirMessages(t, local)); n != 0 || m.Messages(bedUser) != 2 {
			t.Errorf("after getmail failed: %d local messages, %d on the server", n, m.Messages(bedUser))
		}
		expectCertRefusal(t, m, out)
		return e, local
	}
	if failed {
		t.Fatalf("getmail: %v\n%s", err, out)
	}
	return e, local
}

// mutt and neomutt send in batch mode (no terminal) through smtp_url.
func TestClientMuttSends(t *testing.T) {
	for _, tool := range []string{"mutt", "neomutt"} {
		t.Run(tool, func(t *testing.T) {
			needTool(t, tool)
			cases := []struct {
				name    string
				std     int
				caFile  bool
				succeed bool
			}{
				{"465 TLS", 465, true, true},
				{"587 STARTTLS", 587, true, true},
				{"465 TLS, system store only", 465, false, false},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					m := startDovecot(t, testbed.CertValid, false)
					o := Options{IncludePassword: true}
					if c.caFile {
						o.CAFile = bed(t).CAFile
					}
					e := newClientEnv(t)
					rc := e.write(t, "muttrc", render(t, "mutt", m.account(t, 995, c.std, true), o))
					subject := "judge " + tool + " " + strconv.FormatInt(time.Now().UnixNano(), 36)
					out, err := e.try(t, "Hello from the judge.\n", tool, "-n", "-F", rc, "-s", subject, "--", bedUser)
					if !c.succeed {
						if err == nil || len(m.Relayed()) > 0 {
							t.Fatalf("%s sent although it must refuse the server's certificate:\n%s", tool, out)
						}
						expectCertRefusal(t, m, out)
						return
					}
					if err != nil {
						t.Fatalf("%s: %v\n%s", tool, err, out)
					}
					expectRelayed(t, m, subject)
				})
			}
		})
	}
}

// toolsDir holds the fake programs: judge/secret-tool answers a dummy
// secret, client/secret-tool the bed's password, client/deliver is
// fetchmail's delivery program.
var toolsDir string

func writeFakeTools() (string, error) {
	dir, err := os.MkdirTemp("", "export-tools-")
	if err != nil {
		return "", err
	}
	files := map[string]string{
		"judge/secret-tool":  "#!/bin/sh\necho fake-secret\n",
		"client/secret-tool": "#!/bin/sh\nprintf '%s\\n' " + shellQuote(bedPassword) + "\n",
		"client/deliver":     fetchmailMDA,
	}
	for name, script := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			return "", err
		}
	}
	// The clients run as nobody: they must reach the tools.
	return dir, os.Chmod(dir, 0o755)
}
