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
	acct, err := rep.Account(lang)
	if err != nil && (*incoming == "" || *outgoing == "") {
		return reportError(env, "export", err)
	}
	acct.Email = rep.Email
	if err := applyOverride(&acct.Incoming, *incoming, mailcfg.Incoming, rep.Email); err != nil {
		return reportError(env, "export", err)
	}
	if err := applyOverride(&acct.Outgoing, *outgoing, mailcfg.Outgoing, rep.Email); err != nil {
		return reportError(env, "export", err)
	}
	acct.DisplayName, acct.LeaveOnServer = *name, *leave
	if *includePassword {
		if acct.Password, err = readPassword(env, *passwordStdin, "Password for "+rep.Email+": "); err != nil {
			return reportError(env, "export", err)
		}
	}
	opts, err := exportTrust(rep, acct, &ef)
	if err != nil {
		return reportError(env, "export", err)
	}
	opts.IncludePassword, opts.Lang = *includePassword, lang
	data, err := f.Render(acct, opts)
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

// exportTrust carries --ca and --trust into the export: the CA file as an
// absolute path (clients resolve relative ones against their own working
// directory), and for each server the --trust fingerprint of the
// certificate it presented when probed, if it is one of them.
func exportTrust(rep *assistant.Report, acct mailcfg.Account, ef *engineFlags) (export.Options, error) {
	var o export.Options
	if ef.ca != "" {
		abs, err := filepath.Abs(ef.ca)
		if err != nil {
			return o, err
		}
		o.CAFile = abs
	}
	o.IncomingFingerprint = pinnedFingerprint(rep, acct.Incoming, ef.trust)
	o.OutgoingFingerprint = pinnedFingerprint(rep, acct.Outgoing, ef.trust)
	return o, nil
}

func pinnedFingerprint(rep *assistant.Report, srv mailcfg.Server, pins []string) string {
	for _, c := range rep.Candidates {
		if c.Server().Key() != srv.Key() || c.TLS.SHA256 == "" {
			continue
		}
		for _, p := range pins {
			if strings.EqualFold(strings.ReplaceAll(p, ":", ""), c.TLS.SHA256) {
				return c.TLS.SHA256
			}
		}
	}
	return ""
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

// applyOverride parses HOST:PORT:SECURITY into srv, keeping the username.
func applyOverride(srv *mailcfg.Server, spec string, role mailcfg.Role, email string) error {
	if spec == "" {
		return nil
	}
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return usageErrorf("--%s %q: want HOST:PORT:SECURITY", role, spec)
	}
	port, err := strconv.Atoi(parts[1])
	if err != nil || port < 1 || port > 65535 {
		return usageErrorf("--%s %q: bad port", role, spec)
	}
	proto, sec, known := mailcfg.InferFromPort(port)
	if len(parts) == 3 {
		if sec, err = mailcfg.ParseSecurity(parts[2]); err != nil {
			return usageErrorf("--%s: %v", role, err)
		}
	} else if !known {
		return usageErrorf("--%s %q: give the security (tls, starttls or none)", role, spec)
	}
	switch {
	case role == mailcfg.Outgoing:
		proto = mailcfg.SMTP
	case known && proto != mailcfg.SMTP:
		// the port says which (993 is IMAP even if discovery chose POP3)
	case srv.Protocol == mailcfg.POP3 || srv.Protocol == mailcfg.IMAP:
		proto = srv.Protocol
	default:
		proto = mailcfg.POP3
	}
	username := srv.Username
	if username == "" {
		username = email
	}
	*srv = mailcfg.Server{Protocol: proto, Host: parts[0], Port: port, Security: sec, Username: username}
	return srv.Validate()
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
