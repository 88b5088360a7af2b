package gui

import (
	"os"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"mailsetup/assets"
	"mailsetup/l10n"
)

// fyne picks the interface language from the system locale variables each
// time translations are added (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE), so
// a language chosen in Settings is applied by setting LANGUAGE and adding
// the translations again.

// systemLanguage remembers LANGUAGE as the process found it, so that
// "follow the system" can be restored after an explicit choice.
var systemLanguage = sync.OnceValues(func() (string, bool) { return os.LookupEnv("LANGUAGE") })

// languageMu serialises changes of the process-wide language.
var languageMu sync.Mutex

// applyLanguage switches fyne's translations to pref ("" = the system's)
// and returns the language now in use: en, zh-Hans or zh-Hant.
func applyLanguage(pref string) string {
	languageMu.Lock()
	defer languageMu.Unlock()
	orig, had := systemLanguage()
	if slices.Contains(l10n.Languages, pref) {
		_ = os.Setenv("LANGUAGE", l10n.LocaleName(pref))
		allowLANGUAGE()
	} else if had {
		_ = os.Setenv("LANGUAGE", orig)
	} else {
		_ = os.Unsetenv("LANGUAGE")
	}
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("loading translations", err)
	}
	return currentLanguage()
}

// allowLANGUAGE makes the locale look-up read LANGUAGE: under the C or
// POSIX locale it is ignored (as gettext does), so that locale becomes
// C.UTF-8, which differs from C only in its character set.
func allowLANGUAGE() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if v == "C" || v == "POSIX" {
			_ = os.Setenv(name, "C.UTF-8")
		}
		return
	}
}

// currentLanguage is the language fyne's translations are in now. Each
// translation file names its own language under "meta.lang"; a system
// language we have no file for falls back to English.
func currentLanguage() string {
	return l10n.Normalize(lang.X("meta.lang", "en"))
}
