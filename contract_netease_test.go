package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// NetEase opens the mailbox only to IMAP clients that send ID first. The
// real binary's check, against scripted servers under NetEase's own host
// names that enforce the rule: with ID advertised, mailsetup sends it and
// the check passes; where the server does not advertise ID (so mailsetup
// may not send it) and still demands it, the check fails with exit 1 and
// a hint that names the rule, not "wrong password".
func TestCheckNetEaseIMAPID(t *testing.T) {
	bed := testbed.Start(t)
	start := func(host string, port int, sec mailcfg.Security, proto mailcfg.Protocol, s testbed.Script) *testbed.ScriptedServer {
		ss := bed.Scripted(t, "", port, sec, proto, s)
		bed.AddA(host, ss.IP)
		return ss
	}
	noID := []string{"IMAP4rev1", "SASL-IR", "AUTH=PLAIN", "AUTH=LOGIN"}
	imap163 := start("imap.163.com", 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{RequireIMAPID: true})
	start("smtp.163.com", 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{})
	imap126 := start("imap.126.com", 993, mailcfg.TLS, mailcfg.IMAP, testbed.Script{RequireIMAPID: true, Capabilities: noID})
	start("smtp.126.com", 465, mailcfg.TLS, mailcfg.SMTP, testbed.Script{})

	tests := []struct {
		email    string
		server   *testbed.ScriptedServer
		wantCode int
		wantHint string // first hint of login.incoming; "" = the login works
	}{
		{"alice@163.com", imap163, 0, ""},
		{"alice@126.com", imap126, 1, "netease_unsafe_login"},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			cmd := exec.Command(binary, "check", tt.email, "--protocol", "imap", "--password-stdin", "--json",
				"--dns", bed.DNSAddr, "--ca", bed.CAFile, "--offline", "--timeout", "8s")
			cmd.Env = append(os.Environ(), portmap.Env+"="+bed.DialMapEnv(), "LANG=C.UTF-8")
			cmd.Stdin = strings.NewReader("abcdefghijklmnop\n")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Login struct {
					Incoming struct {
						OK    bool   `json:"ok"`
						Error string `json:"error"`
						Hints []struct {
							ID   string `json:"id"`
							Text string `json:"text"`
						} `json:"hints"`
					} `json:"incoming"`
				} `json:"login"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s\n%s", err, stdout.Bytes(), stderr.Bytes())
			}
			in := doc.Login.Incoming
			if code != tt.wantCode || in.OK != (tt.wantHint == "") {
				t.Errorf("exit %d, incoming ok %v (%s); want exit %d\n%s", code, in.OK, in.Error, tt.wantCode, stderr.Bytes())
			}
			if tt.wantHint != "" {
				if len(in.Hints) == 0 || in.Hints[0].ID != tt.wantHint || !strings.Contains(in.Hints[0].Text, "IMAP ID") {
					t.Errorf("hints %+v, want %s first, naming the IMAP ID rule", in.Hints, tt.wantHint)
				}
				if !strings.Contains(in.Error, "Unsafe Login") {
					t.Errorf("error %q does not carry the server's words", in.Error)
				}
			}
			cmds := strings.Join(tt.server.Commands(), " ")
			sentID := strings.Contains(" "+cmds+" ", " ID ")
			if sentID != (tt.wantHint == "") {
				t.Errorf("commands %q: ID sent %v", cmds, sentID)
			}
		})
	}
}
