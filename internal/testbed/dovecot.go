package testbed

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// ErrUnavailable means the machine cannot run the server asked for (no
// dovecot binary, or not root). Helpers given a testing.TB skip the test.
var ErrUnavailable = errors.New("unavailable on this machine")

// DefaultPassword is the password of the users the bed makes by default.
const DefaultPassword = "alice-secret-1"

// dovecotStartTimeout bounds waiting for an instance to greet. A bed
// starts a score of instances at once; on a busy machine (tests of several
// packages in parallel) the last ones take a while.
const dovecotStartTimeout = 45 * time.Second

// instanceSeq numbers dovecot instances across the process's beds.
var instanceSeq atomic.Int64

// Listener is one port of a dovecot instance.
type Listener struct {
	Protocol mailcfg.Protocol // empty: inferred from StdPort
	StdPort  int              // 995, 110, 993, 143, 465, 587 or 25
	Security mailcfg.Security // empty: inferred (tls on 995/993/465, else starttls; none if PlaintextOnly)
}

// DovecotOptions describes a dovecot instance.
type DovecotOptions struct {
	// IP is the loopback address to listen on; empty means a new one.
	IP string
	// Hosts are the names the certificate covers; each also gets an A
	// record pointing at IP.
	Hosts []string
	// Cert is the kind of certificate served (CertValid by default).
	Cert CertKind
	// Users maps login names to passwords; empty means
	// alice@example.test with DefaultPassword.
	Users map[string]string
	// Services are the listeners; empty means 995, 110, 993, 143, 465, 587
	// (or 110, 143, 25 when PlaintextOnly).
	Services []Listener
	// PlaintextOnly turns TLS off (ssl = no) and allows plaintext logins.
	PlaintextOnly bool
	// Penalty keeps dovecot's defense against password guessing: failed
	// logins answered after auth_failure_delay (2 s), and each further one
	// from the same address slowed by anvil's penalty (2, 4, 8 … s).
	Penalty bool
	// Messages is how many messages each user's INBOX holds at start.
	Messages int
	// OAuth, when set, makes the instance take OAuth2 tokens from that
	// server (SASL XOAUTH2 and OAUTHBEARER, checked by introspection) as
	// well as the users' passwords.
	OAuth *OAuthServer
	// OAuthMechanisms are the SASL mechanisms offered for tokens:
	// "xoauth2", "oauthbearer"; empty means both.
	OAuthMechanisms []string
}

// Dovecot is a running dovecot instance.
type Dovecot struct {
	IP           string
	Hosts        []string
	Users        map[string]string
	Listeners    []Listener
	Dir          string // the instance's directory
	ConfPath     string
	LogPath      string
	InstanceName string // in every process title: "dovecot-<InstanceName>/…"

	bed    *Bed
	owner  owner
	addrs  map[int]string // std port → actual "ip:port"
	sink   *smtpSink
	cmd    *exec.Cmd
	exited chan struct{}
	once   sync.Once
}

func defaultListeners(plaintext bool) []Listener {
	if plaintext {
		return []Listener{{mailcfg.POP3, 110, mailcfg.None}, {mailcfg.IMAP, 143, mailcfg.None}, {mailcfg.SMTP, 25, mailcfg.None}}
	}
	return []Listener{
		{mailcfg.POP3, 995, mailcfg.TLS}, {mailcfg.POP3, 110, mailcfg.STARTTLS},
		{mailcfg.IMAP, 993, mailcfg.TLS}, {mailcfg.IMAP, 143, mailcfg.STARTTLS},
		{mailcfg.SMTP, 465, mailcfg.TLS}, {mailcfg.SMTP, 587, mailcfg.STARTTLS},
	}
}

// normalize fills in defaults and checks o.
func (o *DovecotOptions) normalize() error {
	if len(o.Users) == 0 {
		o.Users = map[string]string{"alice@example.test": DefaultPassword}
	}
	for u, pw := range o.Users {
		if u == "" || strings.ContainsAny(u, ":\r\n/") || strings.HasPrefix(u, ".") || strings.ContainsAny(pw, ":\r\n") {
			return fmt.Errorf("dovecot user %q: names may not contain ':', '/' or line breaks, passwords no ':' or line breaks", u)
		}
	}
	for _, m := range o.OAuthMechanisms {
		if m != "xoauth2" && m != "oauthbearer" {
			return fmt.Errorf("OAuth2 mechanism %q: only xoauth2 and oauthbearer", m)
		}
	}
	if len(o.Services) == 0 {
		o.Services = defaultListeners(o.PlaintextOnly)
	}
	seen := map[int]bool{}
	ls := make([]Listener, len(o.Services))
	for i, l := range o.Services {
		proto, sec, known := mailcfg.InferFromPort(l.StdPort)
		if l.Protocol == "" {
			if !known {
				return fmt.Errorf("listener on port %d: no protocol given", l.StdPort)
			}
			l.Protocol = proto
		}
		if l.Security == "" {
			l.Security = sec
			if o.PlaintextOnly {
				l.Security = mailcfg.None
			} else if !known {
				l.Security = mailcfg.STARTTLS
			}
		}
		switch {
		case !l.Protocol.Valid() || !l.Security.Valid():
			return fmt.Errorf("listener %+v: bad protocol or security", l)
		case o.PlaintextOnly && l.Security != mailcfg.None:
			return fmt.Errorf("listener %d: a PlaintextOnly instance cannot offer %s", l.StdPort, l.Security)
		case !o.PlaintextOnly && l.Security == mailcfg.None:
			return fmt.Errorf("listener %d: security none needs PlaintextOnly (dovecot offers STARTTLS whenever TLS is on)", l.StdPort)
		case seen[l.StdPort]:
			return fmt.Errorf("port %d listed twice", l.StdPort)
		}
		seen[l.StdPort] = true
		ls[i] = l
	}
	o.Services = ls
	return nil
}

// dovecotAccount is the uid and gid mail is stored under.
func dovecotAccount() (owner, error) {
	if os.Geteuid() != 0 {
		return owner{}, fmt.Errorf("dovecot test servers need root (they drop privileges themselves): %w", ErrUnavailable)
	}
	u, err := user.Lookup("dovecot")
	if err != nil {
		return owner{}, fmt.Errorf("no dovecot user: %v: %w", err, ErrUnavailable)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return owner{}, fmt.Errorf("dovecot user has uid %q gid %q", u.Uid, u.Gid)
	}
	return owner{uid, gid}, nil
}

// Dovecot starts a dovecot instance that stops when t's test ends.
func (b *Bed) Dovecot(t testing.TB, o DovecotOptions) *Dovecot {
	if t != nil {
		t.Helper()
	}
	d, err := b.StartDovecot(o)
	if err != nil {
		fail(t, err)
	}
	if t != nil {
		t.Cleanup(d.Close)
	}
	return d
}

// StartDovecot starts a dovecot instance that stops with Close or with the bed.
func (b *Bed) StartDovecot(o DovecotOptions) (*Dovecot, error) {
	if _, err := os.Stat(b.opts.DovecotPath); err != nil {
		return nil, fmt.Errorf("%s: %w", b.opts.DovecotPath, ErrUnavailable)
	}
	if err := o.normalize(); err != nil {
		return nil, err
	}
	own, err := dovecotAccount()
	if err != nil {
		return nil, err
	}
	o.IP = b.ipOrNew(o.IP)
	dir, err := b.subdir("dovecot")
	if err != nil {
		return nil, err
	}
	d := &Dovecot{
		IP: o.IP, Hosts: o.Hosts, Users: o.Users, Listeners: o.Services, Dir: dir,
		ConfPath:     filepath.Join(dir, "dovecot.conf"),
		LogPath:      filepath.Join(dir, "dovecot.log"),
		InstanceName: fmt.Sprintf("tb%d-%d", os.Getpid(), instanceSeq.Add(1)),
		bed:          b, owner: own, addrs: map[int]string{},
	}
	if err := d.prepare(o); err != nil {
		return nil, err
	}
	if err := d.launch(o); err != nil {
		d.Close()
		return nil, err
	}
	b.own(nil, d.Close)
	for _, l := range d.Listeners {
		b.mapPort(d.IP, l.StdPort, d.addrs[l.StdPort])
	}
	for _, h := range d.Hosts {
		if net.ParseIP(h) == nil {
			b.AddA(h, d.IP)
		}
	}
	return d, nil
}

// prepare writes the users file and the mailboxes.
func (d *Dovecot) prepare(o DovecotOptions) error {
	var users strings.Builder
	for u, pw := range d.Users {
		fmt.Fprintf(&users, "%s:{PLAIN}%s::::::\n", u, pw)
		maildir := d.Maildir(u)
		if err := os.MkdirAll(filepath.Dir(maildir), 0o755); err != nil {
			return err
		}
		if err := d.owner.chown(filepath.Dir(maildir)); err != nil {
			return err
		}
		if err := makeMaildir(maildir, d.owner); err != nil {
			return err
		}
		for i := 1; i <= o.Messages; i++ {
			if err := deliver(maildir, d.owner, sampleMessage(u, i)); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(filepath.Join(d.Dir, "users"), []byte(users.String()), 0o644); err != nil {
		return err
	}
	return nil
}

// launch starts dovecot, retrying with other ports if another process took
// one of the free ports chosen for it in the meantime.
func (d *Dovecot) launch(o DovecotOptions) error {
	conf := &dovecotConf{
		dir: d.Dir, instance: d.InstanceName, ip: d.IP, hostname: "mail.testbed.invalid",
		usersFile: filepath.Join(d.Dir, "users"), plaintextOnly: o.PlaintextOnly, penalty: o.Penalty,
		uid: d.owner.uid, gid: d.owner.gid, listeners: d.Listeners,
	}
	if len(d.Hosts) > 0 {
		conf.hostname = d.Hosts[0]
	}
	if o.OAuth != nil {
		conf.oauthConf = filepath.Join(d.Dir, "dovecot-oauth2.conf.ext")
		conf.oauthMechanisms = []string{"xoauth2", "oauthbearer"}
		if len(o.OAuthMechanisms) > 0 {
			conf.oauthMechanisms = o.OAuthMechanisms
		}
		if err := os.WriteFile(conf.oauthConf, []byte(oauth2Conf(o.OAuth)), 0o644); err != nil {
			return err
		}
	}
	if !o.PlaintextOnly {
		names := d.Hosts
		if len(names) == 0 {
			names = []string{d.IP}
		}
		c, err := d.bed.ca.issue(o.Cert, names)
		if err != nil {
			return err
		}
		conf.certFile, conf.keyFile = c.certFile, c.keyFile
	}
	sink, err := startSink(d.maildirOf, d.owner)
	if err != nil {
		return err
	}
	d.sink = sink
	conf.sinkPort = sink.srv.ln.Addr().(*net.TCPAddr).Port

	var lastErr error
	for try := 0; try < 5; try++ {
		conf.ports = map[int]int{}
		ports, err := freePorts(d.IP, len(d.Listeners))
		if err != nil {
			return fmt.Errorf("listen on %s: %w", d.IP, err)
		}
		for i, l := range d.Listeners {
			conf.ports[l.StdPort] = ports[i]
			d.addrs[l.StdPort] = hostPort(d.IP, ports[i])
		}
		if err := os.WriteFile(d.ConfPath, []byte(conf.render()), 0o644); err != nil {
			return err
		}
		lastErr = d.run()
		if lastErr == nil {
			return nil
		}
		if !strings.Contains(lastErr.Error(), "in use") && !strings.Contains(lastErr.Error(), "duplicate listener") {
			return lastErr
		}
	}
	return lastErr
}

// Addr is the actual "ip:port" serving stdPort, or "" if none does.
func (d *Dovecot) Addr(stdPort int) string {
	for _, l := range d.Listeners {
		if l.StdPort == stdPort {
			return d.addrs[stdPort]
		}
	}
	return ""
}

// Server describes the listener on stdPort as a client would configure it
// for host, with the username left empty.
func (d *Dovecot) Server(host string, stdPort int) mailcfg.Server {
	for _, l := range d.Listeners {
		if l.StdPort == stdPort {
			return mailcfg.Server{Protocol: l.Protocol, Host: host, Port: stdPort, Security: l.Security}
		}
	}
	panic(fmt.Sprintf("testbed: dovecot has no listener on %d", stdPort))
}

// Log is everything dovecot logged so far.
func (d *Dovecot) Log() string {
	data, _ := os.ReadFile(d.LogPath)
	return string(data)
}

// LogContains reports whether dovecot's log holds s.
func (d *Dovecot) LogContains(s string) bool { return strings.Contains(d.Log(), s) }

// Maildir is the directory of user's INBOX.
func (d *Dovecot) Maildir(user string) string {
	return filepath.Join(d.Dir, "home", user, "Maildir")
}

func (d *Dovecot) maildirOf(rcpt string) (string, bool) {
	for u := range d.Users {
		if strings.EqualFold(u, rcpt) {
			return d.Maildir(u), true
		}
	}
	return "", false
}

// Messages counts the messages in user's INBOX (new and seen).
func (d *Dovecot) Messages(user string) int { return countMessages(d.Maildir(user)) }

// Deliver puts a message into user's INBOX, as a mail server would.
func (d *Dovecot) Deliver(user string, msg []byte) error {
	return deliver(d.Maildir(user), d.owner, msg)
}

// Relayed lists the messages the submission service relayed so far.
func (d *Dovecot) Relayed() []RelayedMessage {
	if d.sink == nil {
		return nil
	}
	return d.sink.messages()
}
