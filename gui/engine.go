package gui

import (
	"context"
	"time"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// Settings are the user's choices from the Settings screen, kept in the
// app's preferences.
type Settings struct {
	Language string        // "" (system), "en", "zh-Hans", "zh-Hant"
	DNS      string        // "HOST:PORT", empty = system
	Timeout  time.Duration // whole discovery
	Offline  bool          // no third-party look-ups (ISPDB)
	SOCKS5   string        // "HOST:PORT", empty = direct
	// Trust holds certificate fingerprints the user accepted in a dialog.
	Trust []string
}

// DiscoverRequest is what the Set up screen asks the engine for.
type DiscoverRequest struct {
	Email    string
	Protocol mailcfg.Protocol // pop3 or imap
	Settings Settings
}

// Engine is all the window needs from the engine; tests inject fakes.
type Engine interface {
	// Discover streams progress to onEvent (from engine goroutines) and
	// returns the report.
	Discover(ctx context.Context, req DiscoverRequest, onEvent func(assistant.Event)) (*assistant.Report, error)
	// Login tests one server as the user edited it.
	Login(ctx context.Context, srv mailcfg.Server, password, providerID string, allowInsecure bool, s Settings) assistant.LoginOutcome
	// SendTest sends a message through out and looks for it on in;
	// allowInsecure carries the user's consent to plain-text servers.
	SendTest(ctx context.Context, email string, in, out mailcfg.Server, password string, allowInsecure bool, s Settings) *assistant.SendTest
	// Diagnose examines one server layer by layer.
	Diagnose(ctx context.Context, req assistant.DiagnoseRequest, s Settings) *assistant.Diagnosis
}

// realEngine adapts the assistant package: one assistant.Engine per call,
// built from the current settings.
type realEngine struct {
	wire func(*assistant.Options) error // see Run
}

// NewEngine returns the Engine backed by the real assistant.
func NewEngine(wire func(*assistant.Options) error) Engine { return realEngine{wire: wire} }

// engine builds an assistant.Engine from o.
func (e realEngine) engine(o assistant.Options) (*assistant.Engine, error) {
	if e.wire != nil {
		if err := e.wire(&o); err != nil {
			return nil, err
		}
	}
	return assistant.New(o)
}

func (realEngine) options(s Settings, proto mailcfg.Protocol, allowInsecure bool) assistant.Options {
	return assistant.Options{Protocol: proto, DNS: s.DNS, Timeout: s.Timeout, Offline: s.Offline, SOCKS5: s.SOCKS5,
		Trust: s.Trust, Lang: s.Language, AllowInsecure: allowInsecure}
}

func (e realEngine) Discover(ctx context.Context, req DiscoverRequest, onEvent func(assistant.Event)) (*assistant.Report, error) {
	o := e.options(req.Settings, req.Protocol, false)
	o.OnEvent = onEvent
	eng, err := e.engine(o)
	if err != nil {
		return nil, err
	}
	return eng.Discover(ctx, req.Email)
}

func (e realEngine) Login(ctx context.Context, srv mailcfg.Server, password, providerID string, allowInsecure bool, s Settings) assistant.LoginOutcome {
	eng, err := e.engine(e.options(s, "", allowInsecure))
	if err != nil {
		return assistant.LoginOutcome{Server: srv, Error: err.Error(), Hints: []assistant.Hint{}}
	}
	return eng.LoginServer(ctx, srv, password, providerID, allowInsecure)
}

func (e realEngine) SendTest(ctx context.Context, email string, in, out mailcfg.Server, password string, allowInsecure bool, s Settings) *assistant.SendTest {
	eng, err := e.engine(e.options(s, "", allowInsecure))
	if err != nil {
		return &assistant.SendTest{Error: err.Error()}
	}
	return eng.SendTestTo(ctx, email, in, out, password)
}

func (e realEngine) Diagnose(ctx context.Context, req assistant.DiagnoseRequest, s Settings) *assistant.Diagnosis {
	eng, err := e.engine(e.options(s, "", false))
	if err != nil {
		return &assistant.Diagnosis{Target: req.Server, Steps: []assistant.Step{{Name: "setup", Summary: err.Error()}}}
	}
	return eng.Diagnose(ctx, req)
}
