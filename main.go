// Command mailsetup finds, tests and exports mail account settings. With no
// arguments it opens the window; with a subcommand it is a command-line tool
// on the same engine.
package main

import (
	"os"

	"fyne.io/fyne/v2/app"

	"mailsetup/cli"
	"mailsetup/gui"
	_ "mailsetup/internal/envlocale" // before Fyne reads the locale
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	gui.Run(app.NewWithID(gui.AppID))
}
