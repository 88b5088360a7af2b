package clients

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// tempDir is t.TempDir for tests that also run under Wine 8.0, where
// os.RemoveAll (and so t.TempDir's clean-up) fails with "Invalid function":
// Go 1.26 removes a tree through handle-relative calls that Wine 8.0 does
// not implement. Plain os.Remove works, so the tree goes file by file.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "mailsetup-clients-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var paths []string
		filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
			if err == nil {
				paths = append(paths, p)
			}
			return nil
		})
		// Longest first: every file and folder before the folder holding it.
		sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
		for _, p := range paths {
			if err := os.Remove(p); err != nil {
				t.Errorf("clean-up: %v", err)
			}
		}
	})
	return dir
}
