package gui

import (
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"mailsetup/assets"
	"mailsetup/l10n"
)

// Which language the window speaks is l10n's decision, as for the
// command line: the choice in Settings, else the one the locale variables
// name (l10n.Pick). fyne then only loads that language's translations:
// it picks them from the locale variables each time translations are
// added (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE), so the choice is
// handed to it through LANGUAGE. (On Windows and macOS fyne asks the
// system instead; currentLanguage then tells what it chose.)

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
	// The system's language is read with LANGUAGE as the process found it,
	// not as an earlier choice left it.
	if orig, had := systemLanguage(); had {
		_ = os.Setenv("LANGUAGE", orig)
	} else {
		_ = os.Unsetenv("LANGUAGE")
	}
	_ = os.Setenv("LANGUAGE", l10n.LocaleName(l10n.Pick(pref)))
	allowLANGUAGE()
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
// translation file names its own language under "meta.lang".
func currentLanguage() string {
	return l10n.Normalize(lang.X("meta.lang", "en"))
}
