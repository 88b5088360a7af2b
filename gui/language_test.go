package gui

import (
	"testing"

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
	test.Type(h.u.setup.av.address, "alice@qq.com")
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
		if h.u.setup.av.address.Text != "alice@qq.com" {
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

func TestCJKFontDetection(t *testing.T) {
	if !isSingleFont([]byte{0, 1, 0, 0, 1}) || !isSingleFont([]byte("OTTO....")) || isSingleFont([]byte("ttcf....")) {
		t.Error("isSingleFont misjudges the sfnt tags")
	}
	en := newAppTheme("en").(*appTheme)
	if en.cjk != nil {
		t.Error("a CJK font for English")
	}
	zh := newAppTheme("zh-Hans").(*appTheme)
	if zh.cjk != nil && zh.Font(fyne.TextStyle{Monospace: true}) == zh.cjk {
		t.Error("the CJK font replaced the monospace font")
	}
}
