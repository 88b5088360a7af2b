package gui

import (
	"context"
	"sync"

	"mailsetup/assistant"
	"mailsetup/hints"
	"mailsetup/mailcfg"
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
}

type loginCall struct {
	srv           mailcfg.Server
	password      string
	allowInsecure bool
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

func (e *fakeEngine) Check(_ context.Context, rep *assistant.Report, q assistant.LoginRequest, _ Settings, onEvent func(assistant.Event)) *assistant.LoginReport {
	login := &assistant.LoginReport{}
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		srv := *q.Incoming
		if role == mailcfg.Outgoing {
			srv = *q.Outgoing
		}
		e.mu.Lock()
		e.logins = append(e.logins, loginCall{srv, q.Password, q.Grants.Plaintext.Covers(srv)})
		out, ok := e.loginResult[srv.Host]
		e.mu.Unlock()
		if ok {
			out.Server = srv
		} else {
			out = assistant.LoginOutcome{OK: true, Server: srv, Username: srv.Username, Method: "password", Mechanism: "PLAIN",
				Messages: 3, Hints: []hints.Hint{}}
		}
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
