package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
)

// These tests drive the real binary as docs/design.md's outside scripts do:
// `mailsetup discover EMAIL --dns HOST:PORT --json` against the test bed,
// checking the JSON contract, the exit codes and the time taken.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mailsetup-contract-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = os.Getenv("MAILSETUP_BIN")
	if binary == "" {
		binary = filepath.Join(dir, "mailsetup")
		build := exec.Command("go", "build", "-tags", "testhooks", "-o", binary, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building the binary:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	closeWine()
	os.RemoveAll(dir)
	if winBuilds.dir != "" {
		os.RemoveAll(winBuilds.dir)
	}
	os.Exit(code)
}

func runBinary(t *testing.T, bed *testbed.Bed, args ...string) (int, []byte, []byte) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), portmap.Env+"="+bed.DialMapEnv(), "LANG=C.UTF-8")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.Bytes(), stderr.Bytes()
}

// The keys docs/design.md promises, with the JSON type each must have.
var (
	reportKeys    = map[string]string{"email": "string", "provider": "object|null", "recommended": "object", "candidates": "array", "hints": "array"}
	serverKeys    = map[string]string{"protocol": "string", "host": "string", "port": "number", "security": "string", "username": "string"}
	candidateKeys = map[string]string{"role": "string", "protocol": "string", "host": "string", "port": "number", "security": "string",
		"sources": "array", "status": "string", "error": "string", "tls": "object", "capabilities": "array",
		"auth_mechanisms": "array", "elapsed_ms": "number"}
	tlsKeys = map[string]string{"version": "string", "verified": "bool", "error": "string", "subject": "string",
		"issuer": "string", "not_after": "string", "sha256": "string"}
	statuses = "ok insecure cert_invalid tls_error refused timeout unresolved protocol_error error abandoned"
	sources  = "builtin srv autoconfig ispdb mx autodiscover guess"
)

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

func checkKeys(t *testing.T, where string, obj map[string]any, keys map[string]string) {
	t.Helper()
	for k, want := range keys {
		v, ok := obj[k]
		if !ok {
			t.Errorf("%s: key %q missing", where, k)
			continue
		}
		if got := jsonType(v); !strings.Contains("|"+want+"|", "|"+got+"|") {
			t.Errorf("%s: %q is %s, want %s", where, k, got, want)
		}
	}
}

func TestDiscoverJSONContract(t *testing.T) {
	bed := testbed.Start(t)
	sc := bed.Standard(t)
	for _, s := range sc.All() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			code, out, stderr := runBinary(t, bed, "discover", s.Email, "--dns", s.DNS, "--json", "--ca", bed.CAFile,
				"--ispdb-url", sc.ISPDBURL, "--timeout", "8s")
			took := time.Since(start)
			complete := s.Incoming != nil && s.Outgoing != nil
			if want := map[bool]int{true: 0, false: 1}[complete]; code != want {
				t.Errorf("exit code %d, want %d; stderr: %s", code, want, stderr)
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
			}
			checkKeys(t, "report", doc, reportKeys)
			if _, has := doc["login"]; has {
				t.Error("discover must not carry a login object")
			}
			rec, _ := doc["recommended"].(map[string]any)
			for _, role := range []string{"incoming", "outgoing"} {
				v, ok := rec[role]
				if !ok {
					t.Errorf("recommended.%s missing", role)
					continue
				}
				if v == nil {
					continue
				}
				checkKeys(t, "recommended."+role, v.(map[string]any), serverKeys)
			}
			if s.Incoming != nil {
				in := rec["incoming"].(map[string]any)
				if in["host"] != s.Incoming.Host || int(in["port"].(float64)) != s.Incoming.Port {
					t.Errorf("recommended incoming %v, want %s", in, s.Incoming.HostPort())
				}
			}
			for i, c := range doc["candidates"].([]any) {
				cand := c.(map[string]any)
				where := fmt.Sprintf("candidates[%d]", i)
				checkKeys(t, where, cand, candidateKeys)
				if tlsObj, ok := cand["tls"].(map[string]any); ok {
					checkKeys(t, where+".tls", tlsObj, tlsKeys)
				}
				if st, _ := cand["status"].(string); !strings.Contains(" "+statuses+" ", " "+st+" ") {
					t.Errorf("%s: status %q is not one of docs/design.md's", where, st)
				}
				for _, src := range cand["sources"].([]any) {
					if !strings.Contains(" "+sources+" ", " "+src.(string)+" ") {
						t.Errorf("%s: source %q is not one of docs/design.md's", where, src)
					}
				}
			}
			checkAutodiscoverJSON(t, s, doc)
			if s.Name == "tarpit" && took > 4*time.Second {
				t.Errorf("discover took %v beside a tarpit and a blackhole", took)
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	bed := testbed.Start(t)
	sc := bed.Standard(t)
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"discover", "not-an-address"}, 2},
		{[]string{"discover", sc.SRV.Email, "--bogus"}, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"discover", sc.SRV.Email, "--dns", bed.DNSAddr, "--ca", bed.CAFile, "--offline"}, 0},
		{[]string{"discover", sc.NXDomain.Email, "--dns", bed.DNSAddr, "--offline"}, 1},
		{[]string{"providers", "--json"}, 0},
		{[]string{"--version"}, 0},
	}
	for _, tt := range tests {
		code, _, stderr := runBinary(t, bed, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d; stderr: %s", tt.args, code, tt.code, stderr)
		}
		if tt.code == 2 && !bytes.Contains(stderr, []byte("mailsetup")) {
			t.Errorf("%v: usage error without a message on stderr", tt.args)
		}
	}
}

func TestDiscoverHumanOutput(t *testing.T) {
	bed := testbed.Start(t)
	sc := bed.Standard(t)
	code, out, stderr := runBinary(t, bed, "discover", sc.Hosted.Email, "--dns", bed.DNSAddr, "--ca", bed.CAFile, "--offline",
		"--lang", "zh-Hans")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"推荐设置", "pop.exmail.qq.com:995", "smtp.exmail.qq.com:465", "可用"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("human output lacks %q:\n%s", want, out)
		}
	}
	if bytes.Contains(out, []byte("\x1b[")) {
		t.Error("colour codes written to a pipe")
	}
}

// checkAutodiscoverJSON checks what the Autodiscover scenarios promise in
// the JSON: the recommended servers name the route that found them (the
// extra "routes" field), untrusted ones say so, and a failed search ends
// with a note in "sources".
func checkAutodiscoverJSON(t *testing.T, s *testbed.Scenario, doc map[string]any) {
	t.Helper()
	rec, _ := doc["recommended"].(map[string]any)
	cands, _ := doc["candidates"].([]any)
	for _, role := range []string{"incoming", "outgoing"} {
		r, _ := rec[role].(map[string]any)
		if r == nil || s.Route == "" {
			continue
		}
		var best map[string]any
		for _, c := range cands {
			cand := c.(map[string]any)
			if cand["host"] == r["host"] && cand["port"] == r["port"] && cand["protocol"] == r["protocol"] {
				best = cand
			}
		}
		if best == nil {
			t.Errorf("recommended %s %v is not among the candidates", role, r)
			continue
		}
		named := false
		routes, _ := best["routes"].([]any)
		for _, x := range routes {
			rt := x.(map[string]any)
			if rt["source"] == "autodiscover" && rt["route"] == s.Route && strings.HasPrefix(rt["url"].(string), "https://") {
				named = true
			}
		}
		if !named {
			t.Errorf("recommended %s: routes %v do not name %s", role, best["routes"], s.Route)
		}
		if trusted, _ := best["trusted"].(bool); trusted == s.Untrusted {
			t.Errorf("recommended %s: trusted %v why %q, scenario untrusted %v", role, best["trusted"], best["why"], s.Untrusted)
		}
		if s.Untrusted && best["why"] == "" {
			t.Errorf("recommended %s is untrusted without saying why", role)
		}
	}
	for name, words := range s.SourceNotes {
		var errText string
		for _, x := range doc["sources"].([]any) {
			if src := x.(map[string]any); src["name"] == name {
				errText, _ = src["error"].(string)
			}
		}
		for _, w := range words {
			if !strings.Contains(errText, w) {
				t.Errorf("sources[%s].error does not say %q: %q", name, w, errText)
			}
		}
	}
	for _, c := range cands {
		if host := c.(map[string]any)["host"].(string); slices.Contains(s.NotCandidates, host) {
			t.Errorf("%s is a candidate, but nothing may be taken from where it was named", host)
		}
	}
}
