package gui

import (
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// harness drives a window on a test app: UI updates from workers are
// queued and applied on the test goroutine, so the tests are free of races
// and of timing.
type harness struct {
	t   *testing.T
	app fyne.App
	u   *ui
	eng *fakeEngine // nil on the real engine

	mu    sync.Mutex
	queue []func()

	asked  []string // titles of the questions the window asked
	answer bool     // what the user answers

	browser *browser // the OAuth2 sign-in pages the window opened
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
	h := newHarnessEngine(t, a, eng)
	h.eng = eng
	return h
}

// newHarnessEngine builds a window on a and eng, the real engine or a fake.
func newHarnessEngine(t *testing.T, a fyne.App, eng Engine) *harness {
	t.Helper()
	// The OAuth2 client IDs go to the test's own configuration folder,
	// the same for every window of the test.
	t.Setenv("XDG_CONFIG_HOME", testConfigDir(t))
	h := &harness{t: t, app: a, answer: true}
	h.u = newUI(a, eng)
	h.u.do = h.enqueue
	h.browser = &browser{}
	h.u.openBrowser = h.browser.open // never the system's browser
	h.u.ask = func(title, _ string, _ fyne.CanvasObject, answer func(bool)) {
		h.asked = append(h.asked, title)
		answer(h.answer)
	}
	t.Cleanup(func() { h.u.win.Close() })
	return h
}

var configDirs sync.Map // *testing.T → its configuration folder

func testConfigDir(t *testing.T) string {
	if d, ok := configDirs.Load(t); ok {
		return d.(string)
	}
	d := t.TempDir()
	configDirs.Store(t, d)
	return d
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

// pressEnter sends Return to a focusable widget, as the keyboard would.
func pressEnter(w fyne.Focusable) {
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

const testPassword = "s3cret-Passw0rd"
