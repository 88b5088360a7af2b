package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
	"mailsetup/internal/wine"
)

// The Windows build, run for real under Wine (Debian's wine64 8.0) against
// the same test bed as the Linux binary, answering the same questions the
// same way. make test builds the programs (MAILSETUP_WIN_BIN: the testhooks
// .exe; MAILSETUP_WIN_RELEASE_BIN: the release .exe; MAILSETUP_MSI); run
// alone, these tests build them. One throw-away Wine prefix serves the
// whole test binary. A Linux machine without Wine fails these tests; other
// systems skip them.

var wineState struct {
	once   sync.Once
	prefix *wine.Prefix
	err    error
}

// wineSlots bounds how many Windows programs run at once.
var wineSlots = make(chan struct{}, 4)

// winePrefix returns the shared prefix, making it on first use.
func winePrefix(t *testing.T) *wine.Prefix {
	t.Helper()
	if err := wine.Check(); errors.Is(err, wine.ErrNotLinux) {
		t.Skip(err)
	} else if err != nil {
		t.Fatal(err)
	}
	wineState.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		start := time.Now()
		wineState.prefix, wineState.err = wine.NewPrefix(ctx, "")
		fmt.Fprintf(os.Stderr, "wine: prefix ready in %v\n", time.Since(start).Round(time.Second))
	})
	if wineState.err != nil {
		t.Fatal(wineState.err)
	}
	return wineState.prefix
}

// closeWine ends the prefix's programs and removes it (TestMain).
func closeWine() {
	if wineState.prefix != nil {
		wineState.prefix.Close()
	}
}

var winBuilds struct {
	sync.Mutex
	dir   string
	built map[string]string
}

// windowsProgram returns a Windows build: "testhooks" (reaches the bed),
// "release" (with its resources) or "wintool" (internal/wine/wintool),
// from make's environment or built here once.
func windowsProgram(t *testing.T, kind string) string {
	t.Helper()
	env := map[string]string{"testhooks": "MAILSETUP_WIN_BIN", "release": "MAILSETUP_WIN_RELEASE_BIN"}[kind]
	if p := os.Getenv(env); env != "" && p != "" {
		return p
	}
	winBuilds.Lock()
	defer winBuilds.Unlock()
	if p, ok := winBuilds.built[kind]; ok {
		return p
	}
	if winBuilds.dir == "" {
		dir, err := os.MkdirTemp("", "mailsetup-winbuild-")
		if err != nil {
			t.Fatal(err)
		}
		winBuilds.dir, winBuilds.built = dir, map[string]string{}
	}
	out := filepath.Join(winBuilds.dir, kind+".exe")
	var cmd *exec.Cmd
	switch kind {
	case "testhooks":
		cmd = exec.Command("go", "build", "-trimpath", "-tags", "testhooks", "-ldflags", "-H windowsgui", "-o", out, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOOS=windows", "GOARCH=amd64", "CC="+wine.MinGW)
	case "release":
		res := exec.Command("scripts/winres.sh", "rsrc_windows_amd64.syso", "0.1.0", "1", "dev")
		if b, err := res.CombinedOutput(); err != nil {
			t.Fatalf("winres.sh: %v\n%s", err, b)
		}
		cmd = exec.Command("go", "build", "-trimpath", "-ldflags", "-H windowsgui", "-o", out, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOOS=windows", "GOARCH=amd64", "CC="+wine.MinGW)
	case "wintool":
		cmd = exec.Command("go", "build", "-trimpath", "-o", out, "./internal/wine/wintool")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64")
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the Windows %s program: %v\n%s", kind, err, b)
	}
	winBuilds.built[kind] = out
	return out
}

// result is one run of a binary.
type result struct {
	code           int
	stdout, stderr []byte
}

// runWindows runs the testhooks .exe under Wine, reaching the bed.
func runWindows(t *testing.T, p *wine.Prefix, bed *testbed.Bed, stdin string, args ...string) result {
	t.Helper()
	// A few programs at a time: a dozen Wine processes at once, beside the
	// race-enabled tests of the other packages, starved each other on a
	// 2-CPU machine until one missed its deadline.
	wineSlots <- struct{}{}
	defer func() { <-wineSlots }()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := p.Command(ctx, windowsProgram(t, "testhooks"), args...)
	cmd.Env = append(cmd.Env, portmap.Env+"="+bed.DialMapEnv(), "LANG=C.UTF-8")
	stdout, stderr, err := p.Exec(cmd, stdin)
	return exited(t, cmd, result{0, stdout, stderr}, err)
}

// runLinux runs the Linux testhooks binary the contract tests use.
func runLinux(t *testing.T, bed *testbed.Bed, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), portmap.Env+"="+bed.DialMapEnv(), "LANG=C.UTF-8")
	return run(t, cmd, stdin)
}

func run(t *testing.T, cmd *exec.Cmd, stdin string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return exited(t, cmd, result{0, stdout.Bytes(), stderr.Bytes()}, err)
}

// exited fills in the exit code; a program that could not run fails the test.
func exited(t *testing.T, cmd *exec.Cmd, r result, err error) result {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, r.stderr)
	}
	return r
}

// comparable keeps what must not depend on the system from a discover or
// check JSON document: the recommendation, each candidate's status,
// sources and trust, the hints, the login verdicts; not timings, error
// texts (Windows words its socket errors its own way) or certificate dates.
func comparable(t *testing.T, doc []byte) map[string]any {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal(doc, &r); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, doc)
	}
	out := map[string]any{"email": r["email"], "provider": r["provider"], "recommended": r["recommended"], "hints": r["hints"]}
	cands := map[string]any{}
	for _, c := range r["candidates"].([]any) {
		m := c.(map[string]any)
		key := fmt.Sprintf("%v %v %v:%v %v", m["role"], m["protocol"], m["host"], m["port"], m["security"])
		tls, _ := m["tls"].(map[string]any)
		cands[key] = map[string]any{"status": m["status"], "sources": m["sources"], "trusted": m["trusted"],
			"verified": tls["verified"]}
	}
	out["candidates"] = cands
	if login, ok := r["login"].(map[string]any); ok {
		verdicts := map[string]any{}
		for role, v := range login {
			if l, ok := v.(map[string]any); ok {
				verdicts[role] = map[string]any{"ok": l["ok"], "auth_failed": l["auth_failed"], "mechanism": l["mechanism"]}
			}
		}
		out["login"] = verdicts
	}
	return out
}

// sameAnswer compares two comparable documents. A candidate still pending
// when the answer came ("abandoned") says nothing about the system: its
// status is not compared.
func sameAnswer(linux, windows map[string]any) bool {
	lc, _ := linux["candidates"].(map[string]any)
	wc, _ := windows["candidates"].(map[string]any)
	for key, l := range lc {
		l, _ := l.(map[string]any)
		w, _ := wc[key].(map[string]any)
		if l == nil || w == nil {
			continue
		}
		if l["status"] == "abandoned" || w["status"] == "abandoned" {
			// How far it got (TLS verified or not yet) is timing too.
			for _, k := range []string{"status", "verified"} {
				l[k], w[k] = "any", "any"
			}
		}
	}
	return reflect.DeepEqual(linux, windows)
}

func indent(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func distinctColours(t *testing.T, file string) int {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return 0
	}
	seen := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}] = true
		}
	}
	return len(seen)
}
