// Package envlocale maps the POSIX "C" locale to English before Fyne's
// lang package reads the environment at start-up: Fyne cannot parse "C"
// and would log an error on every command-line run (LANG=C is common in
// scripts and CI). main imports it first; it has no dependencies, so Go
// initialises it before Fyne.
package envlocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		s := os.Getenv(v)
		if s == "" {
			continue
		}
		if s == "C" || s == "POSIX" || strings.HasPrefix(s, "C.") {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
	os.Setenv("LANGUAGE", "en")
}
