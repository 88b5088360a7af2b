package pop3

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/emersion/go-sasl"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestTranscriptGolden runs a whole session and compares its transcript
// with testdata/session.golden; go test -update rewrites it.
func TestTranscriptGolden(t *testing.T) {
	var tr bytes.Buffer
	c := connect(t, &Options{Transcript: &tr},
		"S: +OK Dovecot ready. <4711.1@pop.example.test>",
		"C: CAPA", "S: +OK", "S: USER", "S: SASL PLAIN LOGIN CRAM-MD5", "S: RESP-CODES", "S: .",
		"C: USER "+testUser, "S: +OK",
		"C: PASS "+testPassword, "S: -ERR [AUTH] Authentication failed.",
		"C: APOP "+testUser+" "+apopDigest("<4711.1@pop.example.test>", testPassword), "S: -ERR [AUTH] Authentication failed.",
		"C: AUTH PLAIN "+b64("\x00"+testUser+"\x00"+testPassword), "S: -ERR [AUTH] Authentication failed.",
		"C: AUTH LOGIN "+b64(testUser), "S: + UGFzc3dvcmQ6", "C: "+b64(testPassword), "S: -ERR [LOGIN-DELAY] wait",
		"C: AUTH CRAM-MD5", "S: + PDEyMzRAaG9zdD4=", "C: *", "S: -ERR cancelled",
		"C: STAT", "S: -ERR [AUTH] not logged in",
		"C: QUIT", "S: +OK Logging out.")
	ctx := testCtx(t)
	c.Capa(ctx)
	c.Login(ctx, testUser, testPassword)
	c.APOP(ctx, testUser, testPassword)
	c.Auth(ctx, sasl.NewPlainClient("", testUser, testPassword))
	c.Auth(ctx, sasl.NewLoginClient(testUser, testPassword))
	c.Auth(ctx, &failingMech{})
	c.Stat(ctx)
	if err := c.Quit(ctx); err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "transcript", tr.String(), testPassword)

	golden := filepath.Join("testdata", "session.golden")
	if *update {
		if err := os.WriteFile(golden, tr.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tr.Bytes(), want) {
		t.Errorf("transcript differs from %s:\n--- got\n%s--- want\n%s", golden, tr.Bytes(), want)
	}
}

// failingMech refuses its first challenge, to exercise the "*" path.
type failingMech struct{}

func (failingMech) Start() (string, []byte, error) { return "CRAM-MD5", nil, nil }
func (failingMech) Next([]byte) ([]byte, error)    { return nil, sasl.ErrUnexpectedServerChallenge }
