package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"mailsetup/assistant"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

func runDiscover(env *Env, args []string) int {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	var ef engineFlags
	ef.register(fs, "pop3")
	rep, code := discoverFromArgs(env, fs, &ef, args)
	if rep == nil {
		return code
	}
	if ef.json {
		writeJSON(env.Stdout, rep)
	} else {
		printReport(env.Stdout, rep, ef.language(), ef.verbose)
	}
	if !rep.Complete() {
		return ExitFailed
	}
	return ExitOK
}

// discoverFromArgs parses the flags and one EMAIL argument, then discovers.
// It returns a nil report with the exit code when it could not.
func discoverFromArgs(env *Env, fs *flag.FlagSet, ef *engineFlags, args []string) (*assistant.Report, int) {
	eng, email, code := engineFromArgs(env, fs, ef, args, "EMAIL")
	if eng == nil {
		return nil, code
	}
	ctx, stop := signalContext()
	defer stop()
	rep, err := eng.Discover(ctx, email)
	if err != nil {
		return nil, reportError(env, fs.Name(), err)
	}
	return rep, ExitOK
}

// engineFromArgs parses the flags and exactly one positional argument, an
// EMAIL: a typo in the address is reported before anything else happens
// (before anyone types a password).
func engineFromArgs(env *Env, fs *flag.FlagSet, ef *engineFlags, args []string, what string) (*assistant.Engine, string, int) {
	rest, err := parseFlags(fs, args, env)
	if err != nil {
		return nil, "", ExitUsage
	}
	if len(rest) != 1 {
		return nil, "", reportError(env, fs.Name(), usageErr("cli.want_one", "what", what))
	}
	if what == "EMAIL" {
		if err := checkAddress(rest[0]); err != nil {
			return nil, "", reportError(env, fs.Name(), err)
		}
	}
	eng, err := newEngine(env, ef)
	if err != nil {
		return nil, "", reportError(env, fs.Name(), err)
	}
	return eng, rest[0], ExitOK
}

// newEngine builds the engine the flags ask for.
func newEngine(env *Env, ef *engineFlags) (*assistant.Engine, error) {
	opts, err := ef.options(env)
	if err != nil {
		return nil, err
	}
	eng, err := assistant.New(opts)
	if err != nil {
		return nil, usageFrom(err)
	}
	return eng, nil
}

// checkAddress says what is wrong with an address the user typed, quoting it.
func checkAddress(email string) error {
	_, err := mailcfg.ParseAddress(email)
	var ae *mailcfg.AddressError
	if errors.As(err, &ae) {
		return &usageError{l10n.M("cli.bad_address", "address", email).Because(ae.Message())}
	}
	return err
}

// reportError prints err in the command's language and picks the exit code.
func reportError(env *Env, cmd string, err error) int {
	fmt.Fprintf(env.Stderr, "mailsetup %s: %s\n", cmd, l10n.FromError(err).In(env.lang))
	var ae *mailcfg.AddressError
	if isUsage(err) || errors.As(err, &ae) {
		return ExitUsage
	}
	return ExitFailed
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
