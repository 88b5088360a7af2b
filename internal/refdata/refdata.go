// Package refdata finds reference data that lives outside the repository,
// for tests only. Today that is a copy of Thunderbird's ISP database, which
// the provider table and the autoconfig parser are checked against.
//
// A clone of the project has no such copy beside it, so a test that needs
// one skips, saying what it would have checked and how to point it at a
// copy. Where the copy is named explicitly ($MAILSETUP_ISPDB) and missing,
// the test fails instead: a CI run that means to cross-check must not pass
// silently without doing so.
package refdata

import (
	"os"
	"path/filepath"
	"testing"
)

// ISPDBEnv names a folder of ISPDB config-v1.1.xml files.
const ISPDBEnv = "MAILSETUP_ISPDB"

// ISPDBFiles returns the XML files of the ISPDB copy: the folder $MAILSETUP_ISPDB
// names, else ../shared/ispdb beside the module (where the project's own
// workspace keeps one). what says what the test checks with them.
func ISPDBFiles(t testing.TB, what string) []string {
	t.Helper()
	dir, explicit := ispdbDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err == nil && len(files) > 0 {
		return files
	}
	if explicit {
		t.Fatalf("%s=%s holds no ISPDB *.xml files (err %v): cannot check %s", ISPDBEnv, dir, err, what)
		return nil
	}
	t.Skipf("skipped: would check %s against Thunderbird's ISP database, but no copy is at %s; "+
		"set %s to a folder of its config-v1.1.xml files (github.com/thunderbird/autoconfig, ispdb/) to run it", what, dir, ISPDBEnv)
	return nil
}

// ISPDBSample returns up to n files of the ISPDB copy, or none when there
// is no copy: for fuzz seeds, which are welcome but not required.
func ISPDBSample(t testing.TB, n int) []string {
	dir, _ := ispdbDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	return files[:min(len(files), n)]
}

func ispdbDir(t testing.TB) (dir string, explicit bool) {
	if dir := os.Getenv(ISPDBEnv); dir != "" {
		return dir, true
	}
	return filepath.Join(moduleRoot(t), "..", "shared", "ispdb"), false
}

// moduleRoot is the nearest folder above the working directory holding go.mod.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
