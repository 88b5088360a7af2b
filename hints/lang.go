package hints

import "strings"

// Languages every hint is written in.
var Languages = []string{"en", "zh-Hans", "zh-Hant"}

// NormalizeLang maps a language tag or locale name to one of Languages:
// Chinese of Taiwan, Hong Kong and Macau, or any tag naming the Hant script,
// to zh-Hant; any other Chinese to zh-Hans; everything else to en.
// It accepts BCP 47 tags ("zh-Hant-TW") and POSIX locales ("zh_TW.UTF-8").
func NormalizeLang(tag string) string {
	t := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(t, ".@"); i >= 0 { // POSIX codeset and modifier
		t = t[:i]
	}
	t = strings.ReplaceAll(t, "_", "-")
	parts := strings.Split(t, "-")
	if parts[0] != "zh" {
		return "en"
	}
	for _, p := range parts[1:] {
		switch p {
		case "hant", "tw", "hk", "mo":
			return "zh-Hant"
		case "hans":
			return "zh-Hans"
		}
	}
	return "zh-Hans"
}
