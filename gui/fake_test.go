package gui

import (
	"context"
	"sync"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/mailcfg"
	"mailsetup/oauth"
)

// fakeEngine plays the engine: it emits scripted events, returns a
// scripted report and records what the window asked of it.
type fakeEngine struct {
	events []assistant.Event
	report *assistant.Report
	err    error
	// gate, when set, holds Discover after its events until it is closed
	// or the context ends; started is closed once the events are out.
	gate    chan struct{}
	started chan struct{}

	mu          sync.Mutex
	discoveries []DiscoverRequest
	discoverCtx error // the context's error when Discover returned
	logins      []loginCall
	loginResult map[string]assistant.LoginOutcome // by host
	diagnoses   []assistant.DiagnoseRequest
	diagnosis   *assistant.Diagnosis
	sendTest    *assistant.SendTest
	// early are the login requests of DiscoverAndCheck.
	early []assistant.LoginRequest
	// signIns are the sign-in requests; signInErr fails them.
	signIns   []assistant.SignInRequest
	signInErr error
}

type loginCall struct {
	srv           mailcfg.Server
	password      string
	allowInsecure bool
	oauth         bool // with an OAuth2 session instead of the password
}

func (e *fakeEngine) Discover(ctx context.Context, req DiscoverRequest, onEvent func(assistant.Event)) (*assistant.Report, error) {
	e.mu.Lock()
	e.discoveries = append(e.discoveries, req)
	e.mu.Unlock()
	for _, ev := range e.events {
		onEvent(ev)
	}
	if e.started != nil {
		close(e.started)
	}
	if e.gate != nil {
		select {
		case <-e.gate:
		case <-ctx.Done():
			e.mu.Lock()
			e.discoverCtx = ctx.Err()
			e.mu.Unlock()
			return nil, ctx.Err()
		}
	}
	return e.report, e.err
}

// login plays one login on srv: the scripted outcome for its host, else
// a success.
func (e *fakeEngine) login(srv mailcfg.Server, q assistant.LoginRequest) assistant.LoginOutcome {
	e.mu.Lock()
	e.logins = append(e.logins, loginCall{srv, q.Password, q.Grants.Plaintext.Covers(srv), q.OAuth != nil})
	out, ok := e.loginResult[srv.Host]
	e.mu.Unlock()
	if ok {
		out.Server = srv
		return out
	}
	method, mech := "password", "PLAIN"
	if q.OAuth != nil {
		method, mech = "oauth2", "XOAUTH2"
	}
	return assistant.LoginOutcome{OK: true, Server: srv, Username: srv.Username, Method: method, Mechanism: mech,
		Messages: 3, Hints: []hints.Hint{}}
}

// DiscoverAndCheck discovers as Discover does, then logs in on each
// recommended server whose consents q grants, as the engine would.
func (e *fakeEngine) DiscoverAndCheck(ctx context.Context, req DiscoverRequest, q assistant.LoginRequest, onEvent func(assistant.Event)) (*assistant.Report, error) {
	e.mu.Lock()
	e.early = append(e.early, q)
	e.mu.Unlock()
	rep, err := e.Discover(ctx, req, onEvent)
	if rep == nil {
		return nil, err
	}
	cp := *rep
	login := &assistant.LoginReport{}
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		var out assistant.LoginOutcome
		srv := cp.Recommendation(role)
		switch {
		case srv == nil:
			out = assistant.LoginOutcome{Error: "no server", Hints: []hints.Hint{}}
		case len(q.Grants.Missing(cp.Consents(role, *srv, nil))) > 0:
			out = assistant.LoginOutcome{Server: *srv, Error: "needs consent", Needs: q.Grants.Missing(cp.Consents(role, *srv, nil)), Hints: []hints.Hint{}}
		default:
			onEvent(assistant.Event{Kind: assistant.LoginStarted, Role: role})
			out = e.login(*srv, q)
		}
		if role == mailcfg.Incoming {
			login.Incoming = &out
		} else {
			login.Outgoing = &out
		}
		onEvent(assistant.Event{Kind: assistant.LoginFinished, Role: role, Login: &out})
	}
	cp.Login = login
	return &cp, err
}

// SignIn shows a sign-in page in the window's browser and returns a
// session; without a client ID it sends nothing, as the engine does.
func (e *fakeEngine) SignIn(ctx context.Context, rep *assistant.Report, q assistant.SignInRequest, _ Settings) (*assistant.OAuthSession, error) {
	e.mu.Lock()
	e.signIns = append(e.signIns, q)
	err := e.signInErr
	e.mu.Unlock()
	if q.ClientID == "" {
		return nil, &oauth.NoClientIDError{Issuer: "Microsoft", RegisterURL: "https://entra.microsoft.com/"}
	}
	if q.OpenBrowser != nil {
		if err := q.OpenBrowser(ctx, "https://login.example.test/authorize?client_id="+q.ClientID); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	return &assistant.OAuthSession{}, nil
}

func (e *fakeEngine) Check(_ context.Context, rep *assistant.Report, q assistant.LoginRequest, _ Settings, onEvent func(assistant.Event)) *assistant.LoginReport {
	login := &assistant.LoginReport{}
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		srv := *q.Incoming
		if role == mailcfg.Outgoing {
			srv = *q.Outgoing
		}
		out := e.login(srv, q)
		if role == mailcfg.Incoming {
			login.Incoming = &out
		} else {
			login.Outgoing = &out
		}
		onEvent(assistant.Event{Kind: assistant.LoginFinished, Role: role, Login: &out})
	}
	rep.Login = login
	return login
}

func (e *fakeEngine) SendTest(context.Context, *assistant.Report, assistant.LoginRequest, Settings) *assistant.SendTest {
	if e.sendTest != nil {
		return e.sendTest
	}
	return &assistant.SendTest{Sent: true, Arrived: true, ElapsedMS: 1200}
}

func (e *fakeEngine) Diagnose(_ context.Context, req assistant.DiagnoseRequest, _ Settings) *assistant.Diagnosis {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.diagnoses = append(e.diagnoses, req)
	d := *e.diagnosis
	d.Target = req.Server
	return &d
}
