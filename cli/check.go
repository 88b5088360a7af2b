package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"mailsetup/assistant"
)

func runCheck(env *Env, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var ef engineFlags
	ef.register(fs)
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	sendTest := fs.Bool("send-test", false, "send a test message to yourself and wait for it to arrive")
	eng, email, code := engineFromArgs(env, fs, &ef, args, "EMAIL")
	if eng == nil {
		return code
	}
	password, err := readPassword(env, *passwordStdin, "Password for "+email+": ")
	if err != nil {
		return reportError(env, "check", err)
	}
	ctx, stop := signalContext()
	defer stop()
	rep, err := eng.Discover(ctx, email)
	if err != nil {
		return reportError(env, "check", err)
	}
	eng.Check(ctx, rep, assistant.CheckOptions{Password: password, AllowUntrusted: ef.allowInsecure, SendTest: *sendTest})
	if ef.json {
		writeJSON(env.Stdout, rep)
	} else {
		printReport(env.Stdout, rep, ef.language(), ef.verbose)
	}
	switch {
	case rep.Login.OK() && (rep.Send == nil || rep.Send.Arrived):
		return ExitOK
	case rep.Login.AuthFailed():
		return ExitAuthFailed
	}
	return ExitFailed
}

// readPassword takes the first line of stdin, or prompts on the terminal
// without echo.
func readPassword(env *Env, fromStdin bool, prompt string) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password from stdin: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", usageErrorf("--password-stdin: standard input held no password")
		}
		return line, nil
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", usageErrorf("no terminal to ask for the password on: use --password-stdin")
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if len(b) == 0 {
		return "", usageErrorf("no password given")
	}
	return string(b), nil
}

func printLogin(w io.Writer, p painter, lang, label string, o *assistant.LoginOutcome) {
	if o == nil {
		return
	}
	if o.OK {
		extra := ""
		if o.Server.Protocol != "smtp" {
			extra = fmt.Sprintf(", %d %s", o.Messages, word(lang, "messages"))
		}
		fmt.Fprintf(w, "  %s  %s  %s (%s %s, %s%s)\n", label, p.paint("32", word(lang, "ok")), o.Server.HostPort(),
			word(lang, "user"), o.Username, o.Mechanism, extra)
		return
	}
	fmt.Fprintf(w, "  %s  %s  %s: %s\n", label, p.paint("31", word(lang, "failed")), o.Server.HostPort(), o.Error)
	for _, h := range o.Hints {
		fmt.Fprintf(w, "      → %s\n", h.Text)
		if h.URL != "" {
			fmt.Fprintf(w, "        %s\n", h.URL)
		}
	}
}

func printSend(w io.Writer, p painter, lang string, s *assistant.SendTest) {
	status := p.paint("32", word(lang, "ok"))
	if !s.Arrived {
		status = p.paint("31", word(lang, "failed"))
	}
	fmt.Fprintf(w, "  %s  %s  %s %s\n", word(lang, "send"), status, s.MessageID, s.Error)
}
