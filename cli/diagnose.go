package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

func runDiagnose(env *Env, args []string) int {
	fs := flag.NewFlagSet("diagnose", flag.ContinueOnError)
	var ef engineFlags
	ef.register(fs, "") // inferred from the port unless given
	security := fs.String("security", "", flagHelp(fs, "security"))
	user := fs.String("user", "", flagHelp(fs, "user"))
	passwordStdin := fs.Bool("password-stdin", false, flagHelp(fs, "password-stdin"))
	rest, err := parseFlags(fs, args, env)
	if err != nil {
		return ExitUsage
	}
	if len(rest) != 1 {
		return reportError(env, "diagnose", usageErr("cli.want_one", "what", "HOST[:PORT]"))
	}
	srv, err := diagnoseTarget(rest[0], ef.protocol, *security)
	if err != nil {
		return reportError(env, "diagnose", err)
	}
	srv.Username = *user
	if srv.Protocol == mailcfg.SMTP {
		ef.protocol = "" // --protocol smtp names the server's protocol, not an incoming preference
	}
	eng, err := newEngine(env, &ef)
	if err != nil {
		return reportError(env, "diagnose", err)
	}
	req := assistant.DiagnoseRequest{Server: srv, Grants: ef.grants()}
	if *user != "" {
		if req.Password, err = readPassword(env, *passwordStdin, *user); err != nil {
			return reportError(env, "diagnose", err)
		}
	}
	ctx, stop := signalContext()
	defer stop()
	d := eng.Diagnose(ctx, req)
	if ef.json {
		writeJSON(env.Stdout, d)
	} else {
		printDiagnosis(env.Stdout, d, ef.language())
	}
	switch {
	case d.OK:
		return ExitOK
	case d.AuthFailed:
		return ExitAuthFailed
	}
	return ExitFailed
}

// diagnoseTarget parses HOST[:PORT] and fills protocol and security from
// the port when not given (995 → POP3 over TLS, 587 → SMTP with STARTTLS, …).
func diagnoseTarget(arg, protocol, security string) (mailcfg.Server, error) {
	var hint mailcfg.ServerHint
	if protocol != "" {
		p, err := mailcfg.ParseProtocol(protocol)
		if err != nil {
			return mailcfg.Server{}, usageErr("cli.bad_protocol", "value", protocol)
		}
		hint.Protocol = p
	}
	if security != "" {
		s, err := mailcfg.ParseSecurity(security)
		if err != nil {
			return mailcfg.Server{}, usageErr("cli.bad_security", "value", security)
		}
		hint.Security = s
	}
	srv, err := mailcfg.ParseServer(arg, hint)
	if err != nil {
		return srv, usageFrom(err)
	}
	return srv, nil
}

// printDiagnosis writes one line per step (mark, name, time, outcome) with
// its details aligned under the outcome, then the verdict and the hints.
func printDiagnosis(w io.Writer, d *assistant.Diagnosis, lang string) {
	p := newPainter(w)
	t := d.Target
	head := t.HostPort() + "  " + say(lang, "cli.diag_target."+string(t.Security), "protocol", strings.ToUpper(string(t.Protocol)))
	if t.Username != "" {
		head += say(lang, "cli.diag_as", "user", t.Username)
	}
	fmt.Fprintln(w, p.bold(head))

	nameWidth := 0
	for _, s := range d.Steps {
		nameWidth = max(nameWidth, displayWidth(s.Label(lang)))
	}
	const msWidth = 8 // "12345 ms"
	indent := strings.Repeat(" ", 2+1+1+nameWidth+2+msWidth+2)
	var failedAt *assistant.Step
	for i, s := range d.Steps {
		mark := p.paint("32", "✓")
		switch {
		case s.Skipped:
			mark = p.paint("33", "–")
		case !s.OK:
			mark = p.paint("31", "✗")
			if failedAt == nil {
				failedAt = &d.Steps[i]
			}
		}
		took := fmt.Sprintf("%*d ms", msWidth-3, s.MS)
		if s.Skipped {
			took = strings.Repeat(" ", msWidth)
		}
		fmt.Fprintf(w, "  %s %s  %s  %s\n", mark, pad(s.Label(lang), nameWidth), took, s.SummaryText(lang))
		for _, det := range s.DetailTexts(lang) {
			fmt.Fprintf(w, "%s%s\n", indent, det)
		}
	}
	if failedAt == nil {
		fmt.Fprintln(w, p.paint("32", say(lang, "cli.diag_passed")))
	} else {
		fmt.Fprintln(w, p.paint("31", say(lang, "cli.diag_failed_at", "step", failedAt.Label(lang))))
	}
	for _, h := range d.Hints {
		fmt.Fprintf(w, "  → %s\n", h.Text)
		if h.URL != "" {
			fmt.Fprintf(w, "    %s\n", h.URL)
		}
	}
}
