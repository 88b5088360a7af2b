package hints

import (
	"strings"
	"testing"

	"mailsetup/l10n"
)

// Every family and every placeholder has its words in the l10n catalogue.
func TestFamilyNamesAndFallbacks(t *testing.T) {
	for _, f := range families {
		if !l10n.Has("family." + f.id) {
			t.Errorf("family %s has no name in the l10n catalogue", f.id)
		}
	}
	for _, name := range placeholderNames {
		if !l10n.Has("hints.fallback." + name) {
			t.Errorf("placeholder {%s} has no fallback in the l10n catalogue", name)
		}
	}
	if got := familyName(famQQ, "zh-Hant"); got != "QQ郵箱" {
		t.Errorf("QQ in zh-Hant: %q", got)
	}
	v := placeholderValues(Facts{}, "zh-Hans", "")
	if v["{server}"] != "该服务器" || strings.Contains(v["{port}"], "{") {
		t.Errorf("fallbacks: %v", v)
	}
}
