package export

// Judges: the real clients (and xmllint) read what we write. Each test
// skips, saying so, only when the tool is not installed; the lead's
// `make test` installs them all (msmtp, mpop, fetchmail, getmail6, mutt,
// neomutt, libxml2-utils).

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

// trickyPassword exercises every quoting rule: both quotes, a backslash,
// shell and mutt expansion characters, an escape-like sequence.
const trickyPassword = `p"w\x41'y$HOME` + "`id`#;%s"

// judgeEnv runs a tool with a private HOME and a fake secret-tool, so
// passwordeval/password_command succeed offline without a keyring.
type judgeEnv struct {
	home string
	env  []string
}

func newJudgeEnv(t *testing.T) judgeEnv {
	t.Helper()
	home := t.TempDir()
	bin := filepath.Join(toolsDir, "judge")
	return judgeEnv{home: home, env: []string{"HOME=" + home, "PATH=" + bin + ":" + os.Getenv("PATH"),
		"LC_ALL=C.UTF-8", "TERM=dumb"}}
}

func (e judgeEnv) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(e.home, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// run returns stdout; a failure reports stderr too.
func (e judgeEnv) run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	return e.runChecked(t, false, tool, args...)
}

// runQuiet runs a tool like run and fails on anything it says on stderr:
// a client that skips a bad line still exits 0.
func (e judgeEnv) runQuiet(t *testing.T, tool string, args ...string) string {
	t.Helper()
	return e.runChecked(t, true, tool, args...)
}

func (e judgeEnv) runChecked(t *testing.T, quiet bool, tool string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tool, args...)
	cmd.Env = e.env
	cmd.Dir = e.home
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || quiet && strings.TrimSpace(stderr.String()) != "" {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", tool, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// maildir makes the Maildir getmail delivers email's mail to and returns
// its path: getmail checks that it exists, as the file's header says to
// create it.
func (e judgeEnv) maildir(t *testing.T, email string) string {
	t.Helper()
	inbox := filepath.Join(e.home, "Mail", email, "INBOX")
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(inbox, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return inbox
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed, so its judge cannot run (make test installs it): %v", name, err)
	}
}

// judgeCase is one account × password choice × language.
type judgeCase struct {
	name string
	acct mailcfg.Account
	opts Options
}

func judgeCases() []judgeCase {
	var cs []judgeCase
	for _, ta := range testAccounts {
		cs = append(cs, judgeCase{ta.name, ta.acct, Options{Seed: testSeed}})
		withPw := ta.acct
		withPw.Password = trickyPassword
		cs = append(cs, judgeCase{ta.name + "+password", withPw, Options{Seed: testSeed, IncludePassword: true}})
	}
	cs = append(cs, judgeCase{"pop3-tls.zh-Hans", testAccounts[0].acct, Options{Seed: testSeed, Lang: "zh-Hans"}})
	// What the lead's test bed will render: loopback servers on high ports,
	// plaintext included, and an IPv6 literal.
	cs = append(cs, judgeCase{"loopback-plain", mailcfg.Account{
		Email:    "dave@example.test",
		Incoming: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "127.0.0.1", Port: 10143, Security: mailcfg.None, Username: "dave@example.test"},
		Outgoing: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "127.0.0.1", Port: 10025, Security: mailcfg.None, Username: "dave@example.test"},
		Password: "secret",
	}, Options{IncludePassword: true}})
	cs = append(cs, judgeCase{"loopback6-pop3", mailcfg.Account{
		Email:         "erin@example.test",
		Incoming:      mailcfg.Server{Protocol: mailcfg.POP3, Host: "::1", Port: 10995, Security: mailcfg.TLS, Username: "erin"},
		Outgoing:      mailcfg.Server{Protocol: mailcfg.SMTP, Host: "::1", Port: 10587, Security: mailcfg.STARTTLS, Username: "erin"},
		LeaveOnServer: true,
	}, Options{}})
	return cs
}

func mustRender(t *testing.T, id string, c judgeCase) ([]byte, bool) {
	t.Helper()
	f, _ := ByID(id)
	out, err := f.Render(c.acct, c.opts)
	if err != nil {
		if _, unsupported := err.(*UnsupportedError); unsupported {
			return nil, false
		}
		t.Fatalf("%s: %v", id, err)
	}
	return out, true
}

// keyValues reads "key = value" lines, as msmtp and mpop --pretend print them.
func keyValues(s string) map[string]string {
	kv := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(line, " = "); ok {
			kv[strings.TrimSpace(k)] = v
		}
	}
	return kv
}

func expectKV(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func securityWords(s mailcfg.Security) (tls, starttls string) {
	switch s {
	case mailcfg.TLS:
		return "on", "off"
	case mailcfg.STARTTLS:
		return "on", "on"
	}
	return "off", "on" // msmtp reports its default for tls_starttls when tls is off
}

func TestJudgeXMLLint(t *testing.T) {
	needTool(t, "xmllint")
	for _, c := range judgeCases() {
		for _, id := range []string{"thunderbird", "outlook-autodiscover", "apple"} {
			t.Run(c.name+"/"+id, func(t *testing.T) {
				t.Parallel()
				out, _ := mustRender(t, id, c)
				e := newJudgeEnv(t)
				e.run(t, "xmllint", "--noout", "--nonet", e.write(t, "f.xml", out))
			})
		}
	}
}

func TestJudgeMsmtp(t *testing.T) {
	needTool(t, "msmtp")
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, _ := mustRender(t, "msmtp", c)
			e := newJudgeEnv(t)
			rc := e.write(t, "msmtprc", out)
			s := c.acct.Outgoing
			tls, starttls := securityWords(s.Security)
			want := map[string]string{"host": s.Host, "port": strconv.Itoa(s.Port), "tls": tls, "tls_starttls": starttls,
				"user": s.Username, "from": c.acct.Email, "auth": "choose", "password": "*"}
			if s.Security == mailcfg.None {
				want["auth"] = "PLAIN"
			}
			// The default account and the named one must be the same.
			for _, args := range [][]string{{"--file=" + rc, "--pretend"}, {"--file=" + rc, "--account=" + c.acct.Email, "--pretend"}} {
				got := keyValues(e.run(t, "msmtp", args...))
				expectKV(t, got, want)
				if c.opts.IncludePassword != (got["passwordeval"] == "(not set)") {
					t.Errorf("passwordeval = %q with IncludePassword=%v", got["passwordeval"], c.opts.IncludePassword)
				}
			}
		})
	}
}

func TestJudgeMpop(t *testing.T) {
	needTool(t, "mpop")
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			out, ok := mustRender(t, "mpop", c)
			if !ok {
				if c.acct.Incoming.Protocol != mailcfg.IMAP {
					t.Fatal("mpop refused a POP3 account")
				}
				return
			}
			e := newJudgeEnv(t)
			rc := e.write(t, "mpoprc", out)
			s := c.acct.Incoming
			tls, starttls := securityWords(s.Security)
			got := keyValues(e.run(t, "mpop", "--file="+rc, "--pretend"))
			auth := map[bool]string{true: "user", false: "choose"}[s.Security == mailcfg.None]
			expectKV(t, got, map[string]string{"host": s.Host, "port": strconv.Itoa(s.Port), "tls": tls, "tls_starttls": starttls,
				"user": s.Username, "keep": onOff(c.acct.LeaveOnServer), "password": "*", "auth": auth,
				"delivery": "maildir " + e.home + "/Mail/" + c.acct.Email + "/INBOX"})
		})
	}
}

func TestJudgeFetchmail(t *testing.T) {
	needTool(t, "fetchmail")
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			out, _ := mustRender(t, "fetchmail", c)
			e := newJudgeEnv(t)
			rc := e.write(t, "fetchmailrc", out) // 0600: fetchmail refuses anything looser
			dump := e.run(t, "fetchmail", "-f", rc, "--configdump")
			s := c.acct.Incoming
			py := func(b bool) string {
				if b {
					return "TRUE"
				}
				return "FALSE"
			}
			want := []string{
				`"pollname":"` + s.Host + `"`,
				`"protocol":"` + protocolName(s.Protocol) + `"`,
				`"service":"` + strconv.Itoa(s.Port) + `"`,
				`"remote":"` + s.Username + `"`,
				`'ssl':` + py(s.Security == mailcfg.TLS),
				`'sslcertck':` + py(s.Security != mailcfg.None),
				`'keep':` + py(keepOnServer(c.acct)),
			}
			if s.Security != mailcfg.None {
				want = append(want, `"sslproto":"TLS1.2+"`)
			} else {
				want = append(want, `"sslproto":""`)
			}
			if c.opts.IncludePassword {
				esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(c.acct.Password)
				want = append(want, `"password":"`+esc+`"`)
			} else {
				want = append(want, `"password":None`)
			}
			for _, w := range want {
				if !strings.Contains(dump, w) {
					t.Errorf("configdump lacks %s", w)
				}
			}
			if t.Failed() {
				t.Logf("configdump:\n%s", dump)
			}
		})
	}
}

func TestJudgeGetmail(t *testing.T) {
	needTool(t, "getmail")
	for _, c := range judgeCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, ok := mustRender(t, "getmail", c)
			if !ok {
				if c.acct.Incoming.Security != mailcfg.STARTTLS {
					t.Fatal("getmail refused an account without STARTTLS")
				}
				return
			}
			e := newJudgeEnv(t)
			inbox := e.maildir(t, c.acct.Email)
			e.write(t, "getmailrc", out)
			dump := e.run(t, "getmail", "--getmaildir="+e.home, "--rcfile=getmailrc", "--dump")
			s := c.acct.Incoming
			typ := map[mailcfg.Protocol]string{mailcfg.POP3: "SimplePOP3", mailcfg.IMAP: "SimpleIMAP"}[s.Protocol]
			if s.Security == mailcfg.TLS {
				typ += "SSL"
			}
			typ += "Retriever("
			want := []string{"retriever:  " + typ, `server="` + s.Host + `"`, `port="` + strconv.Itoa(s.Port) + `"`,
				`username="` + s.Username + `"`, `password="*"`, `path="` + inbox + `/"`,
				"delete : " + map[bool]string{true: "False", false: "True"}[keepOnServer(c.acct)]}
			if c.opts.IncludePassword {
				want = append(want, `password_command="()"`)
			} else {
				want = append(want, `password_command="('secret-tool', 'lookup', 'host', '`+s.Host+`', 'service', '`+string(s.Protocol)+`', 'user', '`+s.Username+`')"`)
			}
			for _, w := range want {
				if !strings.Contains(dump, w) {
					t.Errorf("getmail --dump lacks %s", w)
				}
			}
			if t.Failed() {
				t.Logf("dump:\n%s", dump)
			}
		})
	}
}

// muttQuery runs mutt or neomutt with -Q for each name and returns the
// values in the same order. mutt prints name="v", name=v or "name is
// set"; neomutt prints set name = "v" (under its newer names).
func muttQuery(t *testing.T, e judgeEnv, tool, rc string, names ...string) []string {
	t.Helper()
	args := []string{"-n", "-F", rc}
	for _, n := range names {
		args = append(args, "-Q", n)
	}
	lines := strings.Split(strings.TrimRight(e.run(t, tool, args...), "\n"), "\n")
	if len(lines) != len(names) {
		t.Fatalf("%s -Q %v printed %d lines: %q", tool, names, len(lines), lines)
	}
	vals := make([]string, len(lines))
	for i, line := range lines {
		var v string
		switch {
		case strings.HasSuffix(line, " is set"):
			v = "yes"
		case strings.HasSuffix(line, " is unset"):
			v = "no"
		case strings.HasPrefix(line, "set "):
			_, v, _ = strings.Cut(line, " = ")
		default:
			_, v, _ = strings.Cut(line, "=")
		}
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(v[1 : len(v)-1])
		}
		vals[i] = v
	}
	return vals
}

func TestJudgeMutt(t *testing.T) {
	for _, tool := range []string{"mutt", "neomutt"} {
		t.Run(tool, func(t *testing.T) {
			needTool(t, tool)
			for _, c := range judgeCases() {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					out, _ := mustRender(t, "mutt", c)
					e := newJudgeEnv(t)
					rc := e.write(t, "muttrc", out)
					in, o := c.acct.Incoming, c.acct.Outgoing
					names := []string{"smtp_url", "ssl_force_tls", "ssl_starttls", "from"}
					encrypted := in.Security != mailcfg.None && o.Security != mailcfg.None
					want := []string{muttURL(o, o.Username), yesNo(encrypted), yesNo(in.Security != mailcfg.None || o.Security != mailcfg.None), c.acct.Email}
					if in.Protocol == mailcfg.POP3 {
						names = append(names, "spoolfile", "pop_user", "pop_delete")
						want = append(want, muttURL(in, in.Username), in.Username, yesNo(!c.acct.LeaveOnServer))
					} else {
						names = append(names, "folder", "imap_user")
						want = append(want, muttURL(in, in.Username), in.Username)
					}
					if c.opts.IncludePassword {
						pass := map[mailcfg.Protocol]string{mailcfg.POP3: "pop_pass", mailcfg.IMAP: "imap_pass"}[in.Protocol]
						names = append(names, "smtp_pass", pass)
						want = append(want, c.acct.Password, c.acct.Password)
					}
					got := muttQuery(t, e, tool, rc, names...)
					for i := range names {
						if names[i] == "folder" || names[i] == "spoolfile" {
							// mutt prints mailbox paths canonicalized, the user's @ unescaped.
							got[i] = strings.ReplaceAll(got[i], "%40", "@")
							want[i] = strings.ReplaceAll(want[i], "%40", "@")
						}
						if got[i] != want[i] {
							t.Errorf("%s = %q, want %q", names[i], got[i], want[i])
						}
					}
					// The URL must carry the user with its @ escaped.
					if !strings.Contains(got[0], "%40") && strings.Contains(o.Username, "@") {
						t.Errorf("smtp_url %q does not escape the @ of the user", got[0])
					}
				})
			}
		})
	}
}

// The trust options as each client reads them back: a CA file whose path
// holds quotes, '#', ';' and a space, and pinned fingerprints.
func TestJudgeTrustOptions(t *testing.T) {
	pinIn, pinOut := strings.Repeat("0a", 32), strings.Repeat("fb", 32)
	colon := func(hex string) string {
		var parts []string
		for i := 0; i < len(hex); i += 2 {
			parts = append(parts, strings.ToUpper(hex[i:i+2]))
		}
		return strings.Join(parts, ":")
	}
	for _, pinned := range []bool{false, true} {
		t.Run(map[bool]string{false: "CA file", true: "pinned"}[pinned], func(t *testing.T) {
			e := newJudgeEnv(t)
			ca := e.write(t, `my CA's "bundle" #1;x.pem`, []byte("placeholder\n"))
			o := Options{CAFile: ca, IncludePassword: true}
			if pinned {
				o.IncomingFingerprint, o.OutgoingFingerprint = pinIn, colon(pinOut)
			}
			a := testAccounts[0].acct // POP3 TLS, SMTP TLS
			a.Password = trickyPassword
			c := judgeCase{"trust", a, o}

			if _, err := exec.LookPath("msmtp"); err == nil {
				out, _ := mustRender(t, "msmtp", c)
				got := keyValues(e.run(t, "msmtp", "--file="+e.write(t, "msmtprc", out), "--pretend"))
				want := map[string]string{"tls_trust_file": ca, "tls_fingerprint": "(not set)"}
				if pinned {
					want = map[string]string{"tls_trust_file": "system", "tls_fingerprint": colon(pinOut)}
				}
				expectKV(t, got, want)
			}
			if _, err := exec.LookPath("mpop"); err == nil {
				out, _ := mustRender(t, "mpop", c)
				got := keyValues(e.run(t, "mpop", "--file="+e.write(t, "mpoprc", out), "--pretend"))
				want := map[string]string{"tls_trust_file": ca, "tls_fingerprint": "(not set)"}
				if pinned {
					want = map[string]string{"tls_trust_file": "system", "tls_fingerprint": colon(pinIn)}
				}
				expectKV(t, got, want)
			}
			if _, err := exec.LookPath("fetchmail"); err == nil && !pinned {
				out, _ := mustRender(t, "fetchmail", c)
				dump := e.run(t, "fetchmail", "-f", e.write(t, "fetchmailrc", out), "--configdump")
				esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(ca)
				if !strings.Contains(dump, `"sslcertfile":"`+esc+`"`) {
					t.Errorf("fetchmail --configdump lacks sslcertfile %q:\n%s", ca, dump)
				}
			}
			if _, err := exec.LookPath("getmail"); err == nil {
				out, _ := mustRender(t, "getmail", c)
				inbox := filepath.Join(e.home, "Mail", a.Email, "INBOX")
				for _, d := range []string{"cur", "new", "tmp"} {
					if err := os.MkdirAll(filepath.Join(inbox, d), 0o700); err != nil {
						t.Fatal(err)
					}
				}
				e.write(t, "getmailrc", out)
				dump := e.run(t, "getmail", "--getmaildir="+e.home, "--rcfile=getmailrc", "--dump")
				want := `ca_certs="` + ca + `"`
				if pinned {
					want = `ssl_fingerprints="('` + pinIn + `',)"`
				}
				if !strings.Contains(dump, want) {
					t.Errorf("getmail --dump lacks %s:\n%s", want, dump)
				}
			}
			for _, tool := range []string{"mutt", "neomutt"} {
				if _, err := exec.LookPath(tool); err != nil {
					continue
				}
				out, _ := mustRender(t, "mutt", c)
				// mutt shows paths below HOME as ~/….
				want := "~" + strings.TrimPrefix(ca, e.home)
				if pinned {
					want = "" // mutt cannot pin: only a comment
				}
				if got := muttQuery(t, e, tool, e.write(t, "muttrc", out), "ssl_ca_certificates_file")[0]; got != want {
					t.Errorf("%s: ssl_ca_certificates_file = %q, want %q", tool, got, want)
				}
			}
		})
	}
}
