// Command mailsetup finds, tests and exports mail account settings. With no
// arguments it opens the window; with a subcommand it is a command-line tool
// on the same engine.
package main

import (
	"os"

	"fyne.io/fyne/v2/app"

	"mailsetup/assistant"
	"mailsetup/cli"
	"mailsetup/gui"
	_ "mailsetup/internal/envlocale" // before Fyne reads the locale
)

// wire adjusts every engine's options; nil in the release build. A build
// with -tags testhooks sets it (testhooks.go) to reach the test bed.
var wire func(*assistant.Options) error

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Wire: wire}))
	}
	gui.Run(app.NewWithID(gui.AppID), wire)
}
