package probe

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestRedactClient(t *testing.T) {
	tests := []struct {
		line         string
		secret, cont bool
		want         string
	}{
		{line: "PASS hunter2", want: "PASS ***"},
		{line: "pass hunter2", want: "pass ***"},
		{line: "USER alice", want: "USER alice"},
		{line: "USER alice", secret: true, want: "***"},
		{line: "APOP alice c4c9334bac560ecc979e58001b3e22fb", want: "APOP alice ***"},
		{line: "AUTH PLAIN AGFsaWNlAGh1bnRlcjI=", want: "AUTH PLAIN ***"},
		{line: "AUTH LOGIN", secret: true, want: "AUTH LOGIN"},
		{line: "YWxpY2U=", cont: true, want: "***"},
		{line: "YWxpY2U=", secret: true, want: "***"},
		{line: "YWxpY2U=", want: "YWxpY2U="},
		{line: `T1 LOGIN "alice" "hunter2"`, want: "T1 LOGIN ***"},
		{line: "a01 login alice {7+}", want: "a01 login ***"},
		{line: "T2 AUTHENTICATE PLAIN AGFsaWNlAGh1bnRlcjI=", want: "T2 AUTHENTICATE PLAIN ***"},
		{line: "T2 AUTHENTICATE CRAM-MD5", secret: true, want: "T2 AUTHENTICATE CRAM-MD5"},
		{line: "hunter2", secret: true, want: "***"},
		{line: "EHLO localhost", want: "EHLO localhost"},
		{line: "T3 SELECT INBOX", want: "T3 SELECT INBOX"},
	}
	for _, tt := range tests {
		if got := redactClient(tt.line, tt.secret, tt.cont); got != tt.want {
			t.Errorf("redactClient(%q, secret %v, continuation %v) = %q, want %q", tt.line, tt.secret, tt.cont, got, tt.want)
		}
	}
}

func TestTranscriptLines(t *testing.T) {
	var out syncBuffer
	tr := newTranscript(&out, "h:1")
	tr.addSecret("hunter2", "abc") // "abc" is too short to scrub
	tr.fromServer([]byte("+OK rea"))
	tr.fromServer([]byte("dy\r\n+ \r\n"))
	tr.fromClient([]byte("aHVudGVyMg==\r\n"))
	tr.fromServer([]byte("-ERR your password hunter2 is wrong abc\r\n"))
	tr.fromServer([]byte("bell\x07 and \xff\r\n"))
	tr.fromServer([]byte(strings.Repeat("x", maxLogLine+5) + "\r\n"))
	want := "[h:1] S: +OK ready\n" +
		"[h:1] S: + \n" +
		"[h:1] C: ***\n" +
		"[h:1] S: -ERR your password *** is wrong abc\n" +
		`[h:1] S: bell\x07 and \xff` + "\n" +
		"[h:1] S: " + strings.Repeat("x", maxLogLine) + "… (5 more bytes)\n"
	if out.String() != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", out.String(), want)
	}
	// A nil writer records nothing and does not fail.
	newTranscript(nil, "h:1").fromClient([]byte("PASS x\r\n"))
}

// TestTranscriptGolden pins the shape of a whole conversation.
func TestTranscriptGolden(t *testing.T) {
	pki := certs(t)
	port := (&pop3Script{capa: append([]string{"STLS"}, popCaps...), stls: serverTLS(pki.valid),
		user: testUser, pass: testPass, messages: testMessages}).start(t)
	var log syncBuffer
	o := loginOptions(t, &log)
	o.Mechanism = "PLAIN"
	if r := Login(context.Background(), server(mailcfg.POP3, port, mailcfg.STARTTLS), creds, o); !r.OK {
		t.Fatal(r.Error)
	}
	got := strings.ReplaceAll(log.String(), ":"+strconv.Itoa(port)+"]", ":PORT]")
	got = strings.ReplaceAll(got, "127.0.0.1:"+strconv.Itoa(port)+"\n", "127.0.0.1:PORT\n")
	got = regexp.MustCompile(`(?m)^(\[\S+\] \* )TLS.*$`).ReplaceAllString(got, "${1}TLS (version, cipher, certificate) verified")
	path := filepath.Join("testdata", "pop3_starttls_plain.transcript")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("transcript differs from %s:\n%s", path, got)
	}
}
