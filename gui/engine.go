package gui

import (
	"context"
	"time"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/l10n"
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
// Every decision (ranking, recommendation, consents, the account to
// export) is the engine's: the window shows the report and passes back
// the user's answers.
type Engine interface {
	// Discover streams progress to onEvent (from engine goroutines) and
	// returns the report.
	Discover(ctx context.Context, req DiscoverRequest, onEvent func(assistant.Event)) (*assistant.Report, error)
	// DiscoverAndCheck discovers with the password given up front and logs
	// in on each role the moment it settles (LoginFinished events as each
	// login ends); the report carries the logins. A server that needs a
	// consent q does not grant gets nothing (its outcome's Needs).
	DiscoverAndCheck(ctx context.Context, req DiscoverRequest, q assistant.LoginRequest, onEvent func(assistant.Event)) (*assistant.Report, error)
	// SignIn signs the user in with OAuth2 for rep's account; the session
	// goes into LoginRequest.OAuth. Nothing is sent without a client ID.
	SignIn(ctx context.Context, rep *assistant.Report, q assistant.SignInRequest, s Settings) (*assistant.OAuthSession, error)
	// Check logs in on both servers of q (the edited cards) through the
	// engine's one login path; each role's outcome also comes to onEvent
	// as it finishes. rep is the window's copy: Check records the logins in it.
	Check(ctx context.Context, rep *assistant.Report, q assistant.LoginRequest, s Settings, onEvent func(assistant.Event)) *assistant.LoginReport
	// SendTest sends a message through the outgoing server of rep's
	// successful check and looks for it on the incoming one.
	SendTest(ctx context.Context, rep *assistant.Report, q assistant.LoginRequest, s Settings) *assistant.SendTest
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

// engine builds an assistant.Engine from the settings.
func (e realEngine) engine(s Settings, proto mailcfg.Protocol, onEvent func(assistant.Event)) (*assistant.Engine, error) {
	return e.build(s, proto, onEvent, nil)
}

// build is engine with adjust applied to the options before the wiring.
func (e realEngine) build(s Settings, proto mailcfg.Protocol, onEvent func(assistant.Event), adjust func(*assistant.Options)) (*assistant.Engine, error) {
	o := assistant.Options{Protocol: proto, DNS: s.DNS, Timeout: s.Timeout, Offline: s.Offline, SOCKS5: s.SOCKS5,
		Trust: s.Trust, Lang: s.Language, OnEvent: onEvent}
	if adjust != nil {
		adjust(&o)
	}
	if e.wire != nil {
		if err := e.wire(&o); err != nil {
			return nil, err
		}
	}
	return assistant.New(o)
}

func (e realEngine) Discover(ctx context.Context, req DiscoverRequest, onEvent func(assistant.Event)) (*assistant.Report, error) {
	eng, err := e.discoverer(req, onEvent)
	if err != nil {
		return nil, err
	}
	return eng.Discover(ctx, req.Email)
}

// discoverer builds the engine of a discovery: the protocol of the
// address page's radio is the user's choice (Options.ProtocolChosen).
func (e realEngine) discoverer(req DiscoverRequest, onEvent func(assistant.Event)) (*assistant.Engine, error) {
	return e.build(req.Settings, req.Protocol, onEvent, func(o *assistant.Options) { o.ProtocolChosen = true })
}

func (e realEngine) Check(ctx context.Context, rep *assistant.Report, q assistant.LoginRequest, s Settings, onEvent func(assistant.Event)) *assistant.LoginReport {
	eng, err := e.engine(s, rep.Protocol, onEvent)
	if err != nil {
		return setupFailed(err)
	}
	eng.Check(ctx, rep, q)
	return rep.Login
}

func (e realEngine) SendTest(ctx context.Context, rep *assistant.Report, q assistant.LoginRequest, s Settings) *assistant.SendTest {
	eng, err := e.engine(s, rep.Protocol, nil)
	if err != nil {
		return &assistant.SendTest{Error: err.Error()}
	}
	return eng.SendTest(ctx, rep, q)
}

func (e realEngine) Diagnose(ctx context.Context, req assistant.DiagnoseRequest, s Settings) *assistant.Diagnosis {
	eng, err := e.engine(s, "", nil)
	if err != nil {
		return &assistant.Diagnosis{Target: req.Server, Steps: []assistant.Step{{Name: "setup", Summary: err.Error()}}}
	}
	return eng.Diagnose(ctx, req)
}

// setupFailed is the login report of an engine that could not be built
// (a setting the engine refuses).
func setupFailed(err error) *assistant.LoginReport {
	out := func() *assistant.LoginOutcome {
		return &assistant.LoginOutcome{Error: err.Error(), Reason: l10n.M("login.failed", "detail", err.Error()), Hints: []hints.Hint{}}
	}
	return &assistant.LoginReport{Incoming: out(), Outgoing: out()}
}
