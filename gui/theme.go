package gui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is fyne's default theme with, for Chinese, a CJK font first in
// line. fyne falls back to system fonts for glyphs its own font lacks, but
// it picks one face for every Han character whatever the script, has no
// bold for them, and depends on what its font scan finds; a face chosen
// for the language gives Simplified or Traditional glyph forms and bold
// headings. Latin glyphs such a font lacks still come from the default font.
type appTheme struct {
	fyne.Theme
	cjk cjkFonts
}

// newAppTheme returns the theme for the interface language lang.
func newAppTheme(lang string) fyne.Theme {
	t := &appTheme{Theme: theme.DefaultTheme()}
	if strings.HasPrefix(lang, "zh") {
		t.cjk = cjkFontsFor(lang)
	}
	return t
}

// Font returns the CJK font for proportional text when one is in use.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if t.cjk.regular == nil || s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	if s.Bold && t.cjk.bold != nil {
		return t.cjk.bold
	}
	return t.cjk.regular
}

// cjkFontsFor finds the fonts once per language: reading them is not cheap.
var cjkFontsFor = func() func(lang string) cjkFonts {
	var mu sync.Mutex
	found := map[string]cjkFonts{}
	return func(lang string) cjkFonts {
		mu.Lock()
		defer mu.Unlock()
		f, ok := found[lang]
		if !ok {
			f = findCJKFonts(lang)
			found[lang] = f
		}
		return f
	}
}()
