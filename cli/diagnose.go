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
	security := fs.String("security", "", "tls, starttls or none (default: from the port)")
	user := fs.String("user", "", "also test the login as `USER`")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	rest, err := parseFlags(fs, args, env.Stderr)
	if err != nil {
		return ExitUsage
	}
	if len(rest) != 1 {
		fmt.Fprintln(env.Stderr, "mailsetup diagnose: want exactly one HOST[:PORT] argument")
		return ExitUsage
	}
	srv, err := diagnoseTarget(rest[0], ef.protocol, *security)
	if err != nil {
		return reportError(env, "diagnose", err)
	}
	srv.Username = *user
	if srv.Protocol == mailcfg.SMTP {
		ef.protocol = "" // --protocol smtp names the server's protocol, not an incoming preference
	}
	opts, err := ef.options(env)
	if err != nil {
		return reportError(env, "diagnose", err)
	}
	eng, err := assistant.New(opts)
	if err != nil {
		return reportError(env, "diagnose", usageErrorf("%v", err))
	}
	req := assistant.DiagnoseRequest{Server: srv, Grants: ef.grants()}
	if *user != "" {
		if req.Password, err = readPassword(env, *passwordStdin, "Password for "+*user+": "); err != nil {
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
			return mailcfg.Server{}, usageErrorf("%v", err)
		}
		hint.Protocol = p
	}
	if security != "" {
		s, err := mailcfg.ParseSecurity(security)
		if err != nil {
			return mailcfg.Server{}, usageErrorf("%v", err)
		}
		hint.Security = s
	}
	srv, err := mailcfg.ParseServer(arg, hint)
	if err != nil {
		return srv, usageErrorf("%v", err)
	}
	return srv, nil
}

// diagnoseWords frame the steps; the steps speak English, hints the
// user's language.
var diagnoseWords = map[string]map[string]string{
	"en": {
		"tls": "%s over TLS", "starttls": "%s with STARTTLS", "none": "%s without encryption", "as": "as %s",
		"passed": "Every step passed.", "failed-at": "Failed at the %s step.",
	},
	"zh-Hans": {
		"tls": "%s，TLS 加密", "starttls": "%s，STARTTLS 加密", "none": "%s，不加密", "as": "用户名 %s",
		"passed": "每一步都通过了。", "failed-at": "在 %s 这一步失败。",
	},
	"zh-Hant": {
		"tls": "%s，TLS 加密", "starttls": "%s，STARTTLS 加密", "none": "%s，不加密", "as": "使用者名稱 %s",
		"passed": "每個步驟都通過了。", "failed-at": "在 %s 這個步驟失敗。",
	},
}

func diagnoseWord(lang, key string) string {
	if w, ok := diagnoseWords[lang][key]; ok {
		return w
	}
	return diagnoseWords["en"][key]
}

// printDiagnosis writes one line per step (mark, name, time, outcome) with
// its details aligned under the outcome, then the verdict and the hints.
func printDiagnosis(w io.Writer, d *assistant.Diagnosis, lang string) {
	p := newPainter(w)
	t := d.Target
	head := t.HostPort() + "  " + fmt.Sprintf(diagnoseWord(lang, string(t.Security)), strings.ToUpper(string(t.Protocol)))
	if t.Username != "" {
		head += ", " + fmt.Sprintf(diagnoseWord(lang, "as"), t.Username)
	}
	fmt.Fprintln(w, p.bold(head))

	nameWidth := 0
	for _, s := range d.Steps {
		nameWidth = max(nameWidth, len(s.Name))
	}
	const msWidth = 8 // "12345 ms"
	indent := strings.Repeat(" ", 2+1+1+nameWidth+2+msWidth+2)
	failedAt := ""
	for _, s := range d.Steps {
		mark := p.paint("32", "✓")
		switch {
		case s.Skipped:
			mark = p.paint("33", "–")
		case !s.OK:
			mark = p.paint("31", "✗")
			if failedAt == "" {
				failedAt = s.Name
			}
		}
		took := fmt.Sprintf("%*d ms", msWidth-3, s.MS)
		if s.Skipped {
			took = strings.Repeat(" ", msWidth)
		}
		fmt.Fprintf(w, "  %s %-*s  %s  %s\n", mark, nameWidth, s.Name, took, s.Summary)
		for _, det := range s.Details {
			fmt.Fprintf(w, "%s%s\n", indent, det)
		}
	}
	if failedAt == "" {
		fmt.Fprintln(w, p.paint("32", diagnoseWord(lang, "passed")))
	} else {
		fmt.Fprintln(w, p.paint("31", fmt.Sprintf(diagnoseWord(lang, "failed-at"), failedAt)))
	}
	for _, h := range d.Hints {
		fmt.Fprintf(w, "  → %s\n", h.Text)
		if h.URL != "" {
			fmt.Fprintf(w, "    %s\n", h.URL)
		}
	}
}
