package l10n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// codeArgRE finds string literals passed as arguments that look like
// catalogue codes: "cli.provider", or a prefix a code is built on
// ("status." + status). The first group is the function called, when the
// literal is its first argument: the window's own translations (lang.X)
// have keys of their own.
var codeArgRE = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.]*\()?[,(]?\s*"([a-z][a-z0-9_]*\.[a-z0-9_.-]*)"`)

// Every code the Go source names exists in the catalogue: a typo would show
// the user a bare code.
func TestCodesInSourceExist(t *testing.T) {
	namespaces := map[string]bool{}
	for _, c := range Codes() {
		ns, _, _ := strings.Cut(c, ".")
		namespaces[ns] = true
	}
	root := filepath.Join("..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// The test bed names hosts ("oauth.test"), never codes.
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "testbed") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range codeArgRE.FindAllStringSubmatch(string(src), -1) {
			code := m[2]
			if m[1] == "lang.X(" || m[1] == "" && !strings.ContainsAny(m[0][:1], "(,") {
				continue
			}
			ns, _, _ := strings.Cut(code, ".")
			if !namespaces[ns] {
				continue
			}
			checked++
			if strings.HasSuffix(code, ".") {
				if !hasPrefix(code) {
					t.Errorf("%s: no code starts with %q", path, code)
				}
			} else if !Has(code) {
				t.Errorf("%s: code %q is not in the catalogue", path, code)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d codes named in the source", checked)
	if checked < 50 {
		t.Errorf("only %d codes found in the source: is the pattern still right?", checked)
	}
}

func hasPrefix(prefix string) bool {
	for _, c := range Codes() {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}
