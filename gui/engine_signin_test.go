package gui

import (
	"context"
	"errors"
	"testing"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// The address page's protocol is the user's choice: every discovery the
// window starts tells the engine so; other engines it builds do not.
func TestProtocolIsAChoice(t *testing.T) {
	stop := errors.New("stop here")
	var chosen []bool
	eng := NewEngine(func(o *assistant.Options) error {
		chosen = append(chosen, o.ProtocolChosen)
		return stop
	})
	req := DiscoverRequest{Email: "alice@example.test", Protocol: mailcfg.IMAP}
	if _, err := eng.Discover(context.Background(), req, nil); !errors.Is(err, stop) {
		t.Fatal(err)
	}
	if _, err := eng.DiscoverAndCheck(context.Background(), req, assistant.LoginRequest{Password: "x"}, nil); !errors.Is(err, stop) {
		t.Fatal(err)
	}
	if _, err := eng.SignIn(context.Background(), &assistant.Report{Email: req.Email}, assistant.SignInRequest{}, Settings{}); !errors.Is(err, stop) {
		t.Fatal(err)
	}
	if len(chosen) != 3 || !chosen[0] || !chosen[1] || chosen[2] {
		t.Errorf("ProtocolChosen per engine built: %v, want discover, discover-and-check yes, sign-in no", chosen)
	}
}
