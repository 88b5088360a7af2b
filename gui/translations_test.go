package gui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"mailsetup/assets"
)

// langCall matches lang.X("key", "fallback" across line breaks.
var langCall = regexp.MustCompile(`lang\.X\(\s*("(?:[^"\\]|\\.)*")\s*,\s*("(?:[^"\\]|\\.)*")`)

// langCallAny finds every lang call, to catch keys that are not literals.
var langCallAny = regexp.MustCompile(`lang\.(X|L|N|XN)\(\s*(\S)`)

var placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z]+)\s*\}\}`)

// sourceKeys returns every key used in gui/*.go with its English fallback.
func sourceKeys(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		for _, m := range langCallAny.FindAllStringSubmatch(src, -1) {
			if m[1] != "X" || m[2] != `"` {
				t.Errorf("%s: lang.%s call without a literal key; every text needs lang.X(\"key\", \"fallback\")", name, m[1])
			}
		}
		for _, m := range langCall.FindAllStringSubmatch(src, -1) {
			key, err1 := strconv.Unquote(m[1])
			fallback, err2 := strconv.Unquote(m[2])
			if err1 != nil || err2 != nil {
				t.Errorf("%s: cannot read %s", name, m[0])
				continue
			}
			if prev, ok := keys[key]; ok && prev != fallback {
				t.Errorf("key %q has two fallbacks: %q and %q", key, prev, fallback)
			}
			keys[key] = fallback
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	return keys
}

// translationFile reads one language's file as key → text (plural forms
// use their "other" text).
func translationFile(t *testing.T, lang string) map[string]string {
	t.Helper()
	data, err := assets.Translations.ReadFile(assets.TranslationFiles[lang])
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) != nil {
			var plural map[string]string
			if err := json.Unmarshal(v, &plural); err != nil {
				t.Fatalf("%s: %s is neither text nor plural forms", lang, k)
			}
			s = plural["other"]
		}
		out[k] = s
	}
	return out
}

func TestEveryKeyInEveryLanguage(t *testing.T) {
	keys := sourceKeys(t)
	en := translationFile(t, "en")
	for _, lang := range assets.Languages {
		file := translationFile(t, lang)
		for key := range keys {
			text, ok := file[key]
			if !ok {
				t.Errorf("%s lacks %q", lang, key)
				continue
			}
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: %q is empty", lang, key)
			}
			if got, want := placeholders(text), placeholders(en[key]); !slices.Equal(got, want) {
				t.Errorf("%s: %q has placeholders %v, English has %v", lang, key, got, want)
			}
		}
	}
	for key, fallback := range keys {
		if key == "meta.lang" {
			continue
		}
		if en[key] != fallback {
			t.Errorf("en.json %q = %q, but the source's fallback says %q", key, en[key], fallback)
		}
	}
}

func TestLanguagesHaveTheSameKeys(t *testing.T) {
	want := sortedKeys(translationFile(t, "en"))
	for _, lang := range assets.Languages[1:] {
		if got := sortedKeys(translationFile(t, lang)); !slices.Equal(got, want) {
			t.Errorf("%s keys differ from en: missing %v, extra %v", lang, minus(want, got), minus(got, want))
		}
	}
	files, _ := assets.Translations.ReadDir("translations")
	if len(files) != len(assets.Languages) {
		t.Errorf("%d translation files for %d languages", len(files), len(assets.Languages))
	}
}

// TestChineseIsChinese catches a file left in English or the two scripts
// swapped: characters that exist in only one of them.
func TestChineseIsChinese(t *testing.T) {
	hans, hant := translationFile(t, "zh-Hans"), translationFile(t, "zh-Hant")
	for key, text := range hans {
		if strings.ContainsAny(text, "設檢資訊網碼權連務誤於這個") {
			t.Errorf("zh-Hans %q uses Traditional characters: %q", key, text)
		}
	}
	for key, text := range hant {
		if strings.ContainsAny(text, "设检资讯网码权连务误于这个") {
			t.Errorf("zh-Hant %q uses Simplified characters: %q", key, text)
		}
	}
	terms := map[string][2]string{
		"login.code": {"授权码", "授權碼"}, "servers.host": {"服务器", "伺服器"}, "servers.port": {"端口", "連接埠"},
		"cert.title": {"证书", "憑證"}, "servers.username": {"用户名", "使用者名稱"}, "servers.security": {"加密", "加密"},
	}
	for key, w := range terms {
		if !strings.Contains(hans[key], w[0]) || !strings.Contains(hant[key], w[1]) {
			t.Errorf("%q: %q / %q, want the terms %q / %q", key, hans[key], hant[key], w[0], w[1])
		}
	}
}

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// fyneKeys are the keys with a dot that fyne's own dialogs use.
var fyneKeys = map[string]bool{"file.name": true, "file.parent": true}

// TestNoUnusedKeys: every key of ours (fyne's own mostly have no dot) is
// used, so that a word moved to the l10n catalogue leaves no stale copy.
func TestNoUnusedKeys(t *testing.T) {
	used := sourceKeys(t)
	for key := range translationFile(t, "en") {
		if _, ok := used[key]; !ok && strings.Contains(key, ".") && !fyneKeys[key] {
			t.Errorf("en.json has %q, which no source file uses", key)
		}
	}
}
