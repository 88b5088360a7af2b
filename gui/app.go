// Package gui is the Fyne window: screens only. It reaches the engine
// through the Engine interface so tests can drive it with fakes, and it
// never imports fyne.io/fyne/v2/app (main.go does), so its tests build
// without cgo. Every decision (ranking, recommendation, notes, consents,
// the account to export) is the engine's; the window shows the report,
// in the user's language, and passes back the user's answers.
//
// One file per screen. The Set up tab is a wizard (wizard.go) of five
// screens over one shared model (model.go): address.go, search.go (with
// candidates.go, the live list), servers.go (with servercard.go),
// login.go (with login_results.go) and export.go (with formats.go). The
// other tabs: troubleshoot.go and settings.go. Engine words come from the
// l10n catalogue (words.go), the window's own labels from its
// translations. Work runs off the UI goroutine and comes back through
// fyne.Do.
package gui

import (
	"fyne.io/fyne/v2"

	"mailsetup/assets"
	"mailsetup/assistant"
)

// AppID is the application's unique ID, also used for its preferences.
const AppID = "org.mailsetup.app"

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", assets.IconPNG)

// Run builds the main window on a and runs the app until it is closed.
// The language stored in the preferences is applied before anything is
// built. wire, when set, adjusts the options of every engine the window
// builds (test builds point it at the test bed); nil in a release.
func Run(a fyne.App, wire func(*assistant.Options) error) {
	a.SetIcon(Icon)
	NewMainWindow(a, wire).ShowAndRun()
}

// NewMainWindow creates the main window with its screens, on the real engine.
func NewMainWindow(a fyne.App, wire func(*assistant.Options) error) fyne.Window {
	return newUI(a, NewEngine(wire)).win
}
