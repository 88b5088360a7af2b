package export

// The real clients read the OAuth2 exports: each must load its file
// without a complaint and report the token mechanism the file asks for,
// and no password source. (Signing in for real needs an OAuth2 issuer and
// a dovecot taking its tokens; that is the engine's test bed's business.)

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestJudgeOAuthMsmtpMpop(t *testing.T) {
	cases := []struct {
		tool, format string
		acct         int
		auth         string
	}{
		{"msmtp", "msmtp", 0, "XOAUTH2"},
		{"msmtp", "msmtp", 1, "OAUTHBEARER"},
		{"mpop", "mpop", 1, "XOAUTH2"},
	}
	for _, c := range cases {
		ta := oauthAccounts[c.acct]
		t.Run(c.tool+"/"+ta.name, func(t *testing.T) {
			needTool(t, c.tool)
			out, _ := mustRender(t, c.format, judgeCase{ta.name, ta.acct, Options{}})
			e := newJudgeEnv(t)
			rc := e.write(t, "rc", out)
			if c.tool == "mpop" {
				// mpop checks that the Maildir exists before it pretends.
				if err := os.MkdirAll(filepath.Join(e.home, "Mail", ta.acct.Email, "INBOX"), 0o700); err != nil {
					t.Fatal(err)
				}
			}
			got := keyValues(e.run(t, c.tool, "--file="+rc, "--pretend"))
			expectKV(t, got, map[string]string{"auth": c.auth, "password": "(not set)", "passwordeval": "(not set)",
				"user": ta.acct.Email, "tls": "on"})
		})
	}
}

func TestJudgeOAuthMutt(t *testing.T) {
	for _, tool := range []string{"mutt", "neomutt"} {
		t.Run(tool, func(t *testing.T) {
			needTool(t, tool)
			for _, c := range []struct {
				acct  int
				names []string
				want  []string
			}{
				{0, []string{"imap_authenticators", "smtp_authenticators", "imap_oauth_refresh_command", "imap_pass", "smtp_pass"},
					[]string{"xoauth2", "xoauth2", "", "", ""}},
				// NeoMutt has no XOAUTH2 for POP3: the line stays commented,
				// so both read the file without an error.
				{1, []string{"pop_authenticators", "smtp_authenticators", "pop_oauth_refresh_command", "pop_pass"},
					[]string{"", "oauthbearer", "", ""}},
			} {
				ta := oauthAccounts[c.acct]
				out, _ := mustRender(t, "mutt", judgeCase{ta.name, ta.acct, Options{}})
				e := newJudgeEnv(t)
				rc := e.write(t, "muttrc", out)
				args := []string{"-n", "-F", rc}
				for _, n := range c.names {
					args = append(args, "-Q", n)
				}
				e.runQuiet(t, tool, args...)
				got := muttQuery(t, e, tool, rc, c.names...)
				for i := range c.names {
					if got[i] != c.want[i] {
						t.Errorf("%s: %s = %q, want %q", ta.name, c.names[i], got[i], c.want[i])
					}
				}
			}
		})
	}
}

func TestJudgeOAuthGetmail(t *testing.T) {
	needTool(t, "getmail")
	ta := oauthAccounts[0]
	out, _ := mustRender(t, "getmail", judgeCase{ta.name, ta.acct, Options{}})
	e := newJudgeEnv(t)
	e.maildir(t, ta.acct.Email)
	e.write(t, "getmailrc", out)
	dump := e.run(t, "getmail", "--getmaildir="+e.home, "--rcfile=getmailrc", "--dump")
	for _, w := range []string{"retriever:  SimpleIMAPSSLRetriever(", `use_xoauth2="True"`, `password_command="()"`, `server="outlook.office365.com"`} {
		if !strings.Contains(dump, w) {
			t.Errorf("getmail --dump lacks %s:\n%s", w, dump)
		}
	}
}

// fetchmail reads the file, and finds nothing to poll: the entry that
// would send a password is commented out.
func TestJudgeOAuthFetchmail(t *testing.T) {
	needTool(t, "fetchmail")
	ta := oauthAccounts[0]
	out, _ := mustRender(t, "fetchmail", judgeCase{ta.name, ta.acct, Options{}})
	e := newJudgeEnv(t)
	dump := e.run(t, "fetchmail", "-f", e.write(t, "fetchmailrc", out), "--configdump")
	if !strings.Contains(dump, "'servers': []") || strings.Contains(dump, "outlook.office365.com") {
		t.Errorf("fetchmail would poll something:\n%s", dump)
	}
}

func TestJudgeOAuthXMLLint(t *testing.T) {
	needTool(t, "xmllint")
	for _, ta := range oauthAccounts {
		for _, id := range []string{"thunderbird", "outlook-autodiscover", "apple"} {
			out, _ := mustRender(t, id, judgeCase{ta.name, ta.acct, Options{Seed: testSeed}})
			e := newJudgeEnv(t)
			e.runQuiet(t, "xmllint", "--noout", "--nonet", e.write(t, "f.xml", out))
		}
	}
}
