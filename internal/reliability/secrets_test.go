package reliability

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"mailsetup/export"
	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// The secrets test runs every command of the real binary with a known
// password and searches everything it wrote for the password's shapes.

// wrongPassword is typed in the failure runs; it must not leak either.
const wrongPassword = "Wr0ng-pw-Zq8#Kd"

// qqFailure is how QQ Mail words a refused login; the echo servers append
// what the client sent, as a careless server might.
const qqFailure = "Login Fail. Please enter your authorization code to login. More information in http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256 (you sent: "

// echoLog remembers the replies the echo servers sent, to prove that the
// secrets really came back to the client.
type echoLog struct {
	mu      sync.Mutex
	replies []string
}

func (e *echoLog) add(s string) string {
	e.mu.Lock()
	e.replies = append(e.replies, s)
	e.mu.Unlock()
	return s
}

func (e *echoLog) text() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.replies, "\n")
}

// secretForms lists the shapes of each password on the wire and in
// documents: as typed, URL-escaped, and base64 (padded and not) alone, in
// SASL PLAIN with either username form (and the authzid form), which also
// covers LOGIN's base64 of the password alone.
func secretForms(passwords, usernames []string) map[string]string {
	forms := map[string]string{}
	b64 := func(s string) []string {
		return []string{base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s))}
	}
	for _, p := range passwords {
		forms[p] = "password " + p
		forms[url.QueryEscape(p)] = "URL-escaped password " + p
		if j, err := json.Marshal(p); err == nil {
			forms[strings.Trim(string(j), `"`)] = "JSON-escaped password " + p
		}
		var x strings.Builder
		xml.EscapeText(&x, []byte(p))
		forms[x.String()] = "XML-escaped password " + p
		forms[html.EscapeString(p)] = "HTML-escaped password " + p
		for _, f := range b64(p) {
			forms[f] = "base64 of " + p
		}
		for _, u := range usernames {
			for _, f := range b64("\x00" + u + "\x00" + p) {
				forms[f] = fmt.Sprintf("SASL PLAIN base64 of \\0%s\\0%s", u, p)
			}
			for _, f := range b64(u + "\x00" + u + "\x00" + p) {
				forms[f] = fmt.Sprintf("SASL PLAIN base64 of %s\\0%s\\0%s", u, u, p)
			}
		}
	}
	return forms
}

// run is one command line of the binary.
type run struct {
	name  string
	args  []string
	stdin string // the password line, if any
	// holds: the run is an --include-password export, which may hold it.
	holds bool
	// wantCode is the exit code the run must end with.
	wantCode int
	outFile  string // -o FILE, searched too
}

func TestSecrets(t *testing.T) {
	bin := buildBinary(t)
	browser := buildBrowser(t)
	world := oauthBed(t)
	oauthEchoServers(t)
	extraMap := echoServers(t)
	env := append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
		portmap.Env+"="+bed.DialMapEnv()+","+extraMap)
	tmp := t.TempDir()

	common := []string{"--dns", bed.DNSAddr, "--ca", caFile, "--offline", "--timeout", "8s"}
	ok, echo1, echo2 := "alice@secrets.rel.test", "alice@echo1.rel.test", "alice@echo2.rel.test"
	var runs []run
	add := func(name string, code int, stdin string, args ...string) {
		runs = append(runs, run{name: name, args: append(args, common...), stdin: stdin, wantCode: code})
	}
	pw, wrong := password+"\n", wrongPassword+"\n"

	runs = append(runs, run{name: "providers", args: []string{"providers"}},
		run{name: "providers-json", args: []string{"providers", "--json"}})
	add("discover-json", 0, "", "discover", ok, "--json")
	add("discover-v", 0, "", "discover", ok, "-v")
	add("check-json-v", 0, pw, "check", ok, "--password-stdin", "--json", "-v")
	add("check-human-v", 0, pw, "check", ok, "--password-stdin", "-v")
	add("check-imap-json-v", 0, pw, "check", ok, "--protocol", "imap", "--password-stdin", "--json", "-v")
	add("check-send-test", 0, pw, "check", ok, "--password-stdin", "--send-test", "--json", "-v")
	add("check-wrong-json-v", 3, wrong, "check", ok, "--password-stdin", "--json", "-v")
	add("check-wrong-human-v", 3, wrong, "check", ok, "--password-stdin", "-v")
	add("check-echo1-json-v", 3, pw, "check", echo1, "--password-stdin", "--json", "-v")
	add("check-echo1-human-v", 3, pw, "check", echo1, "--password-stdin", "-v")
	add("check-echo1-imap-json-v", 3, pw, "check", echo1, "--protocol", "imap", "--password-stdin", "--json", "-v")
	add("check-echo2-json-v", 3, pw, "check", echo2, "--password-stdin", "--json", "-v")
	add("check-echo2-human-v", 3, pw, "check", echo2, "--password-stdin", "-v")
	for _, target := range []string{"mail.secrets.rel.test:995", "mail.secrets.rel.test:110", "mail.secrets.rel.test:993",
		"mail.secrets.rel.test:143", "mail.secrets.rel.test:465", "mail.secrets.rel.test:587"} {
		port := target[strings.LastIndex(target, ":")+1:]
		add("diagnose-"+port+"-json-v", 0, pw, "diagnose", target, "--user", ok, "--password-stdin", "--json", "-v")
		add("diagnose-"+port+"-wrong-v", 3, wrong, "diagnose", target, "--user", ok, "--password-stdin", "-v")
	}
	for _, target := range []string{"mail.echo1.rel.test:995", "mail.echo1.rel.test:993", "mail.echo1.rel.test:465",
		"mail.echo2.rel.test:995", "mail.echo2.rel.test:465"} {
		user := "alice@" + strings.TrimPrefix(target[:strings.LastIndex(target, ":")], "mail.")
		add("diagnose-"+target+"-json-v", 3, pw, "diagnose", target, "--user", user, "--password-stdin", "--json", "-v")
		add("diagnose-"+target+"-human-v", 3, pw, "diagnose", target, "--user", user, "--password-stdin", "-v")
	}

	// Exports: discovering (two formats), then from a saved report (every
	// format, without and with the password, to stdout and to a file).
	report := filepath.Join(tmp, "report.json")
	add("export-json-discover", 0, "", "export", ok, "--format", "json", "-v")
	add("export-mutt-discover-password", 0, pw, "export", ok, "--format", "mutt", "--include-password", "--password-stdin")
	runs[len(runs)-1].holds = true
	for _, f := range export.Formats() {
		add("export-"+f.ID, 0, "", "export", ok, "--format", f.ID, "--from", report)
		file := filepath.Join(tmp, "out-"+f.ID+f.Ext)
		add("export-"+f.ID+"-file", 0, "", "export", ok, "--format", f.ID, "--from", report, "-o", file)
		runs[len(runs)-1].outFile = file
		pfile := filepath.Join(tmp, "out-pw-"+f.ID+f.Ext)
		add("export-"+f.ID+"-password-file", 0, pw, "export", ok, "--format", f.ID, "--from", report, "-o", pfile,
			"--include-password", "--password-stdin")
		runs[len(runs)-1].outFile, runs[len(runs)-1].holds = pfile, true
	}

	forms := secretForms([]string{password, wrongPassword},
		[]string{ok, "alice", echo1, echo2})

	// The report the --from exports read comes from a check, which knew
	// the password.
	first := runBin(t, bin, env, run{args: append([]string{"check", ok, "--password-stdin", "--json"}, common...), stdin: pw})
	if first.code != 0 {
		t.Fatalf("check for the saved report: exit %d\n%s", first.code, first.stderr)
	}
	if err := os.WriteFile(report, first.stdout, 0o600); err != nil {
		t.Fatal(err)
	}

	var (
		mu       sync.Mutex
		findings []string
		searched int
		allowed  int
		names    []string
	)
	check := func(where string, data []byte, holds bool) {
		mu.Lock()
		defer mu.Unlock()
		searched++
		var found []string
		for f, what := range forms {
			if bytes.Contains(data, []byte(f)) {
				found = append(found, what)
			}
		}
		sort.Strings(found)
		switch {
		case len(found) == 0:
		case holds:
			allowed++
		default:
			findings = append(findings, fmt.Sprintf("%s: %s", where, strings.Join(found, "; ")))
		}
	}
	check("saved report (check --json)", first.stdout, false)
	check("saved report (stderr)", first.stderr, false)

	t.Run("runs", func(t *testing.T) {
		for _, r := range runs {
			t.Run(r.name, func(t *testing.T) {
				t.Parallel()
				out := runBin(t, bin, env, r)
				mu.Lock()
				line := "mailsetup " + strings.TrimSuffix(strings.Join(r.args, " "), " "+strings.Join(common, " "))
				switch r.stdin {
				case pw:
					line += "   (password on stdin)"
				case wrong:
					line += "   (wrong password on stdin)"
				}
				names = append(names, strings.ReplaceAll(line, tmp+"/", "$TMP/"))
				mu.Unlock()
				if out.code != r.wantCode {
					t.Errorf("exit %d, want %d\nstdout: %.2000s\nstderr: %.2000s", out.code, r.wantCode, out.stdout, out.stderr)
				}
				check(r.name+" stdout", out.stdout, r.holds && r.outFile == "")
				check(r.name+" stderr", out.stderr, false)
				if r.outFile != "" {
					data, err := os.ReadFile(r.outFile)
					if err != nil {
						t.Fatalf("reading the export: %v", err)
					}
					check(r.name+" "+filepath.Base(r.outFile), data, r.holds)
				}
			})
		}
	})

	// The echo servers must really have sent the secrets back, or the
	// failure paths proved nothing.
	echoed := echoes.text()
	for what, form := range map[string]string{
		"the password (POP3 PASS)":              password,
		"its base64 (SMTP AUTH LOGIN)":          base64.StdEncoding.EncodeToString([]byte(password)),
		"its SASL PLAIN form (SMTP AUTH PLAIN)": base64.StdEncoding.EncodeToString([]byte("\x00" + echo1 + "\x00" + password)),
	} {
		if !strings.Contains(echoed, form) {
			t.Errorf("no echo server sent back %s: that failure path was not exercised", what)
		}
	}
	if allowed == 0 {
		t.Error("no --include-password export holds the password: the search finds nothing")
	}
	for _, f := range findings {
		t.Errorf("secret found: %s", f)
	}

	hunt := &tokenHunt{t: t, w: world, bin: bin, browser: browser, env: env, common: common, dir: tmp}
	t.Run("oauth", func(t *testing.T) { runTokenHunt(t, hunt) })
	results.SetTokenHunt(huntTokens(t, hunt, forms))
	sort.Strings(names)
	results.SetSecrets(SecretsFigures{Runs: names, Outputs: searched, Allowed: allowed, Findings: findings,
		Forms: []string{
			"the password as typed, and URL-, JSON-, XML- and HTML-escaped (`" + password + "` for the good runs, `" +
				wrongPassword + "` for the failing ones)",
			"its base64, padded and unpadded (what LOGIN sends, alone)",
			"base64 of SASL PLAIN `\\0user\\0password` and `user\\0user\\0password`, with the full address and the local part as user",
		}})
}

// echoes records what the echo servers replied.
var echoes = &echoLog{}

// echoServers starts the QQ-like servers that refuse every login and echo
// the credentials line back, and returns the dial map entries of this
// package's servers among them.
//
//	echo1.rel.test: POP3 995 USER/PASS, IMAP 993 LOGIN, SMTP 465 AUTH PLAIN
//	echo2.rel.test: POP3 995 AUTH PLAIN, SMTP 465 AUTH LOGIN (echoing the
//	base64 password)
func echoServers(t *testing.T) string {
	hook := func(prefix string, verbs ...string) func(*testbed.Session, string, string) (string, bool) {
		return func(_ *testbed.Session, verb, line string) (string, bool) {
			for _, v := range verbs {
				if verb == v {
					return echoes.add(prefix + qqFailure + line + ")"), true
				}
			}
			return "", false
		}
	}
	h1, h2 := "mail.echo1.rel.test", "mail.echo2.rel.test"
	ip1, ip2 := addHost(h1), addHost(h2)
	bed.Scripted(t, ip1, 995, mailcfg.TLS, mailcfg.POP3, testbed.Script{Names: []string{h1},
		Capabilities: []string{"USER", "UIDL"}, Hook: hook("-ERR [AUTH] ", "PASS", "AUTH")})
	bed.Scripted(t, ip1, 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{Names: []string{h1},
		Hook: hook("NO [AUTHENTICATIONFAILED] ", "LOGIN", "AUTHENTICATE")})
	bed.Scripted(t, ip1, 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{Names: []string{h1},
		Capabilities: []string{"AUTH PLAIN", "8BITMIME"}, Hook: hook("535 ", "AUTH")})
	bed.Scripted(t, ip2, 995, mailcfg.TLS, mailcfg.POP3, testbed.Script{Names: []string{h2},
		Capabilities: []string{"SASL PLAIN", "UIDL"}, Hook: hook("-ERR [AUTH] ", "PASS", "AUTH")})
	cfg := &tls.Config{Certificates: []tls.Certificate{bed.TLSCert(testbed.CertValid, h2)}}
	m := serve(t, ip2, 465, OverTLS(cfg, func(c net.Conn) { smtpLoginEcho().Serve(c) }))
	var pairs []string
	for k, v := range m {
		pairs = append(pairs, k+"="+v)
	}
	return strings.Join(pairs, ",")
}

// smtpLoginEcho offers only AUTH LOGIN and answers the password step with
// a refusal that quotes it (base64, as it came).
func smtpLoginEcho() Dialogue {
	step := 0
	return Dialogue{Greeting: "220 mail.echo2.rel.test ESMTP",
		Answer: func(line string) (string, After) {
			verb, _, _ := strings.Cut(strings.ToUpper(line), " ")
			switch {
			case step == 1:
				step = 2
				return "334 UGFzc3dvcmQ6", ThenContinue
			case step == 2:
				step = 0
				return echoes.add("535 " + qqFailure + line + ")"), ThenContinue
			case verb == "EHLO":
				return "250-mail.echo2.rel.test\n250 AUTH LOGIN", ThenContinue
			case verb == "AUTH":
				step = 1
				return "334 VXNlcm5hbWU6", ThenContinue
			case verb == "QUIT":
				return "221 bye", ThenClose
			}
			return "502 no", ThenContinue
		}}
}

// buildBinary builds the module's binary from the sources under test, or
// takes the one make test has just built (MAILSETUP_BIN).
func buildBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("MAILSETUP_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "mailsetup")
	cmd := exec.Command("go", "build", "-tags", "testhooks", "-o", bin, "mailsetup")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type binOutput struct {
	code           int
	stdout, stderr []byte
}

func runBin(t *testing.T, bin string, env []string, r run) binOutput {
	t.Helper()
	cmd := exec.Command(bin, r.args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(r.stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return binOutput{code: code, stdout: stdout.Bytes(), stderr: stderr.Bytes()}
}
