package refdata

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands in for a test so that Skipf and Fatalf can be observed.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = fmt.Sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }

func TestISPDBFiles(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "example.com.xml"), []byte("<clientConfig/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	cases := map[string]struct {
		env                 string
		wantFiles           int
		wantSkip, wantFatal bool
	}{
		"named copy":        {env: full, wantFiles: 1},
		"named but empty":   {env: empty, wantFatal: true},
		"named but missing": {env: filepath.Join(empty, "nope"), wantFatal: true},
		"no copy beside it": {env: "", wantSkip: !haveSharedCopy(t)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv(ISPDBEnv, tc.env)
			r := &recorder{TB: t}
			files := ISPDBFiles(r, "the test table")
			if tc.wantFiles > 0 && len(files) != tc.wantFiles {
				t.Errorf("got %d files, want %d", len(files), tc.wantFiles)
			}
			if (r.skipped != "") != tc.wantSkip {
				t.Errorf("skipped %q, want skip %v", r.skipped, tc.wantSkip)
			}
			if (r.failed != "") != tc.wantFatal {
				t.Errorf("failed %q, want failure %v", r.failed, tc.wantFatal)
			}
			if r.skipped != "" && !strings.Contains(r.skipped, ISPDBEnv) {
				t.Errorf("the skip does not say how to run the check: %q", r.skipped)
			}
		})
	}
}

func haveSharedCopy(t *testing.T) bool {
	files, _ := filepath.Glob(filepath.Join(moduleRoot(t), "..", "shared", "ispdb", "*.xml"))
	return len(files) > 0
}
