// Package cli is the command-line face of mailsetup: subcommands, flags,
// and human or JSON output over the same engine the window uses.
package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"mailsetup/assistant"
)

// Version is set at build time with -ldflags "-X mailsetup/cli.Version=…".
var Version = "dev"

// Exit codes, as DESIGN.md fixes them.
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

	lang string // the language the command speaks
}

type command struct {
	name, args string
	run        func(env *Env, args []string) int
}

func commands() []command {
	return []command{
		{"discover", "EMAIL [options]", runDiscover},
		{"check", "EMAIL [options]", runCheck},
		{"diagnose", "HOST[:PORT] [options]", runDiagnose},
		{"export", "EMAIL --format F [-o FILE] [options]", runExport},
		{"providers", "[--json]", runProviders},
		{"help", "[COMMAND]", runHelp},
		{"version", "", runVersion},
	}
}

// summary is what a command does, in lang.
func (c command) summary(lang string) string { return say(lang, "cli.cmd."+c.name) }

// Run executes one command line (without the program name) and returns the exit code.
func Run(args []string, e Env) int {
	env := &e
	env.lang = langOfArgs(args)
	stdout, stderr := env.Stdout, env.Stderr
	if len(args) == 0 {
		usage(stderr, env.lang)
		return ExitUsage
	}
	switch args[0] {
	case "--version", "-version":
		return runVersion(env, nil)
	case "--help", "-help", "-h":
		usage(stdout, env.lang)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	fmt.Fprintf(stderr, "mailsetup: %s\n\n", say(env.lang, "cli.unknown_command", "command", args[0]))
	usage(stderr, env.lang)
	return ExitUsage
}

// usageOptions are the options usage lists, each with its words' code.
var usageOptions = []struct{ left, code string }{
	{"--json", "cli.opt.json"},
	{"--dns HOST:PORT", "cli.opt.dns"},
	{"--protocol pop3|imap", "cli.opt.protocol"},
	{"--timeout DURATION", "cli.opt.timeout"},
	{"--offline", "cli.opt.offline"},
	{"--allow-insecure", "cli.opt.allow_insecure"},
	{"--allow-untrusted", "cli.opt.allow_untrusted"},
	{"--trust SHA256", "cli.opt.trust"},
	{"--ca FILE", "cli.opt.ca"},
	{"--lang en|zh-Hans|zh-Hant", ""},
	{"--socks5 HOST:PORT", "cli.opt.socks5"},
	{"--ispdb-url URL", "cli.opt.ispdb_url"},
	{"-v", "cli.opt.verbose"},
}

// synopsis is the command with its arguments, in lang.
func (c command) synopsis(lang string) string {
	args := strings.ReplaceAll(c.args, "[options]", say(lang, "cli.synopsis.options"))
	return strings.TrimSpace("mailsetup " + c.name + " " + args)
}

func usage(w io.Writer, lang string) {
	fmt.Fprintln(w, say(lang, "cli.usage"))
	fmt.Fprintf(w, "  %s %s\n", pad("mailsetup", 42), say(lang, "cli.cmd.window"))
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s %s\n", pad(c.synopsis(lang), 42), c.summary(lang))
	}
	fmt.Fprintf(w, "\n%s\n", say(lang, "cli.options"))
	for _, o := range usageOptions {
		if o.code == "" {
			fmt.Fprintf(w, "  %s\n", o.left)
			continue
		}
		fmt.Fprintf(w, "  %-22s %s\n", o.left, say(lang, o.code))
	}
	fmt.Fprintf(w, "\n%s\n%s\n\n%s\n", say(lang, "cli.usage.check_flags"), say(lang, "cli.usage.export_flags"),
		say(lang, "cli.usage.exit_codes"))
}

func runHelp(env *Env, args []string) int {
	var topic []string // the arguments but --lang and its value
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--lang" || a == "-lang":
			i++
		case !strings.HasPrefix(a, "-"):
			topic = append(topic, a)
		}
	}
	if len(topic) == 0 {
		usage(env.Stdout, env.lang)
		return ExitOK
	}
	args = topic
	for _, c := range commands() {
		if c.name == args[0] {
			fmt.Fprintf(env.Stdout, "%s\n  %s\n", c.synopsis(env.lang), c.summary(env.lang))
			return ExitOK
		}
	}
	fmt.Fprintf(env.Stderr, "mailsetup: %s\n", say(env.lang, "cli.no_help", "command", args[0]))
	return ExitUsage
}

func runVersion(env *Env, _ []string) int {
	fmt.Fprintln(env.Stdout, "mailsetup", Version)
	return ExitOK
}
