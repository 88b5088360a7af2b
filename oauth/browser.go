package oauth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// browserSettle is how long a browser command may take to fail before it
// counts as started.
const browserSettle = 3 * time.Second

// SystemBrowser opens url in the user's browser: the commands of $BROWSER
// when set (a colon-separated list, each run with the URL as its argument
// or in place of "%s", as xdg-open does), else the platform's opener. The
// browser is left running.
func SystemBrowser(ctx context.Context, url string) error {
	cmds := browserCommands(os.Getenv("BROWSER"), runtime.GOOS, url)
	var errs []error
	for _, argv := range cmds {
		err := startBrowser(ctx, argv)
		if err == nil {
			return nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", argv[0], err))
	}
	if len(errs) == 0 {
		return errors.New("no browser command for this system")
	}
	return errors.Join(errs...)
}

// browserCommands lists the commands to try, in order.
func browserCommands(env, goos, url string) [][]string {
	var cmds [][]string
	for _, entry := range strings.Split(env, ":") {
		f := strings.Fields(entry)
		if len(f) == 0 {
			continue
		}
		replaced := false
		for i, a := range f {
			if strings.Contains(a, "%s") {
				f[i] = strings.ReplaceAll(a, "%s", url)
				replaced = true
			}
		}
		if !replaced {
			f = append(f, url)
		}
		cmds = append(cmds, f)
	}
	if len(cmds) > 0 {
		return cmds
	}
	switch goos {
	case "windows":
		return [][]string{{"rundll32", "url.dll,FileProtocolHandler", url}}
	case "darwin":
		return [][]string{{"open", url}}
	default:
		return [][]string{{"xdg-open", url}}
	}
}

// startBrowser starts argv and waits a moment: a command that fails at
// once (not found, exit status) lets the next one try; one still running
// or done without error has opened the page.
func startBrowser(ctx context.Context, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t := time.NewTimer(browserSettle)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return nil
	case <-ctx.Done():
		return nil
	}
}
