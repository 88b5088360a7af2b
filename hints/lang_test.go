package hints

import "testing"

func TestNormalizeLang(t *testing.T) {
	cases := map[string]string{
		"":            "en",
		"en":          "en",
		"en-US":       "en",
		"fr":          "en",
		"de_DE.UTF-8": "en",
		"zhx":         "en",
		"zh":          "zh-Hans",
		"ZH":          "zh-Hans",
		"zh-CN":       "zh-Hans",
		"zh_CN.UTF-8": "zh-Hans",
		"zh-SG":       "zh-Hans",
		"zh-Hans":     "zh-Hans",
		"zh-Hans-HK":  "zh-Hans",
		"zh-TW":       "zh-Hant",
		"zh_TW.Big5":  "zh-Hant",
		"zh-HK":       "zh-Hant",
		"zh-MO":       "zh-Hant",
		"zh-Hant":     "zh-Hant",
		"zh-hant-cn":  "zh-Hant",
		" zh-Hant ":   "zh-Hant",
		"zh@latin":    "zh-Hans",
	}
	for in, want := range cases {
		if got := NormalizeLang(in); got != want {
			t.Errorf("NormalizeLang(%q) = %q, want %q", in, got, want)
		}
	}
}
