package gui

import (
	"bytes"
	"os"
	"testing"

	"github.com/go-text/typesetting/font"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
)

// TestFynePicksOurTranslations checks that fyne's own locale matching
// lands on our files, for a choice in Settings and for system locales.
func TestFynePicksOurTranslations(t *testing.T) {
	saved := systemLanguage
	t.Cleanup(func() { systemLanguage = saved })
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "C.UTF-8")
	for _, pref := range []string{"en", "zh-Hans", "zh-Hant"} {
		if got := applyLanguage(pref); got != pref {
			t.Errorf("choice %s: fyne speaks %s", pref, got)
		}
	}
	zhHans := map[string]string{"setup.find": "查找设置"}
	zhHant := map[string]string{"setup.find": "尋找設定"}
	for _, c := range []struct {
		system string
		want   string
		texts  map[string]string
	}{
		{"zh_CN", "zh-Hans", zhHans}, {"zh_SG", "zh-Hans", zhHans}, {"zh", "zh-Hans", zhHans},
		{"zh_TW", "zh-Hant", zhHant}, {"zh_HK", "zh-Hant", zhHant}, {"zh_MO", "zh-Hant", zhHant},
		{"zh_Hant_TW", "zh-Hant", zhHant}, {"en_GB", "en", nil}, {"fr_FR", "en", nil},
	} {
		t.Setenv("LANGUAGE", c.system)
		system := c.system
		systemLanguage = func() (string, bool) { return system, true }
		if got := applyLanguage(""); got != c.want {
			t.Errorf("system %s: fyne speaks %s, want %s", c.system, got, c.want)
		}
		for key, want := range c.texts {
			if got := lang.X(key, "?"); got != want {
				t.Errorf("system %s: %s = %q, want %q", c.system, key, got, want)
			}
		}
	}
}

// TestPOSIXLocaleStillHonoursChoice: under LC_ALL=C, LANGUAGE is ignored
// unless the choice makes it count.
func TestPOSIXLocaleStillHonoursChoice(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "C")
	if got := applyLanguage("zh-Hant"); got != "zh-Hant" {
		t.Errorf("under LC_ALL=C the choice gave %s", got)
	}
}

func TestLanguageSwitchRebuildsWindow(t *testing.T) {
	h := newHarness(t, &fakeEngine{})
	test.Type(h.u.setup.address.address, "alice@qq.com")
	h.u.tabs.SelectIndex(tabSettings)
	for _, c := range []struct {
		index            int
		pref, title, tab string
	}{
		{2, "zh-Hans", "mailsetup — 邮箱账户设置助手", "设置账户"},
		{3, "zh-Hant", "mailsetup — 郵件帳號設定助手", "設定帳號"},
		{1, "en", "mailsetup — mail account setup", "Set up"},
	} {
		h.u.settingsUI.language.SetSelectedIndex(c.index)
		h.settle()
		if got := h.app.Preferences().String(prefLanguage); got != c.pref {
			t.Errorf("stored language %q, want %q", got, c.pref)
		}
		if h.u.lang != c.pref || h.u.win.Title() != c.title {
			t.Errorf("%s: window speaks %s, title %q", c.pref, h.u.lang, h.u.win.Title())
		}
		if got := h.u.tabs.Items[tabSetup].Text; got != c.tab {
			t.Errorf("%s: first tab %q, want %q", c.pref, got, c.tab)
		}
		if h.u.tabs.SelectedIndex() != tabSettings {
			t.Errorf("%s: the Settings tab was left", c.pref)
		}
		if h.u.setup.address.address.Text != "alice@qq.com" {
			t.Errorf("%s: the typed address was lost", c.pref)
		}
	}
}

// TestStoredLanguageAppliesAtStart: the window is built in the stored language.
func TestStoredLanguageAppliesAtStart(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, "zh-Hans")
	h := newHarnessOn(t, a, &fakeEngine{})
	if h.u.win.Title() != "mailsetup — 邮箱账户设置助手" || !h.shows("查找设置") {
		t.Errorf("title %q", h.u.win.Title())
	}
}

// TestUsableAt800x600 checks every page fits an 800×600 window.
func TestUsableAt800x600(t *testing.T) {
	for _, pref := range []string{"en", "zh-Hans"} {
		h := toExport(t)
		if pref != "en" {
			h.u.settings.Language = pref
			h.u.relabel()
		}
		limit := fyne.NewSize(800, 600)
		check := func(name string) {
			if m := h.u.win.Content().MinSize(); m.Width > limit.Width || m.Height > limit.Height {
				t.Errorf("%s %s needs %v", pref, name, m)
			}
		}
		for _, s := range []setupStep{stepAddress, stepServers, stepLogin, stepExport} {
			h.u.setup.show(s)
			check("setup page " + string(rune('0'+s)))
		}
		h.u.tabs.SelectIndex(tabTroubleshoot)
		check("troubleshoot")
		h.u.tabs.SelectIndex(tabSettings)
		check("settings")
		h.u.settings.Language = "en"
		h.u.relabel()
	}
}

func TestCJKFontForEachScript(t *testing.T) {
	if en := newAppTheme("en").(*appTheme); en.cjk.regular != nil {
		t.Error("a CJK font for English")
	}
	t.Setenv(envCJKFont, "none")
	if f := findCJKFonts("zh-Hans"); f.regular != nil {
		t.Error("MAILSETUP_CJK_FONT=none still loads a font")
	}
	t.Setenv(envCJKFont, "")
	for lang, family := range map[string]string{"zh-Hans": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC"} {
		f := findCJKFonts(lang)
		if f.regular == nil {
			t.Skip("no CJK font installed")
		}
		face, err := font.ParseTTF(bytes.NewReader(f.regular.Content()))
		if err != nil {
			t.Fatalf("%s: the extracted face does not parse: %v", lang, err)
		}
		if _, err := os.Stat("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"); err == nil {
			if got := face.Describe().Family; got != family {
				t.Errorf("%s: family %q, want %q", lang, got, family)
			}
			if f.bold == nil {
				t.Errorf("%s: no bold face", lang)
			}
		}
		if _, ok := face.NominalGlyph('设'); !ok {
			t.Errorf("%s: the face has no glyph for 设", lang)
		}
		th := &appTheme{Theme: newAppTheme("en"), cjk: f}
		if th.Font(fyne.TextStyle{Monospace: true}) == f.regular {
			t.Error("the CJK font replaced the monospace font")
		}
	}
}

func TestTableChecksum(t *testing.T) {
	if got := tableChecksum([]byte{0, 0, 0, 1, 0, 0, 0, 2, 1}); got != 3+0x01000000 {
		t.Errorf("checksum %#x", got)
	}
}
