// Package cli is the command-line face of mailsetup: subcommands, flags,
// and human or JSON output over the same engine the window uses.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"mailsetup/assistant"
)

// Version is set at build time with -ldflags "-X mailsetup/cli.Version=…".
var Version = "dev"

// Exit codes, as docs/design.md fixes them.
const (
	ExitOK         = 0 // success
	ExitFailed     = 1 // no usable settings, or the check failed for a reason other than the password
	ExitUsage      = 2 // bad flag, malformed address, unknown command
	ExitAuthFailed = 3 // the server rejected the credentials
)

// Env is what a command reads and writes; tests fill it with buffers.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Wire, when set, adjusts the options of every engine a command builds:
	// tests inject the test bed's dialer with it.
	Wire func(*assistant.Options) error
	// OpenBrowser, when set, shows an OAuth2 sign-in page instead of the
	// system's browser (tests drive the test bed's login page with it).
	OpenBrowser func(ctx context.Context, url string) error
}

type command struct {
	name, args, summary string
	run                 func(env *Env, args []string) int
}

func commands() []command {
	return []command{
		{"discover", "EMAIL [options]", "find and probe settings; no password involved", runDiscover},
		{"check", "EMAIL [options]", "discover, then test the login (password: --password-stdin, or a prompt)", runCheck},
		{"diagnose", "HOST[:PORT] [options]", "step-by-step diagnosis of one server", runDiagnose},
		{"export", "EMAIL --format F [-o FILE] [options]", "write the settings for a mail client", runExport},
		{"providers", "[--json]", "list the built-in provider table", runProviders},
		{"help", "[COMMAND]", "show help", runHelp},
		{"version", "", "print the version", runVersion},
	}
}

// Run executes one command line (without the program name) and returns the exit code.
func Run(args []string, e Env) int {
	env := &e
	stdout, stderr := env.Stdout, env.Stderr
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "--version", "-version":
		return runVersion(env, nil)
	case "--help", "-help", "-h":
		usage(stdout)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	fmt.Fprintf(stderr, "mailsetup: unknown command %q\n\n", args[0])
	usage(stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  mailsetup                                  open the window")
	for _, c := range commands() {
		left := strings.TrimSpace("mailsetup " + c.name + " " + c.args)
		fmt.Fprintf(w, "  %-42s %s\n", left, c.summary)
	}
	fmt.Fprint(w, `
Options:
  --json                 one JSON document on stdout
  --dns HOST:PORT        ask this DNS server instead of /etc/resolv.conf
  --protocol pop3|imap   the incoming protocol you want (default pop3)
  --timeout DURATION     bound for the whole run (default 20s)
  --offline              no ISPDB or other third-party look-ups
  --allow-insecure       allow a password over an unencrypted connection
  --allow-untrusted      allow a password to a server only an untrusted source named
  --trust SHA256         accept this certificate fingerprint (repeatable)
  --ca FILE              also trust the CA certificates in FILE
  --lang en|zh-Hans|zh-Hant
  --socks5 HOST:PORT     connect through a SOCKS5 proxy
  --ispdb-url URL        another ISP database (default Thunderbird's)
  -v                     progress and a redacted protocol transcript on stderr

check and diagnose: --password-stdin, --user USER (diagnose), --send-test (check)
export: --format F, -o FILE, --force, --include-password, --from FILE, --incoming/--outgoing HOST:PORT:SECURITY,
        --name NAME, --leave-on-server=false

Exit codes: 0 success, 1 no usable settings or check failed, 2 usage error, 3 authentication failed.
`)
}

func runHelp(env *Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stdout)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			fmt.Fprintf(env.Stdout, "mailsetup %s %s\n  %s\n", c.name, c.args, c.summary)
			return ExitOK
		}
	}
	fmt.Fprintf(env.Stderr, "mailsetup: no help for unknown command %q\n", args[0])
	return ExitUsage
}

func runVersion(env *Env, _ []string) int {
	fmt.Fprintln(env.Stdout, "mailsetup", Version)
	return ExitOK
}

// usageError marks errors that must exit with ExitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

func isUsage(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}
