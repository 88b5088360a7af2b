package gui

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
)

// ui is the main window and the state behind its screens. Every field is
// touched on the UI goroutine only; workers hand results back through do.
type ui struct {
	app      fyne.App
	win      fyne.Window
	eng      Engine
	settings Settings
	lang     string // the language the window speaks: en, zh-Hans or zh-Hant

	// do runs f on the UI goroutine (fyne.Do); tests queue instead.
	do func(f func())
	// work tracks background jobs so tests can wait for them.
	work sync.WaitGroup
	// ask shows a yes/no question with content; tests answer it directly.
	ask func(title, yes string, content fyne.CanvasObject, answer func(bool))
	// openBrowser shows an OAuth2 sign-in page; nil is the system's
	// browser (oauth.SystemBrowser). Tests play the user at the page.
	openBrowser func(ctx context.Context, url string) error
	// clientIDsPath is the file of the OAuth2 client IDs (oauth.ClientIDs),
	// shared with the command line; "" when there is no configuration folder.
	clientIDsPath string

	tabs       *container.AppTabs
	setup      *wizard
	trouble    *troubleshootView
	settingsUI *settingsView
}

// Tab order of the main window.
const (
	tabSetup = iota
	tabTroubleshoot
	tabSettings
)

// newUI creates the window on a, with its screens, talking to eng.
func newUI(a fyne.App, eng Engine) *ui {
	u := &ui{app: a, eng: eng, do: fyne.Do}
	u.ask = u.dialogAsk
	u.settings = loadSettings(a.Preferences())
	u.clientIDsPath = clientIDsPath()
	u.lang = applyLanguage(u.settings.Language)
	setTextWrap(u.lang)
	a.Settings().SetTheme(newAppTheme(u.lang))
	u.win = a.NewWindow(lang.X("app.title", "mailsetup — mail account setup"))
	u.setup = newWizard(u)
	u.trouble = newTroubleshootView(u)
	u.settingsUI = newSettingsView(u)
	u.win.SetContent(u.content(tabSetup))
	u.win.Resize(fyne.NewSize(880, 660))
	u.focusTab()
	return u
}

// content builds the tabs, selecting tab.
func (u *ui) content(tab int) fyne.CanvasObject {
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.X("tab.setup", "Set up"), theme.MailComposeIcon(), u.setup.content()),
		container.NewTabItemWithIcon(lang.X("tab.troubleshoot", "Troubleshoot"), theme.SearchIcon(), u.trouble.content()),
		container.NewTabItemWithIcon(lang.X("tab.settings", "Settings"), theme.SettingsIcon(), u.settingsUI.content()),
	)
	u.tabs.SelectIndex(tab)
	u.tabs.OnSelected = func(*container.TabItem) { u.focusTab() }
	return u.tabs
}

// focusTab puts the keyboard focus on the first field of the shown tab.
func (u *ui) focusTab() {
	switch u.tabs.SelectedIndex() {
	case tabSetup:
		u.setup.focusFirst()
	case tabTroubleshoot:
		u.trouble.focusFirst()
	}
}

// relabel rebuilds every screen in the current language, keeping the
// state behind them and the selected tab.
func (u *ui) relabel() {
	tab := tabSettings
	if u.tabs != nil {
		tab = u.tabs.SelectedIndex()
	}
	u.lang = applyLanguage(u.settings.Language)
	setTextWrap(u.lang)
	u.app.Settings().SetTheme(newAppTheme(u.lang))
	u.win.SetTitle(lang.X("app.title", "mailsetup — mail account setup"))
	u.win.SetContent(u.content(tab))
	u.focusTab()
}

// engineSettings are the settings for a call to the engine: a copy, in
// the language the window speaks (the preference may say "system").
func (u *ui) engineSettings() Settings {
	s := u.settings.clone()
	s.Language = u.lang
	return s
}

// saveSettings stores the settings in the preferences.
func (u *ui) saveSettings() { saveSettings(u.app.Preferences(), u.settings) }

// background runs job off the UI goroutine. A panic in it is reported in
// a dialog instead of ending the program.
func (u *ui) background(job func()) {
	u.work.Add(1)
	go func() {
		defer u.work.Done()
		defer func() {
			if r := recover(); r != nil {
				err := fmt.Errorf("%v", r)
				fyne.LogError("background job failed: "+string(debug.Stack()), err)
				u.do(func() { u.showError(err) })
			}
		}()
		job()
	}()
}

// showError tells the user about an unexpected error.
func (u *ui) showError(err error) {
	dialog.ShowError(err, u.win)
}

// dialogAsk is the production ask: a modal confirm dialog.
func (u *ui) dialogAsk(title, yes string, content fyne.CanvasObject, answer func(bool)) {
	d := dialog.NewCustomConfirm(title, yes, lang.X("dialog.cancel", "Cancel"), content, answer, u.win)
	d.Resize(fyne.NewSize(620, 0))
	d.Show()
}
