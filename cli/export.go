package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mailsetup/assistant"
	"mailsetup/export"
	"mailsetup/mailcfg"
)

// maxSettingsDocument bounds a --from file.
const maxSettingsDocument = 4 << 20

func runExport(env *Env, args []string) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	var ef engineFlags
	ef.register(fs, "pop3")
	format := fs.String("format", "", "client format: "+formatIDs())
	outFile := fs.String("o", "", "write to `FILE` instead of standard output")
	force := fs.Bool("force", false, "overwrite an existing file")
	includePassword := fs.Bool("include-password", false, "put the password into the export (read like check reads it)")
	passwordStdin := fs.Bool("password-stdin", false, "with --include-password: read the password from standard input")
	from := fs.String("from", "", "read the settings from a discover/check JSON `FILE` instead of discovering")
	incoming := fs.String("incoming", "", "override the incoming server: `HOST:PORT:SECURITY`")
	outgoing := fs.String("outgoing", "", "override the outgoing server: `HOST:PORT:SECURITY`")
	name := fs.String("name", "", "your name, as shown to recipients")
	leave := fs.Bool("leave-on-server", true, "POP3: keep a copy of each message on the server")
	rest, err := parseFlags(fs, args, env.Stderr)
	if err != nil {
		return ExitUsage
	}
	if len(rest) != 1 {
		fmt.Fprintln(env.Stderr, "mailsetup export: want exactly one EMAIL argument")
		return ExitUsage
	}
	f, ok := export.ByID(*format)
	if !ok {
		fmt.Fprintf(env.Stderr, "mailsetup export: --format must be one of %s\n", formatIDs())
		return ExitUsage
	}
	if *outFile != "" && !*force {
		if _, err := os.Lstat(*outFile); err == nil {
			fmt.Fprintf(env.Stderr, "mailsetup export: %s exists; use --force to overwrite it\n", *outFile)
			return ExitFailed
		}
	}
	lang := ef.language()
	rep, code := exportReport(env, fs, &ef, rest[0], *from)
	if rep == nil {
		return code
	}
	choices := assistant.AccountChoices{DisplayName: *name, LeaveOnServer: *leave, Pins: mailcfg.Pins(ef.trust), Lang: lang}
	if choices.Incoming, err = override(rep, *incoming, mailcfg.Incoming); err != nil {
		return reportError(env, "export", err)
	}
	if choices.Outgoing, err = override(rep, *outgoing, mailcfg.Outgoing); err != nil {
		return reportError(env, "export", err)
	}
	acct, err := rep.Account(choices)
	if err != nil {
		return reportError(env, "export", err)
	}
	if *includePassword {
		if acct.Password, err = readPassword(env, *passwordStdin, "Password for "+rep.Email+": "); err != nil {
			return reportError(env, "export", err)
		}
	}
	opts := export.Options{IncludePassword: *includePassword, Lang: lang,
		IncomingFingerprint: acct.IncomingPin, OutgoingFingerprint: acct.OutgoingPin}
	if ef.ca != "" {
		// Clients resolve a relative path against their own working directory.
		if opts.CAFile, err = filepath.Abs(ef.ca); err != nil {
			return reportError(env, "export", err)
		}
	}
	data, err := f.Render(acct.Account, opts)
	if err != nil {
		return reportError(env, "export", err)
	}
	if *outFile == "" {
		_, _ = env.Stdout.Write(data)
		return ExitOK
	}
	mode := os.FileMode(0o644)
	if *includePassword && f.CarriesPassword {
		mode = 0o600
	}
	if err := writeAtomic(*outFile, data, mode, *force); err != nil {
		return reportError(env, "export", err)
	}
	fmt.Fprintf(env.Stderr, "wrote %s (%s)\n", *outFile, f.Name)
	return ExitOK
}

// exportReport discovers, or reads the report from a --from file.
func exportReport(env *Env, fs *flag.FlagSet, ef *engineFlags, email, from string) (*assistant.Report, int) {
	if from == "" {
		return discoverFromArgs(env, fs, ef, []string{email})
	}
	if _, err := mailcfg.ParseAddress(email); err != nil {
		return nil, reportError(env, "export", usageErrorf("%v", err))
	}
	rep, err := readReport(from)
	if err != nil {
		return nil, reportError(env, "export", err)
	}
	if rep.Email == "" {
		rep.Email = email
	}
	return rep, ExitOK
}

func readReport(path string) (*assistant.Report, error) {
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSettingsDocument+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSettingsDocument {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxSettingsDocument)
	}
	var rep assistant.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s is not a discover/check JSON document: %v", path, err)
	}
	return &rep, nil
}

// override parses an --incoming/--outgoing HOST:PORT[:SECURITY]; nil when
// not given. The recommendation's username and incoming protocol carry over.
func override(rep *assistant.Report, spec string, role mailcfg.Role) (*mailcfg.Server, error) {
	if spec == "" {
		return nil, nil
	}
	hint := mailcfg.ServerHint{Role: role, RequireSecurity: true}
	if rec := rep.Recommendation(role); rec != nil {
		hint.Username = rec.Username
		if role == mailcfg.Incoming {
			hint.Protocol = rec.Protocol
		}
	}
	srv, err := mailcfg.ParseServer(spec, hint)
	if err != nil {
		return nil, usageErrorf("--%s: %v", role, err)
	}
	return &srv, nil
}

// writeAtomic writes through a temporary file in the same folder and
// renames it into place, so a crash never leaves half a file.
func writeAtomic(path string, data []byte, mode os.FileMode, force bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".mailsetup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if !force {
		// Link fails if the target appeared meanwhile: never clobber.
		if err := os.Link(tmp.Name(), path); err != nil {
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%s exists; use --force to overwrite it", path)
			}
			return err
		}
		return nil
	}
	return os.Rename(tmp.Name(), path)
}

func formatIDs() string {
	var ids []string
	for _, f := range export.Formats() {
		ids = append(ids, f.ID)
	}
	return strings.Join(ids, ", ")
}
