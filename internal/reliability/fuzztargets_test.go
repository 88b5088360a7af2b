package reliability

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w*)\(f \*testing\.F\)`)

// moduleFuzzTargets finds every fuzz target of the module.
func moduleFuzzTargets(t *testing.T) []FuzzTarget {
	root := filepath.Join("..", "..")
	var out []FuzzTarget
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		for _, m := range fuzzFunc.FindAllSubmatch(data, -1) {
			out = append(out, FuzzTarget{Package: "mailsetup/" + filepath.ToSlash(rel), Name: string(m[1])})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Package+out[i].Name < out[j].Package+out[j].Name })
	return out
}

// TestFuzzTargets checks that the parsers the issue names have fuzz
// targets, and that scripts/fuzz.sh runs every one of them.
func TestFuzzTargets(t *testing.T) {
	targets := moduleFuzzTargets(t)
	results.SetFuzz(targets)
	have := map[string]bool{}
	var fromScan []string
	for _, f := range targets {
		have[f.Package+"."+f.Name] = true
		fromScan = append(fromScan, "./"+strings.TrimPrefix(f.Package, "mailsetup/")+" "+f.Name)
	}
	for _, want := range []string{
		"mailsetup/probe/pop3.FuzzParseResponse", // POP3 replies
		"mailsetup/probe/pop3.FuzzClientStream",
		"mailsetup/probe.FuzzPOP3Exchange",
		"mailsetup/probe.FuzzIMAPExchange", // IMAP greeting, replies, capabilities
		"mailsetup/probe.FuzzSMTPExchange", // SMTP greeting, replies, EHLO
		"mailsetup/probe.FuzzLineReader",
		"mailsetup/discover.FuzzParseClientConfig", // config-v1.1.xml
		"mailsetup/discover.FuzzParseAutodiscover",
		"mailsetup/mailcfg.FuzzParseAddress",
		"mailsetup/providers.FuzzLoad",
	} {
		if !have[want] {
			t.Errorf("fuzz target %s is missing", want)
		}
	}
	if len(targets) < 7 {
		t.Errorf("%d fuzz targets, want at least 7", len(targets))
	}

	out, err := exec.Command("sh", filepath.Join("..", "..", "scripts", "fuzz.sh"), "--list").Output()
	if err != nil {
		t.Fatalf("scripts/fuzz.sh --list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	sort.Strings(lines)
	sort.Strings(fromScan)
	if strings.Join(lines, "\n") != strings.Join(fromScan, "\n") {
		t.Errorf("scripts/fuzz.sh --list:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(fromScan, "\n"))
	}
}
