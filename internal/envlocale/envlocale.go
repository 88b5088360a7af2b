// Package envlocale makes the window speak the language the command line
// speaks (l10n.FromEnvironment) before Fyne's lang package reads the
// environment at start-up. Fyne reads the first of LC_ALL, LC_MESSAGES and
// LANG, then LANGUAGE unless that first one is exactly C or POSIX; it cannot
// parse "C.UTF-8" (common in scripts and CI) and would log an error on
// every run, and it would take LC_ALL=C.UTF-8 LANG=zh_CN.UTF-8 as English
// where l10n hears Chinese. main imports it first; it depends on nothing
// but l10n (itself on the standard library), so Go initialises it before
// Fyne.
package envlocale

import (
	"os"

	"mailsetup/l10n"
)

func init() { align(os.Getenv, os.Setenv) }

// align sets what Fyne reads so that it finds l10n's language; it leaves
// the environment alone when Fyne would find it anyway.
func align(getenv func(string) string, setenv func(string, string) error) {
	lang := l10n.FromEnvironment()
	first := "" // the variable Fyne reads first
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if getenv(v) != "" {
			first = v
			break
		}
	}
	if l10n.NamesNoLanguage(getenv("LANGUAGE")) && (first == "" || l10n.NamesNoLanguage(getenv(first))) {
		_ = setenv("LANGUAGE", l10n.LocaleName(lang))
	}
	// Under exactly C or POSIX, Fyne (like gettext) ignores LANGUAGE;
	// C.UTF-8 is the same locale but for its character set.
	if first != "" && lang != l10n.English {
		if v := getenv(first); v == "C" || v == "POSIX" {
			_ = setenv(first, "C.UTF-8")
		}
	}
}
