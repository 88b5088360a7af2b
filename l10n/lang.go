// Package l10n is the one catalogue of the words mailsetup shows outside
// the window's own labels: every status and reason the engine reports, and
// the command line's words, in English, Simplified and Traditional Chinese.
// The engine reports a Message (a stable code and its arguments); the
// command line and the window render it in the user's language, so both
// faces say the same thing in the same words. Words a server sent are
// arguments, quoted as the server's and never translated.
//
// It is a leaf package: every other package may use it.
package l10n

import (
	"os"
	"strings"
)

// The languages every text is written in.
const (
	English            = "en"
	SimplifiedChinese  = "zh-Hans"
	TraditionalChinese = "zh-Hant"
)

// Languages lists them, English first.
var Languages = []string{English, SimplifiedChinese, TraditionalChinese}

// Normalize maps a language tag or locale name to one of Languages: Chinese
// of Taiwan, Hong Kong and Macau, or any tag naming the Hant script, to
// zh-Hant; any other Chinese to zh-Hans; everything else to en. It accepts
// BCP 47 tags ("zh-Hant-TW") and POSIX locales ("zh_TW.UTF-8").
func Normalize(tag string) string {
	t := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(t, ".@"); i >= 0 { // POSIX codeset and modifier
		t = t[:i]
	}
	t = strings.ReplaceAll(t, "_", "-")
	parts := strings.Split(t, "-")
	if parts[0] != "zh" {
		return English
	}
	for _, p := range parts[1:] {
		switch p {
		case "hant", "tw", "hk", "mo":
			return TraditionalChinese
		case "hans":
			return SimplifiedChinese
		}
	}
	return SimplifiedChinese
}

// LocaleVariables are the environment variables that name the user's
// language, in the order gettext reads them for messages.
var LocaleVariables = []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}

// NamesNoLanguage reports whether a locale variable's value names no
// language: empty, or the C and POSIX locales (with any codeset). Scripts
// and build tools set LC_ALL=C.UTF-8 for the character set, not to change
// the user's language.
func NamesNoLanguage(value string) bool {
	return value == "" || value == "C" || value == "POSIX" || strings.HasPrefix(value, "C.")
}

// FromEnvironment is the user's language as the locale variables tell it
// (the first of LocaleVariables that names a language wins), normalised;
// English when none does. It is the one place that reads the locale: the
// command line asks it, and internal/envlocale makes the window follow it.
func FromEnvironment() string {
	for _, v := range LocaleVariables {
		s := os.Getenv(v)
		if NamesNoLanguage(s) {
			continue
		}
		s, _, _ = strings.Cut(s, ":") // LANGUAGE may list several
		return Normalize(s)
	}
	return English
}

// LocaleName is lang as a POSIX locale name for LANGUAGE: one that gettext
// (in programs mailsetup starts, a browser) and the window's toolkit both
// match to the right translations.
func LocaleName(lang string) string {
	switch Normalize(lang) {
	case SimplifiedChinese:
		return "zh_CN"
	case TraditionalChinese:
		return "zh_TW"
	}
	return "en"
}

// Pick is the language a command runs in: the one asked for, else the
// environment's.
func Pick(asked string) string {
	if strings.TrimSpace(asked) != "" {
		return Normalize(asked)
	}
	return FromEnvironment()
}
