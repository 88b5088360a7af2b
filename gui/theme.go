package gui

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is fyne's default theme with, for Chinese, a CJK font first in
// line. fyne falls back to system fonts for glyphs its own font lacks, but
// that depends on what it finds and parses; a known single-font file makes
// Chinese text render for sure. Latin glyphs, absent from such fonts, still
// come from the default font.
type appTheme struct {
	fyne.Theme
	cjk fyne.Resource
}

// newAppTheme returns the theme for the interface language lang.
func newAppTheme(lang string) fyne.Theme {
	t := &appTheme{Theme: theme.DefaultTheme()}
	if strings.HasPrefix(lang, "zh") {
		t.cjk = cjkFont()
	}
	return t
}

// Font returns the CJK font for proportional text when one is in use.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if t.cjk != nil && !s.Monospace && !s.Symbol {
		return t.cjk
	}
	return t.Theme.Font(s)
}

// envCJKFont names a TTF or OTF file to use for Chinese text.
const envCJKFont = "MAILSETUP_CJK_FONT"

// cjkFont loads the first usable CJK font file, nil when there is none.
var cjkFont = sync.OnceValue(func() fyne.Resource {
	for _, path := range cjkFontPaths() {
		if r := loadSingleFont(path); r != nil {
			return r
		}
	}
	return nil
})

// cjkFontPaths lists where single-font (not collection) CJK files live on
// common systems: fyne parses TTF and OTF but not TTC collections.
func cjkFontPaths() []string {
	var paths []string
	if p := os.Getenv(envCJKFont); p != "" {
		paths = append(paths, p)
	}
	switch runtime.GOOS {
	case "windows":
		dir := filepath.Join(os.Getenv("WINDIR"), "Fonts")
		if os.Getenv("WINDIR") == "" {
			dir = `C:\Windows\Fonts`
		}
		for _, f := range []string{"Deng.ttf", "simhei.ttf", "simkai.ttf", "simfang.ttf"} {
			paths = append(paths, filepath.Join(dir, f))
		}
	case "darwin":
		paths = append(paths, "/System/Library/Fonts/Supplemental/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf")
	default:
		paths = append(paths,
			"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",          // Debian, Ubuntu: fonts-droid-fallback
			"/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf", // Fedora
			"/usr/share/fonts/droid/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/opentype/noto/NotoSansSC-Regular.otf",
			"/usr/share/fonts/noto-cjk/NotoSansSC-Regular.otf",
			"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
		)
	}
	return paths
}

// maxFontSize keeps a wrong path from loading something huge.
const maxFontSize = 40 << 20

// loadSingleFont reads path when it is a TrueType or OpenType font.
func loadSingleFont(path string) fyne.Resource {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxFontSize || info.Size() < 12 {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil || !isSingleFont(data) {
		return nil
	}
	return fyne.NewStaticResource(filepath.Base(path), data)
}

// isSingleFont checks the sfnt version tag: TrueType or CFF OpenType, not
// a "ttcf" collection.
func isSingleFont(data []byte) bool {
	if len(data) < 4 {
		return false
	}
	tag := data[:4]
	return bytes.Equal(tag, []byte{0, 1, 0, 0}) || bytes.Equal(tag, []byte("OTTO")) || bytes.Equal(tag, []byte("true"))
}
