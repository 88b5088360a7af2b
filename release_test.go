package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The release binary must not know the environment variables that point
// a test build at the test bed: a user could otherwise redirect its
// connections without a flag. The test build must know them, or this test
// could not fail.
func TestReleaseBinaryHasNoTestHooks(t *testing.T) {
	hooks := [][]byte{[]byte("MAILSETUP_DIAL_MAP"), []byte("MAILSETUP_DNS")}
	release := os.Getenv("MAILSETUP_RELEASE_BIN")
	if release == "" {
		release = filepath.Join(t.TempDir(), "mailsetup")
		build := exec.Command("go", "build", "-o", release, ".")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	for name, bin := range map[string]string{"release": release, "testhooks": binary} {
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hooks {
			if has, want := bytes.Contains(data, h), name == "testhooks"; has != want {
				t.Errorf("%s binary %s: contains %s = %v, want %v", name, bin, h, has, want)
			}
		}
	}
}
