// Package gui is the Fyne window: screens only. It reaches the engine
// through the Engine interface so tests can drive it with fakes, and it
// never imports fyne.io/fyne/v2/app (main.go does), so its tests build
// without cgo.
//
// One file per screen: setup.go (the wizard's address page and its
// flow), progress.go (the live search), results.go (the server cards),
// login.go, export.go, troubleshoot.go and settings.go. Work runs off the
// UI goroutine and comes back through fyne.Do.
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
