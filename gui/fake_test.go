package gui

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/discover"
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

// harness drives a window on a test app: UI updates from workers are
// queued and applied on the test goroutine, so the tests are free of races
// and of timing.
type harness struct {
	t   *testing.T
	app fyne.App
	u   *ui
	eng *fakeEngine

	mu    sync.Mutex
	queue []func()

	asked  []string // titles of the questions the window asked
	answer bool     // what the user answers
}

func newHarness(t *testing.T, eng *fakeEngine) *harness {
	t.Helper()
	t.Setenv("LANGUAGE", "en")
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, "en")
	return newHarnessOn(t, a, eng)
}

// newHarnessOn builds a window on an existing app (to read back its preferences).
func newHarnessOn(t *testing.T, a fyne.App, eng *fakeEngine) *harness {
	t.Helper()
	h := &harness{t: t, app: a, eng: eng, answer: true}
	h.u = newUI(a, eng)
	h.u.do = h.enqueue
	h.u.ask = func(title, _ string, _ fyne.CanvasObject, answer func(bool)) {
		h.asked = append(h.asked, title)
		answer(h.answer)
	}
	t.Cleanup(func() { h.u.win.Close() })
	return h
}

func (h *harness) enqueue(f func()) {
	h.mu.Lock()
	h.queue = append(h.queue, f)
	h.mu.Unlock()
}

// drain applies the queued UI updates.
func (h *harness) drain() {
	for {
		h.mu.Lock()
		q := h.queue
		h.queue = nil
		h.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

// settle waits for every background job and applies what they sent.
func (h *harness) settle() {
	for {
		h.u.work.Wait()
		h.mu.Lock()
		empty := len(h.queue) == 0
		h.mu.Unlock()
		if empty {
			return
		}
		h.drain()
	}
}

// texts collects the visible texts under o: labels, buttons, entries,
// links, card titles and plain canvas texts.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
			return
		case *widget.Hyperlink:
			out = append(out, w.Text)
			return
		case *widget.Button:
			out = append(out, w.Text)
			return
		case *widget.Check:
			out = append(out, w.Text)
			return
		case *widget.Card:
			out = append(out, w.Title, w.Subtitle)
		case *canvas.Text:
			out = append(out, w.Text)
			return
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// shows reports whether the window shows a text containing s.
func (h *harness) shows(s string) bool {
	for _, t := range texts(h.u.win.Content()) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// iconKind tells what a status icon means: success, warning, error,
// disabled or pending, and which theme icon it is drawn from.
func iconKind(r fyne.Resource) (kind, base string) {
	name := r.Name()
	if i := strings.IndexByte(name, '_'); i >= 0 {
		base = name[i+1:]
	}
	switch res := r.(type) {
	case *theme.ErrorThemedResource:
		return "error", base
	case *theme.DisabledResource:
		return "disabled", base
	case *theme.ThemedResource:
		switch res.ColorName {
		case theme.ColorNameSuccess:
			return "success", base
		case theme.ColorNameWarning:
			return "warning", base
		}
		if name == theme.ViewRefreshIcon().Name() {
			return "pending", base
		}
	}
	return "other", base
}

// baseName is the file behind a theme icon.
func baseName(r fyne.Resource) string {
	_, b := iconKind(r)
	return b
}

// qqReport is a discovery of alice@qq.com: POP3 and SMTP fine, an IMAP
// server with a bad certificate, a plain-text POP3 server, a timeout.
func qqReport() *assistant.Report {
	in := mailcfg.Server{Protocol: mailcfg.POP3, Host: "pop.qq.com", Port: 995, Security: mailcfg.TLS, Username: "alice@qq.com"}
	out := mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.qq.com", Port: 465, Security: mailcfg.TLS, Username: "alice@qq.com"}
	builtin := []discover.SourceName{"builtin"}
	return &assistant.Report{
		Email:       "alice@qq.com",
		Provider:    &assistant.ProviderRef{ID: "qq", Name: "QQ Mail"},
		Recommended: assistant.Recommended{Incoming: &in, Outgoing: &out},
		Candidates: []assistant.Candidate{
			{Role: mailcfg.Incoming, Protocol: mailcfg.POP3, Host: "pop.qq.com", Port: 995, Security: mailcfg.TLS,
				Sources: builtin, Status: mailcfg.StatusOK, Username: "alice@qq.com", Trusted: true, ElapsedMS: 84},
			{Role: mailcfg.Incoming, Protocol: mailcfg.IMAP, Host: "imap.qq.com", Port: 993, Security: mailcfg.TLS,
				Sources: builtin, Status: mailcfg.StatusCertInvalid, Username: "alice@qq.com", Trusted: true, ElapsedMS: 95,
				Error: "x509: certificate signed by unknown authority",
				TLS: assistant.TLSFacts{Version: "TLS1.3", Error: "x509: certificate signed by unknown authority",
					Problem: "unknown_authority", Subject: "CN=imap.qq.com", Issuer: "CN=Lab CA", Names: []string{"imap.qq.com"},
					NotAfter: "2030-01-01T00:00:00Z", SHA256: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"}},
			{Role: mailcfg.Incoming, Protocol: mailcfg.POP3, Host: "mail.qq.com", Port: 110, Security: mailcfg.STARTTLS,
				Sources: []discover.SourceName{"guess"}, Status: mailcfg.StatusInsecure, Username: "alice@qq.com", Trusted: true,
				Error: "STARTTLS not offered", ElapsedMS: 40},
			{Role: mailcfg.Incoming, Protocol: mailcfg.IMAP, Host: "imap.evil.test", Port: 993, Security: mailcfg.TLS,
				Sources: []discover.SourceName{"autoconfig"}, Status: mailcfg.StatusOK, Username: "alice@qq.com", Trusted: false,
				Why: "autoconfig over plain HTTP", ElapsedMS: 120},
			{Role: mailcfg.Outgoing, Protocol: mailcfg.SMTP, Host: "smtp.qq.com", Port: 465, Security: mailcfg.TLS,
				Sources: builtin, Status: mailcfg.StatusOK, Username: "alice@qq.com", Trusted: true, ElapsedMS: 77},
			{Role: mailcfg.Outgoing, Protocol: mailcfg.SMTP, Host: "mail.qq.com", Port: 25, Security: mailcfg.STARTTLS,
				Sources: []discover.SourceName{"guess"}, Status: mailcfg.StatusAbandoned, Username: "alice@qq.com", Trusted: true},
		},
		Notes: []hints.Hint{
			{ID: "qq_auth_code", Severity: "info", Text: "QQ Mail wants an authorization code (授权码) as the password.", URL: "https://service.mail.qq.com/"},
			{ID: "lab_note", Severity: "info", Text: "This mailbox lives in the lab."},
			{ID: "cert_unknown_authority", Severity: "warning", Text: "imap.qq.com shows a certificate from an unknown authority."},
		},
		Hints: []string{},
	}
}

// qqEvents is the progress of that discovery as the engine would report it;
// the outgoing port 25 probe is still pending when the events stop.
func qqEvents(rep *assistant.Report) []assistant.Event {
	evs := []assistant.Event{{Kind: assistant.SourceStarted, Source: "builtin"}, {Kind: assistant.SourceStarted, Source: "guess"}}
	for i := range rep.Candidates {
		c := rep.Candidates[i]
		pending := c
		pending.Status = mailcfg.StatusPending
		pending.Error = ""
		evs = append(evs, assistant.Event{Kind: assistant.CandidateAdded, Candidate: &pending})
	}
	for i := range rep.Candidates {
		c := rep.Candidates[i]
		if c.Status == mailcfg.StatusAbandoned {
			phase := assistant.Event{Kind: assistant.ProbePhase, Phase: "connect", Candidate: &assistant.Candidate{
				Role: c.Role, Protocol: c.Protocol, Host: c.Host, Port: c.Port, Security: c.Security}}
			evs = append(evs, phase)
			continue
		}
		evs = append(evs, assistant.Event{Kind: assistant.ProbeFinished, Candidate: &c})
	}
	return append(evs, assistant.Event{Kind: assistant.SourceFinished, Source: "builtin"})
}
