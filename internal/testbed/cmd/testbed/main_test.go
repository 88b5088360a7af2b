package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mailsetup/internal/portmap"
)

func TestServePrintsEnvironmentAndStops(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the scenarios run dovecot, which needs root")
	}
	if _, err := os.Stat("/usr/sbin/dovecot"); err != nil {
		t.Skip("no dovecot")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	jsonFile := filepath.Join(t.TempDir(), "scenarios.json")
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, pw, io.Discard, jsonFile)
		pw.Close()
	}()

	env := map[string]string{}
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		k, v, ok := strings.Cut(lines.Text(), "=")
		if !ok {
			t.Fatalf("line %q is not NAME=VALUE", lines.Text())
		}
		env[k] = v
		if k == "READY" {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	for _, k := range []string{"DNS", "DEAD_DNS", portmap.Env, "SSL_CERT_FILE", "READY"} {
		if env[k] == "" {
			t.Errorf("%s missing from %v", k, env)
		}
	}
	m, err := portmap.Parse(env[portmap.Env])
	if err != nil || len(m) < 20 {
		t.Errorf("dial map with %d entries: %v", len(m), err)
	}
	caFile := env["SSL_CERT_FILE"]
	if _, err := os.Stat(caFile); err != nil {
		t.Errorf("CA file: %v", err)
	}
	var scenarios []scenarioJSON
	data, _ := os.ReadFile(jsonFile)
	if err := json.Unmarshal(data, &scenarios); err != nil || len(scenarios) < 10 || scenarios[0].Incoming == nil {
		t.Errorf("scenario JSON (%v): %s", err, data)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	bedDir := filepath.Dir(filepath.Dir(caFile))
	if out, err := exec.Command("pgrep", "-a", "-f", bedDir).Output(); err == nil {
		t.Errorf("processes left after stopping:\n%s", out)
	}
	if _, err := os.Stat(bedDir); !os.IsNotExist(err) {
		t.Errorf("%s left behind", bedDir)
	}
}
