package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"mailsetup/assistant"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

func runCheck(env *Env, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var ef engineFlags
	ef.register(fs, "pop3")
	passwordStdin := fs.Bool("password-stdin", false, flagHelp(fs, "password-stdin"))
	sendTest := fs.Bool("send-test", false, flagHelp(fs, "send-test"))
	var of oauthFlags
	of.register(fs)
	eng, email, code := engineFromArgs(env, fs, &ef, args, "EMAIL")
	if eng == nil {
		return code
	}
	addr, err := mailcfg.ParseAddress(email) // checked by engineFromArgs
	if err != nil {
		return reportError(env, "check", err)
	}
	q := assistant.LoginRequest{Grants: ef.grants(), SendTest: *sendTest}
	useOAuth := of.wanted(addr)
	if !useOAuth {
		if q.Password, err = readPassword(env, *passwordStdin, email); err != nil {
			return reportError(env, "check", err)
		}
	}
	ctx, stop := signalContext()
	defer stop()
	var rep *assistant.Report
	signInCode := ExitOK
	if useOAuth {
		// The sign-in needs the provider, which the discovery finds.
		if rep, err = eng.Discover(ctx, email); err != nil {
			return reportError(env, "check", err)
		}
		if q.OAuth, signInCode = signIn(ctx, env, eng, rep, &of); signInCode == ExitOK {
			eng.Check(ctx, rep, q)
		}
	} else if rep, err = eng.DiscoverAndCheck(ctx, email, q); err != nil {
		// The password is known: each role logs in the moment it settles,
		// on the probe's own connection.
		return reportError(env, "check", err)
	}
	if ef.json {
		writeJSON(env.Stdout, rep)
	} else {
		printReport(env.Stdout, rep, ef.language(), ef.verbose)
	}
	switch {
	case signInCode != ExitOK:
		return signInCode
	case rep.Login.OK() && (rep.Send == nil || rep.Send.Arrived):
		return ExitOK
	case rep.Login.AuthFailed():
		return ExitAuthFailed
	}
	return ExitFailed
}

// readPassword takes the first line of stdin, or asks for the password of
// user on the terminal without echo.
func readPassword(env *Env, fromStdin bool, user string) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", &failure{l10n.M("cli.password_stdin_failed", "detail", err.Error()), err}
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", usageErr("cli.password_stdin_empty")
		}
		return line, nil
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", usageErr("cli.no_terminal")
	}
	defer tty.Close()
	fmt.Fprint(tty, say(env.lang, "cli.password_prompt", "user", user))
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", &failure{l10n.M("cli.password_failed", "detail", err.Error()), err}
	}
	if len(b) == 0 {
		return "", usageErr("cli.no_password")
	}
	return string(b), nil
}

// printLoginSection writes the login test: one aligned row per server and
// one for the test message, then the hints, each once even when both
// servers failed for the same reason.
func printLoginSection(w io.Writer, p painter, lang string, rep *assistant.Report) {
	fmt.Fprintf(w, "\n%s\n", p.bold(say(lang, "cli.login")))
	ok, failed := cell{text: say(lang, "cli.ok"), paint: p.green}, cell{text: say(lang, "cli.failed"), paint: p.red}
	var rows [][]cell
	for _, r := range []struct {
		role mailcfg.Role
		o    *assistant.LoginOutcome
	}{{mailcfg.Incoming, rep.Login.Incoming}, {mailcfg.Outgoing, rep.Login.Outgoing}} {
		o := r.o
		if o == nil {
			continue
		}
		server := "—"
		if o.Server.Host != "" {
			server = o.Server.HostPort()
		}
		label := cell{text: roleLabel(lang, r.role)}
		if o.OK {
			what := say(lang, "cli.login_ok", "user", o.Username, "mechanism", o.Mechanism)
			if o.Server.Protocol != mailcfg.SMTP {
				code := "cli.login_ok_messages"
				if o.Messages == 1 {
					code = "cli.login_ok_message"
				}
				what = say(lang, code, "user", o.Username, "mechanism", o.Mechanism, "count", strconv.Itoa(o.Messages))
			}
			rows = append(rows, []cell{label, ok, {text: server}, {text: what}})
			continue
		}
		what := o.ReasonText(lang)
		// A hint the notes above already hold is pointed to, not repeated.
		if o.ExplainedAbove {
			what += say(lang, "cli.see_note")
		}
		rows = append(rows, []cell{label, failed, {text: server}, {text: what}})
	}
	if s := rep.Send; s != nil {
		out := rep.Login.Outgoing.Server.HostPort()
		var what string
		switch {
		case s.Arrived:
			what = say(lang, "cli.send_arrived", "server", out, "took", seconds(s.ElapsedMS))
		case s.Sent:
			what = say(lang, "cli.send_not_arrived", "server", out, "cause", s.ReasonText(lang))
		default:
			what = say(lang, "cli.send_not_sent", "cause", s.ReasonText(lang))
		}
		status := failed
		if s.Arrived {
			status = ok
		}
		// The test message has no server column of its own.
		rows = append(rows, []cell{{text: say(lang, "cli.send")}, status, {text: what}})
	}
	printColumns(w, rows)
	for _, h := range rep.Login.Notes {
		fmt.Fprintf(w, "  → %s\n", h.Text)
		if h.URL != "" {
			fmt.Fprintf(w, "    %s\n", h.URL)
		}
	}
}

// seconds formats a duration in milliseconds for people: "40 ms", "2.5 s".
func seconds(ms int64) string {
	if ms < 1000 {
		return fmt.Sprintf("%d ms", ms)
	}
	return fmt.Sprintf("%.1f s", float64(ms)/1000)
}
