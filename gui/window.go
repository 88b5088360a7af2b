package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// NewMainWindow creates the main window with its screens.
func NewMainWindow(a fyne.App) fyne.Window {
	w := a.NewWindow(lang.X("app.title", "mailsetup"))
	address := widget.NewEntry()
	address.SetPlaceHolder(lang.X("setup.address.placeholder", "alice@example.com"))
	w.SetContent(container.NewVBox(
		widget.NewLabel(lang.X("setup.address", "Email address")),
		address,
	))
	w.Resize(fyne.NewSize(800, 600))
	return w
}
