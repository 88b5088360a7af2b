package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"

	"mailsetup/l10n"
)

// The command line's words are the l10n catalogue's cli.* texts, beside the
// engine's own codes for statuses, reasons, steps and hints: the window and
// the command line say the same things in the same words. The -v progress
// lines alone stay English: they are for debugging, beside the protocol
// transcript, and name the engine's events as the code does.

// say renders the catalogue text code in lang, with name/value pairs.
func say(lang, code string, pairs ...string) string { return l10n.Text(lang, code, pairs...) }

// langOfArgs is the language a command line asks for with --lang before
// its flags are parsed, else the environment's: the errors about the flags
// themselves speak it too.
func langOfArgs(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			value = args[i+1]
		}
		return l10n.Pick(value)
	}
	return l10n.Pick("")
}

// usageError marks errors that must exit with ExitUsage.
type usageError struct{ msg l10n.Message }

func (e *usageError) Error() string         { return e.msg.String() }
func (e *usageError) Message() l10n.Message { return e.msg }

// usageErr is a usage error saying the catalogue text code.
func usageErr(code string, pairs ...string) error { return &usageError{l10n.M(code, pairs...)} }

// usageFrom makes err a usage error, keeping its words.
func usageFrom(err error) error { return &usageError{l10n.FromError(err)} }

func isUsage(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}

// failure is an error of the command line's own, in any language.
type failure struct {
	msg l10n.Message
	err error
}

func (e *failure) Error() string         { return e.msg.String() }
func (e *failure) Message() l10n.Message { return e.msg }
func (e *failure) Unwrap() error         { return e.err }

// fileError says what went wrong with a file the user named.
func fileError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &failure{l10n.M("cli.file_missing", "file", path), err}
	case errors.Is(err, fs.ErrPermission):
		return &failure{l10n.M("cli.file_denied", "file", path), err}
	}
	return &failure{l10n.M("cli.file_error", "file", path, "detail", err.Error()), err}
}

// flagErrorRE reads the flag package's errors, which have no types: the
// package's own fixed words, not a server's.
var flagErrorRE = []struct {
	re   *regexp.Regexp
	code string
	args []string
}{
	{regexp.MustCompile(`^flag provided but not defined: -(.*)$`), "cli.flag_undefined", []string{"flag"}},
	{regexp.MustCompile(`^flag needs an argument: -(.*)$`), "cli.flag_needs_value", []string{"flag"}},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "cli.flag_syntax", []string{"arg"}},
	{regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-([^:]*): `), "cli.flag_bad_value", []string{"value", "flag"}},
	{regexp.MustCompile(`^invalid boolean flag ([^:]*): `), "cli.flag_not_boolean", []string{"flag"}},
}

// flagError says a flag parsing error in any language.
func flagError(err error) l10n.Message {
	if errors.Is(err, flag.ErrHelp) {
		return l10n.M("cli.flag_help")
	}
	for _, f := range flagErrorRE {
		if m := f.re.FindStringSubmatch(err.Error()); m != nil {
			var pairs []string
			for i, name := range f.args {
				pairs = append(pairs, name, m[i+1])
			}
			return l10n.M(f.code, pairs...)
		}
	}
	return l10n.FromError(err)
}

// flagArgs fill the placeholders of flags' help texts.
var flagArgs = map[string][]string{"format": {"formats", formatIDs()}}

// flagText is a flag's help in lang: the command's own text when it has
// one (cli.flag.export.password-stdin), else the shared one.
func flagText(cmd, name, lang string) string {
	if code := "cli.flag." + cmd + "." + name; l10n.Has(code) {
		return say(lang, code, flagArgs[name]...)
	}
	if code := "cli.flag." + name; l10n.Has(code) {
		return say(lang, code, flagArgs[name]...)
	}
	return name
}

// flagHelp is flagText in English, for registering a flag.
func flagHelp(fs *flag.FlagSet, name string) string { return flagText(fs.Name(), name, l10n.English) }

// printFlags lists fs's flags in lang, as flag.PrintDefaults does in English.
func printFlags(w io.Writer, fs *flag.FlagSet, lang string) {
	fs.VisitAll(func(f *flag.Flag) {
		g := *f
		g.Usage = flagText(fs.Name(), f.Name, lang)
		name, usage := flag.UnquoteUsage(&g)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		if len(line) <= 4 { // a one-letter flag without a value: on one line
			line += "\t"
		} else {
			line += "\n    \t"
		}
		line += usage
		switch f.DefValue {
		case "", "false", "0", "0s":
		default:
			line += say(lang, "cli.flag_default", "value", f.DefValue)
		}
		fmt.Fprintln(w, line)
	})
}
