package clients

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// fakeOutlookEnv turns this test binary, copied as OUTLOOK.EXE, into a
// stand-in for Outlook: "record=FILE" writes its arguments to FILE as
// JSON and exits; "wait" stays up for a minute, like an open Outlook.
const fakeOutlookEnv = "MAILSETUP_FAKE_OUTLOOK"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeOutlookEnv); mode != "" {
		os.Exit(fakeOutlook(mode))
	}
	os.Exit(m.Run())
}

func fakeOutlook(mode string) int {
	if file, ok := strings.CutPrefix(mode, "record="); ok {
		data, _ := json.Marshal(os.Args[1:])
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return 1
		}
		return 0
	}
	time.Sleep(time.Minute)
	return 0
}
