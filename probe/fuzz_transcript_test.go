package probe

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzTranscriptRedaction feeds arbitrary client and server bytes through
// a login's transcript: whatever is sent, in whatever pieces, neither the
// password nor its base64 forms may reach the transcript.
func FuzzTranscriptRedaction(f *testing.F) {
	for _, seed := range []struct{ pw, client, server string }{
		{"s3cret-pw", "USER alice\r\nPASS s3cret-pw\r\n", "+OK\r\n+OK\r\n"},
		{"s3cret-pw", "a1 LOGIN alice s3cret-pw\r\n", "a1 NO [AUTHENTICATIONFAILED] you sent s3cret-pw\r\n"},
		{"s3cret-pw", "AUTH PLAIN AGFsaWNlAHMzY3JldC1wdw==\r\n", "535 AGFsaWNlAHMzY3JldC1wdw==\r\n"},
		{"s3cret-pw", "AUTH LOGIN\r\nYWxpY2U=\r\nczNjcmV0LXB3\r\n", "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n"},
		{"pass word", "a2 AUTHENTICATE PLAIN\r\n{9}\r\npass word\r\n", "+ \r\n"},
		{"s3cret-pw", strings.Repeat("x", 1020) + "s3cret-pw\r\n", ""},
	} {
		f.Add(seed.pw, []byte(seed.client), []byte(seed.server), uint8(7))
	}
	f.Fuzz(func(t *testing.T, pw string, client, server []byte, piece uint8) {
		if len(pw) < 4 || len(pw) > 64 || strings.ContainsFunc(pw, func(r rune) bool { return r < ' ' || r > '~' }) {
			return // passwords a person types; shorter ones are not scrubbed on purpose
		}
		var out bytes.Buffer
		tr := newTranscript(&out, "[mail.example.test:1]")
		tr.addSecret(secretForms(Credentials{Username: "alice", Password: pw})...)
		tr.setSecret(true)
		n := int(piece%32) + 1
		for len(client) > 0 || len(server) > 0 {
			k := min(n, len(client))
			tr.fromClient(client[:k])
			client = client[k:]
			k = min(n, len(server))
			tr.fromServer(server[:k])
			server = server[k:]
		}
		text := out.String()
		for _, form := range []string{pw, base64.StdEncoding.EncodeToString([]byte(pw)),
			base64.StdEncoding.EncodeToString([]byte("\x00alice\x00" + pw))} {
			if strings.Contains(text, form) {
				t.Fatalf("transcript holds %q:\n%s", form, text)
			}
		}
	})
}
