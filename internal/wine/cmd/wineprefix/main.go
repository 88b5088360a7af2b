// Command wineprefix makes a throw-away Wine prefix the way the tests do
// (wineboot, the ProcessPrng shim, a home of its own) and prints the
// environment to run programs in it, as NAME='VALUE' lines for a shell:
//
//	wineprefix [-parent DIR]
//
// WINE_ROOT names the folder holding the prefix and its home; remove it
// (after `wineserver -k`) when done. scripts/screenshot-windows.sh uses it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mailsetup/internal/wine"
)

func main() {
	parent := flag.String("parent", "", "make the prefix in a new folder under `DIR` (default: the temporary folder)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	p, err := wine.NewPrefix(ctx, *parent)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wineprefix:", err)
		os.Exit(1)
	}
	fmt.Printf("WINE_ROOT=%s\n", quote(filepath.Dir(p.Dir)))
	for _, kv := range p.Env() {
		name, value, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "WINE") || name == "HOME" || strings.HasPrefix(name, "XDG_") {
			fmt.Printf("%s=%s\n", name, quote(value))
		}
	}
}

// quote makes value one word for a POSIX shell (WINEDLLOVERRIDES holds ";").
func quote(value string) string {
	return "'" + strings.ReplaceAll(value, "'", `'\''`) + "'"
}
