package reliability

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/export"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// The token hunt: check --oauth runs of the real binary sign in with the
// test bed's authorization server (through $BROWSER, a printed URL, or the
// device flow) and log in with the token; then every token, code and PKCE
// verifier the server exchanged is searched for, in every shape, in what
// the runs printed, in every file they wrote, and in the dovecots' logs.

// echoOAuthEmail's servers refuse every token and quote the client's
// AUTHENTICATE or AUTH line back, as a careless server might.
const echoOAuthEmail = "alice@echo-oauth.rel.test"

// tokenEchoes records what the token echo servers replied.
var tokenEchoes = &echoLog{}

// oauthEchoServers starts echo-oauth.rel.test: SRV records name
// mail.echo-oauth.rel.test, whose IMAP (993: OAUTHBEARER and XOAUTH2, with
// SASL-IR), POP3 (995) and SMTP (465: XOAUTH2 only) servers refuse tokens
// and echo them.
func oauthEchoServers(t *testing.T) {
	const host = "mail.echo-oauth.rel.test"
	hook := func(prefix string) func(*testbed.Session, string, string) (string, bool) {
		return func(_ *testbed.Session, verb, line string) (string, bool) {
			if verb != "AUTH" && verb != "AUTHENTICATE" {
				return "", false
			}
			return tokenEchoes.add(prefix + "invalid token (you sent: " + line + ")"), true
		}
	}
	ip := addHost(host)
	names := []string{host}
	bed.Scripted(t, ip, 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{Names: names,
		Capabilities: []string{"IMAP4rev1", "SASL-IR", "AUTH=OAUTHBEARER", "AUTH=XOAUTH2"}, Hook: hook("NO [AUTHENTICATIONFAILED] ")})
	bed.Scripted(t, ip, 995, mailcfg.TLS, mailcfg.POP3, testbed.Script{Names: names,
		Capabilities: []string{"SASL OAUTHBEARER XOAUTH2", "UIDL"}, Hook: hook("-ERR [AUTH] ")})
	bed.Scripted(t, ip, 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{Names: names,
		Capabilities: []string{"AUTH XOAUTH2", "8BITMIME"}, Hook: hook("535 5.7.8 ")})
	for srv, port := range map[string]int{"_imaps": 993, "_pop3s": 995, "_submissions": 465} {
		bed.AddSRV(srv+"._tcp.echo-oauth.rel.test", host, port, 0, 1)
	}
}

// huntRun is one command line of the token hunt.
type huntRun struct {
	name     string
	email    string
	args     []string // after "check EMAIL" and the sign-in flags
	clientID string   // default the bed's mail client
	wantCode int
	// How the sign-in page is answered: by $BROWSER (the default), by
	// the test opening the URL the run prints (--no-browser), or on
	// another device (--oauth-device).
	how string
	// before runs just before the command (ExpireNextSignIn); such runs
	// go one at a time.
	before func()
	note   string // for the report's list of runs
}

const (
	viaBrowser   = ""
	viaPrinted   = "printed URL"
	viaDevice    = "device code"
	huntDeadline = 90 * time.Second
)

// huntOutput is one stream or file a hunt run left.
type huntOutput struct {
	where string
	data  []byte
}

// tokenHunt runs the hunt's command lines and returns what they left,
// their command lines for the report, and the saved report of the first.
type tokenHunt struct {
	t       *testing.T
	w       *oauthWorld
	bin     string
	browser string
	env     []string
	common  []string
	dir     string

	mu          sync.Mutex
	outputs     []huntOutput
	lines       []string
	files       int // written by the sign-in runs
	exportFiles int
	secrets     int // IssuedSecrets before the hunt
}

func (h *tokenHunt) keep(where string, data []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.outputs = append(h.outputs, huntOutput{where, data})
}

// run runs r and keeps its stdout, stderr and every file it wrote.
func (h *tokenHunt) run(t *testing.T, r huntRun) []byte {
	home := filepath.Join(h.dir, "home-"+r.name)
	env := append([]string(nil), h.env...)
	for k, sub := range map[string]string{"HOME": "", "XDG_CONFIG_HOME": ".config", "XDG_CACHE_HOME": ".cache",
		"XDG_DATA_HOME": ".local/share", "XDG_STATE_HOME": ".local/state", "TMPDIR": "tmp"} {
		dir := filepath.Join(home, sub)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		env = append(env, k+"="+dir)
	}
	browserLog := filepath.Join(h.dir, "browser-"+r.name+".log")
	env = append(env, "BROWSER="+h.browser)
	env = append(env, h.w.as.BrowserEnv(h.w.signsInAs(r.email), password, testbed.Allow, browserLog)...)

	clientID := r.clientID
	if clientID == "" {
		clientID = testbed.OAuthClientID
	}
	args := append([]string{"check", r.email, "--oauth-issuer", h.w.as.Issuer, "--oauth-client-id", clientID,
		"--oauth-scope", strings.Join(testbed.OAuthScopes, " ")}, r.args...)
	switch r.how {
	case viaPrinted:
		args = append(args, "--no-browser")
	case viaDevice:
		args = append(args, "--oauth-device")
	}
	line := "mailsetup " + strings.Join(quoteArgs(args), " ")
	var notes []string
	if r.how != viaBrowser {
		notes = append(notes, r.how+" answered by the test")
	}
	if r.note != "" {
		notes = append(notes, r.note)
	}
	if len(notes) > 0 {
		line += "   (" + strings.Join(notes, "; ") + ")"
	}
	h.mu.Lock()
	h.lines = append(h.lines, line)
	h.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), huntDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.bin, append(args, h.common...)...)
	cmd.Env = env
	cmd.WaitDelay = time.Second
	var stdout bytes.Buffer
	stderr := &lineWatcher{watch: h.answer(ctx, r.how, h.w.signsInAs(r.email))}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if r.before != nil {
		r.before()
	}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != r.wantCode {
		blog, _ := os.ReadFile(browserLog)
		t.Errorf("exit %d, want %d\nstdout: %.2000s\nstderr: %.3000s\nbrowser: %s", code, r.wantCode, stdout.String(), stderr.String(), blog)
	}
	h.keep(r.name+" stdout", stdout.Bytes())
	h.keep(r.name+" stderr", []byte(stderr.String()))
	err = filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(home, path)
		h.keep(r.name+" wrote "+rel, data)
		h.mu.Lock()
		h.files++
		h.mu.Unlock()
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	return stdout.Bytes()
}

// answer plays the person for runs whose sign-in page the browser does not
// open: it opens the printed URL, or enters the printed code on the device
// page.
func (h *tokenHunt) answer(ctx context.Context, how, user string) func(string) {
	var once sync.Once
	return func(line string) {
		var act func() error
		switch {
		case how == viaPrinted && strings.HasPrefix(strings.TrimSpace(line), "https://"):
			u := strings.TrimSpace(line)
			act = func() error {
				_, err := testbed.SignInAs(ctx, bed.HTTPClient(), u, user, password, testbed.Allow, nil)
				return err
			}
		case how == viaDevice && deviceCode.MatchString(line):
			code := deviceCode.FindStringSubmatch(line)[1]
			act = func() error { return h.w.as.ApproveDevice(ctx, code, user, password, testbed.Allow) }
		default:
			return
		}
		once.Do(func() {
			go func() {
				if err := act(); err != nil {
					h.t.Errorf("answering the sign-in (%s): %v", how, err)
				}
			}()
		})
	}
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t") {
			a = `"` + a + `"`
		}
		out[i] = a
	}
	return out
}

const (
	echoNote    = "the servers refuse the token and quote it back"
	expiredNote = "token expired at the server: refreshed, then accepted"
)

// runTokenHunt runs every command line of the hunt.
func runTokenHunt(t *testing.T, h *tokenHunt) {
	w := h.w
	h.secrets = len(w.as.IssuedSecrets())
	parallel := []huntRun{
		{name: "oauth-pop3-json-v", email: oauthEmail, args: []string{"--json", "-v"}},
		{name: "oauth-pop3-human-v", email: oauthEmail, args: []string{"-v"}},
		{name: "oauth-imap-json-v", email: oauthEmail, args: []string{"--protocol", "imap", "--json", "-v"}},
		{name: "oauth-imap-human", email: oauthEmail, args: []string{"--protocol", "imap"}},
		{name: "xoauth2-imap-json-v", email: xoauth2Email, args: []string{"--protocol", "imap", "--json", "-v"}},
		{name: "xoauth2-pop3-human-v", email: xoauth2Email, args: []string{"-v"}},
		{name: "oauth-device-imap-json-v", email: oauthEmail, args: []string{"--protocol", "imap", "--json", "-v"}, how: viaDevice},
		{name: "oauth-device-pop3-human-v", email: oauthEmail, args: []string{"-v"}, how: viaDevice},
		{name: "oauth-printed-url-pop3-json-v", email: oauthEmail, args: []string{"--json", "-v"}, how: viaPrinted},
		{name: "oauth-wrong-audience-json-v", email: oauthEmail, args: []string{"--json", "-v"}, clientID: testbed.OAuthOtherClientID, wantCode: 3,
			note: "another application's token: refused, refreshed, refused"},
		{name: "echo-imap-json-v", email: echoOAuthEmail, args: []string{"--protocol", "imap", "--json", "-v"}, wantCode: 3, note: echoNote},
		{name: "echo-imap-human-v", email: echoOAuthEmail, args: []string{"--protocol", "imap", "-v"}, wantCode: 3, note: echoNote},
		{name: "echo-pop3-json-v", email: echoOAuthEmail, args: []string{"--json", "-v"}, wantCode: 3, note: echoNote},
	}
	// Spoiled sign-ins go one at a time: ExpireNextSignIn spoils whichever
	// sign-in comes next.
	serial := []huntRun{
		{name: "oauth-expired-refreshed-json-v", email: oauthEmail, args: []string{"--json", "-v"},
			before: func() { w.as.ExpireNextSignIn(false) }, note: expiredNote},
		{name: "oauth-expired-refreshed-imap-human-v", email: oauthEmail, args: []string{"--protocol", "imap", "-v"},
			before: func() { w.as.ExpireNextSignIn(false) }, note: expiredNote},
		{name: "oauth-refresh-revoked-json-v", email: oauthEmail, args: []string{"--json", "-v"}, wantCode: 3,
			before: func() { w.as.ExpireNextSignIn(true) }, note: "token expired at the server, refresh token revoked"},
	}
	var report []byte
	var reportOnce sync.Mutex
	t.Run("signed-in", func(t *testing.T) {
		for _, r := range parallel {
			t.Run(r.name, func(t *testing.T) {
				t.Parallel()
				out := h.run(t, r)
				if r.name == "oauth-pop3-json-v" {
					reportOnce.Lock()
					report = out
					reportOnce.Unlock()
				}
			})
		}
	})
	t.Run("spoiled", func(t *testing.T) {
		for _, r := range serial {
			t.Run(r.name, func(t *testing.T) { h.run(t, r) })
		}
	})

	// Exports of the account, from the report of a check that signed in.
	if !json.Valid(report) {
		t.Fatal("no JSON report from the first check to export from")
	}
	saved := filepath.Join(h.dir, "oauth-report.json")
	if err := os.WriteFile(saved, report, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("exports", func(t *testing.T) {
		for _, f := range export.Formats() {
			t.Run(f.ID, func(t *testing.T) {
				t.Parallel()
				file := filepath.Join(h.dir, "oauth-export-"+f.ID+f.Ext)
				// getmail6 takes OAuth2 over IMAP only, and this account
				// fetches over POP3: the export refuses, saying why, and
				// its words are hunted like any other output.
				refused := f.ID == "getmail"
				for _, args := range [][]string{{"export", oauthEmail, "--format", f.ID, "--from", saved},
					{"export", oauthEmail, "--format", f.ID, "--from", saved, "-o", file}} {
					out := runBin(t, h.bin, h.env, run{args: append(args, h.common...)})
					if refused && (out.code != 1 || !strings.Contains(string(out.stderr), "OAuth2")) {
						t.Errorf("%v: exit %d: %s; want a refusal that names OAuth2", args, out.code, out.stderr)
					}
					if !refused && out.code != 0 {
						t.Errorf("%v: exit %d: %s", args, out.code, out.stderr)
					}
					name := "export-" + f.ID
					h.keep(name+" stdout", out.stdout)
					h.keep(name+" stderr", out.stderr)
					h.mu.Lock()
					h.lines = append(h.lines, "mailsetup "+strings.ReplaceAll(strings.Join(args, " "), h.dir+"/", "$TMP/"))
					h.mu.Unlock()
				}
				data, err := os.ReadFile(file)
				if refused {
					if err == nil {
						t.Errorf("%s written for an account it cannot carry", file)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				h.keep("export-"+f.ID+" "+filepath.Base(file), data)
				h.mu.Lock()
				h.exportFiles++
				h.mu.Unlock()
			})
		}
	})
	h.keep("dovecot log (mail.oauth.rel.test)", []byte(w.mail.Log()))
	h.keep("dovecot log (mail.xoauth2.rel.test)", []byte(w.xoauth2.Log()))
}

// tokenForms lists the shapes in which each issued secret could leak:
// as issued, URL- and JSON-escaped, base64 (padded and not), and in the
// SASL initial responses of XOAUTH2 and OAUTHBEARER (with and without the
// authorization identity) for every account.
func tokenForms(secrets []testbed.IssuedSecret, users []string) map[string]string {
	forms := map[string]string{}
	b64 := func(s string) []string {
		return []string{base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s))}
	}
	for i, sec := range secrets {
		name := fmt.Sprintf("%s #%d", sec.Kind, i+1)
		v := sec.Value
		forms[v] = name
		forms[url.QueryEscape(v)] = "URL-escaped " + name
		if j, err := json.Marshal(v); err == nil {
			forms[strings.Trim(string(j), `"`)] = "JSON-escaped " + name
		}
		for _, f := range b64(v) {
			forms[f] = "base64 of " + name
		}
		for _, u := range users {
			for _, sasl := range []struct{ what, ir string }{
				{"XOAUTH2", "user=" + u + "\x01auth=Bearer " + v + "\x01\x01"},
				{"OAUTHBEARER", "n,a=" + u + ",\x01auth=Bearer " + v + "\x01\x01"},
				{"OAUTHBEARER", "n,,\x01auth=Bearer " + v + "\x01\x01"},
			} {
				for _, f := range b64(sasl.ir) {
					forms[f] = fmt.Sprintf("%s initial response (base64) with %s", sasl.what, name)
				}
			}
		}
	}
	return forms
}

// pieceLen is the length of the pieces a truncated leak is looked for by.
const pieceLen = 12

// addPieces adds every pieceLen-character piece of each secret as issued
// (a leak cut short, or cut out of the middle). The parts of a JOSE token
// that are plain JSON (its header, a JWT's claims) are no secret, and
// public text such as a URL encodes to the same pieces in other JSON: they
// are left out, the token's random parts (key, IV, ciphertext, tag,
// signature) are not.
func addPieces(forms map[string]string, secrets []testbed.IssuedSecret) {
	for i, sec := range secrets {
		parts := []string{sec.Value}
		if jose := strings.Split(sec.Value, "."); len(jose) >= 3 {
			parts = jose
		}
		for _, part := range parts {
			if len(parts) > 1 && isJSONPart(part) {
				continue
			}
			for j := 0; j+pieceLen <= len(part); j++ {
				if _, whole := forms[part[j:j+pieceLen]]; !whole {
					forms[part[j:j+pieceLen]] = fmt.Sprintf("a %d-character piece of %s #%d", pieceLen, sec.Kind, i+1)
				}
			}
		}
	}
}

// isJSONPart reports a JOSE part that is base64url of a JSON object.
func isJSONPart(part string) bool {
	b, err := base64.RawURLEncoding.DecodeString(part)
	return err == nil && json.Valid(b) && bytes.HasPrefix(bytes.TrimSpace(b), []byte("{"))
}

// hunter finds any of many strings in a text in one pass: every string is
// indexed by its first pieceLen bytes, and a window slides over the text.
type hunter map[string][]huntForm

type huntForm struct{ text, what string }

func newHunter(forms map[string]string) hunter {
	h := hunter{}
	for f, what := range forms {
		if len(f) < pieceLen {
			continue
		}
		h[f[:pieceLen]] = append(h[f[:pieceLen]], huntForm{f, what})
	}
	return h
}

// find returns what the text holds, each once.
func (h hunter) find(data []byte) []string {
	seen := map[string]bool{}
	var found []string
	for i := 0; i+pieceLen <= len(data); i++ {
		for _, f := range h[string(data[i:i+pieceLen])] {
			if !seen[f.what] && bytes.HasPrefix(data[i:], []byte(f.text)) {
				seen[f.what] = true
				found = append(found, f.what)
			}
		}
	}
	sort.Strings(found)
	return found
}

// searchTokens looks for every form in every output.
func searchTokens(outputs []huntOutput, forms map[string]string) []string {
	h := newHunter(forms)
	var findings []string
	for _, o := range outputs {
		if found := h.find(o.data); len(found) > 0 {
			findings = append(findings, fmt.Sprintf("%s: %s", o.where, strings.Join(found, "; ")))
		}
	}
	sort.Strings(findings)
	return findings
}

// buildBrowser builds the $BROWSER stand-in.
func buildBrowser(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "oauthbrowser")
	cmd := exec.Command("go", "build", "-o", bin, "mailsetup/internal/testbed/cmd/oauthbrowser")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build oauthbrowser: %v\n%s", err, out)
	}
	return bin
}

// huntTokens searches what the hunt's runs left for every secret the
// authorization server exchanged, and for the passwords' forms.
func huntTokens(t *testing.T, h *tokenHunt, passwordForms map[string]string) TokenHuntFigures {
	secrets := h.w.as.IssuedSecrets() // the matrix's too, if it ran
	kinds := map[string]int{}
	for _, s := range secrets[h.secrets:] {
		kinds[s.Kind]++
	}
	order := []string{testbed.SecretAccessToken, testbed.SecretRefreshToken, testbed.SecretIDToken,
		testbed.SecretCode, testbed.SecretVerifier, testbed.SecretDeviceCode}
	for _, k := range order {
		if kinds[k] == 0 && k != testbed.SecretIDToken {
			t.Errorf("no %s was exchanged: the hunt would not know what to look for", k)
		}
	}
	forms := tokenForms(secrets, []string{oauthEmail, xoauth2Email, echoOAuthEmail})
	// The echo servers must have quoted tokens back, or the refusal paths
	// proved nothing.
	if len(searchTokens([]huntOutput{{"echo", []byte(tokenEchoes.text())}}, forms)) == 0 {
		t.Error("no echo server quoted a token back: that failure path was not exercised")
	}
	addPieces(forms, secrets)
	for f, what := range passwordForms {
		forms[f] = what
	}
	findings := searchTokens(h.outputs, forms)
	for _, f := range findings {
		t.Errorf("secret found: %s", f)
	}
	sort.Strings(h.lines)
	return TokenHuntFigures{Runs: h.lines, Outputs: len(h.outputs), Files: h.files, ExportFiles: h.exportFiles,
		Secrets: kinds, Kinds: order, Forms: len(forms), Findings: findings,
		Shapes: []string{
			"each as issued, URL-escaped, JSON-escaped, and base64 (padded and unpadded)",
			"XOAUTH2's initial response `user=ADDRESS\\x01auth=Bearer TOKEN\\x01\\x01` and OAUTHBEARER's `n,a=ADDRESS,\\x01auth=Bearer TOKEN\\x01\\x01` (and without `a=`), base64, for every account",
			fmt.Sprintf("every %d-character piece of each (a leak cut short or cut out of the middle; of a JOSE token, the random parts: its header and claims are readable JSON, no secret)", pieceLen),
			"the passwords' forms of the password hunt above",
		}}
}

// The hunt's search finds a token whole, escaped, inside a SASL response,
// and cut short or cut out of the middle; a JOSE header alone is no find.
func TestTokenHunterFindsLeaks(t *testing.T) {
	jose := "eyJhbGciOiJBMjU2R0NNS1ciLCJlbmMiOiJBMjU2R0NNIn0.auefe8_XHlGMAgwrku7sLP8aw3Co5pLVuN3nGiF6ttU.faWfDoedZJf4CL-Y.Dgkf9MBC4_GGLofiz8tQVObhpSmF.6vW6x-HtzdLqH1sdAo6RSQ"
	jwtClaims := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://auth.oauth.rel.test","aud":["mailsetup-test"]}`))
	jwt := "eyJhbGciOiJFUzI1NiJ9." + jwtClaims + ".7z7lViT6dqkH4Uuv2OrJPt_wCyQ1cgZSam-d3mh0cTaBSvsO2ak7fuozp8r3DcT8OHgfIrvjAxpcCPpU4CoCKg"
	secrets := []testbed.IssuedSecret{{Kind: testbed.SecretAccessToken, Value: jose}, {Kind: testbed.SecretIDToken, Value: jwt},
		{Kind: testbed.SecretRefreshToken, Value: "5e636ac6-1b7c-4dd2-a9a5-80fe89b1de01"}}
	forms := tokenForms(secrets, []string{oauthEmail})
	addPieces(forms, secrets)
	xoauth2 := base64.StdEncoding.EncodeToString([]byte("user=" + oauthEmail + "\x01auth=Bearer " + jose + "\x01\x01"))
	for text, want := range map[string]string{
		"token: " + jose:                        "access token #1",
		"C: a1 AUTHENTICATE XOAUTH2 " + xoauth2: "XOAUTH2 initial response (base64) with access token #1",
		"cut: " + jose[60:80] + "…":             "a 12-character piece of access token #1",
		`{"rt":"5e636ac6-1b7c-4dd2`:             "a 12-character piece of refresh token #3",
		"sig: " + jwt[len(jwt)-30:]:             "a 12-character piece of ID token #2",
		"header only: " + jose[:40]:             "",
		"claims: " + jwtClaims:                  "",
	} {
		found := searchTokens([]huntOutput{{"out", []byte(text)}}, forms)
		switch {
		case want == "" && len(found) > 0:
			t.Errorf("%q: found %v", text, found)
		case want != "" && (len(found) == 0 || !strings.Contains(found[0], want)):
			t.Errorf("%q: found %v, want %q", text, found, want)
		}
	}
}
