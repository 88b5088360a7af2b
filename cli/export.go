package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"mailsetup/assistant"
	"mailsetup/export"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// maxSettingsDocument bounds a --from file.
const maxSettingsDocument = 4 << 20

func runExport(env *Env, args []string) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	var ef engineFlags
	ef.register(fs, "pop3")
	help := func(name string) string { return flagHelp(fs, name) }
	format := fs.String("format", "", help("format"))
	outFile := fs.String("o", "", help("o"))
	force := fs.Bool("force", false, help("force"))
	includePassword := fs.Bool("include-password", false, help("include-password"))
	passwordStdin := fs.Bool("password-stdin", false, help("password-stdin"))
	from := fs.String("from", "", help("from"))
	incoming := fs.String("incoming", "", help("incoming"))
	outgoing := fs.String("outgoing", "", help("outgoing"))
	name := fs.String("name", "", help("name"))
	leave := fs.Bool("leave-on-server", true, help("leave-on-server"))
	oauth := fs.Bool("oauth", false, help("oauth"))
	rest, err := parseFlags(fs, args, env)
	if err != nil {
		return ExitUsage
	}
	if len(rest) != 1 {
		return reportError(env, "export", usageErr("cli.want_one", "what", "EMAIL"))
	}
	f, ok := export.ByID(*format)
	if !ok {
		return reportError(env, "export", usageErr("cli.bad_format", "formats", formatIDs()))
	}
	if *outFile != "" && !*force {
		if _, err := os.Lstat(*outFile); err == nil {
			return reportError(env, "export", &failure{msg: l10n.M("cli.file_exists", "file", *outFile)})
		}
	}
	lang := ef.language()
	rep, code := exportReport(env, fs, &ef, rest[0], *from)
	if rep == nil {
		return code
	}
	choices := assistant.AccountChoices{DisplayName: *name, LeaveOnServer: *leave, Pins: mailcfg.Pins(ef.trust), Lang: lang,
		OAuth2: *oauth}
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
	if *includePassword && acct.SignsInWithOAuth2() {
		// A token is no password, and no export holds one.
		return reportError(env, "export", usageErr("cli.export_oauth_password", "email", acct.Email))
	}
	if *includePassword {
		if acct.Password, err = readPassword(env, *passwordStdin, rep.Email); err != nil {
			return reportError(env, "export", err)
		}
	}
	opts := export.Options{IncludePassword: *includePassword, Lang: lang,
		IncomingFingerprint: acct.IncomingPin, OutgoingFingerprint: acct.OutgoingPin}
	if *outFile != "" {
		opts.SavedAs, _ = filepath.Abs(*outFile) // Outlook's instructions name the file written
	}
	if ef.ca != "" {
		// Clients resolve a relative path against their own working directory.
		if opts.CAFile, err = filepath.Abs(ef.ca); err != nil {
			return reportError(env, "export", fileError(ef.ca, err))
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
	fmt.Fprintln(env.Stderr, say(env.lang, "cli.wrote", "file", *outFile, "format", f.Name))
	return ExitOK
}

// exportReport discovers, or reads the report from a --from file.
func exportReport(env *Env, fs *flag.FlagSet, ef *engineFlags, email, from string) (*assistant.Report, int) {
	if from == "" {
		return discoverFromArgs(env, fs, ef, []string{email})
	}
	if err := checkAddress(email); err != nil {
		return nil, reportError(env, "export", err)
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
			return nil, fileError(path, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSettingsDocument+1))
	if err != nil {
		return nil, fileError(path, err)
	}
	if len(data) > maxSettingsDocument {
		return nil, &failure{msg: l10n.M("cli.too_large", "file", path, "bytes", strconv.Itoa(maxSettingsDocument))}
	}
	var rep assistant.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, &failure{l10n.M("cli.not_a_report", "file", path, "detail", err.Error()), err}
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
		return nil, &usageError{l10n.M("cli.bad_override", "flag", "--"+string(role)).Because(l10n.FromError(err))}
	}
	return &srv, nil
}

// writeAtomic writes through a temporary file in the same folder and
// renames it into place, so a crash never leaves half a file.
func writeAtomic(path string, data []byte, mode os.FileMode, force bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".mailsetup-*")
	if err != nil {
		return fileError(dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fileError(path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fileError(path, err)
	}
	if err := tmp.Close(); err != nil {
		return fileError(path, err)
	}
	if !force {
		// Link fails if the target appeared meanwhile: never clobber.
		if err := os.Link(tmp.Name(), path); err != nil {
			if errors.Is(err, os.ErrExist) {
				return &failure{l10n.M("cli.file_exists", "file", path), err}
			}
			return fileError(path, err)
		}
		return nil
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fileError(path, err)
	}
	return nil
}

func formatIDs() string {
	var ids []string
	for _, f := range export.Formats() {
		ids = append(ids, f.ID)
	}
	return strings.Join(ids, ", ")
}
