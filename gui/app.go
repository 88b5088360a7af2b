// Package gui is the Fyne window: screens only. It reaches the engine
// through the Engine interface so tests can drive it with fakes, and it
// never imports fyne.io/fyne/v2/app (main.go does), so its tests build
// without cgo.
package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"mailsetup/assets"
)

// AppID is the application's unique ID, also used for its preferences.
const AppID = "org.mailsetup.app"

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", assets.IconPNG)

// Run builds the main window on a and runs the app until it is closed.
func Run(a fyne.App) {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("loading translations", err)
	}
	a.SetIcon(Icon)
	w := NewMainWindow(a)
	w.ShowAndRun()
}
