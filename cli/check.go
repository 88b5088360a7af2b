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
	"mailsetup/mailcfg"
)

func runCheck(env *Env, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var ef engineFlags
	ef.register(fs, "pop3")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	sendTest := fs.Bool("send-test", false, "send a test message to yourself and wait for it to arrive")
	var of oauthFlags
	of.register(fs)
	eng, email, code := engineFromArgs(env, fs, &ef, args, "EMAIL")
	if eng == nil {
		return code
	}
	// A typo in the address is reported before anyone types a password.
	addr, err := mailcfg.ParseAddress(email)
	if err != nil {
		return reportError(env, "check", err)
	}
	q := assistant.LoginRequest{Grants: ef.grants(), SendTest: *sendTest}
	useOAuth := of.wanted(addr)
	if !useOAuth {
		if q.Password, err = readPassword(env, *passwordStdin, "Password for "+email+": "); err != nil {
			return reportError(env, "check", err)
		}
	}
	ctx, stop := signalContext()
	defer stop()
	rep, err := eng.Discover(ctx, email)
	if err != nil {
		return reportError(env, "check", err)
	}
	signInCode := ExitOK
	if useOAuth {
		q.OAuth, signInCode = signIn(ctx, env, eng, rep, &of)
	}
	if signInCode == ExitOK {
		eng.Check(ctx, rep, q)
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

// loginWords are the login section's own phrases.
var loginWords = map[string]map[string]string{
	"en": {
		"sent-arrived": "sent through %s and arrived after %s",
		"not-arrived":  "sent through %s, but did not arrive: %s",
		"not-sent":     "not sent: %s",
		"sep":          ", ",
		"see-note":     "(explained in the note above)",
	},
	"zh-Hans": {
		"sent-arrived": "已通过 %s 发送，%s 后收到",
		"not-arrived":  "已通过 %s 发送，但没有收到：%s",
		"not-sent":     "没有发出：%s",
		"sep":          "，",
		"see-note":     "（原因见上方提示）",
	},
	"zh-Hant": {
		"sent-arrived": "已透過 %s 寄出，%s 後收到",
		"not-arrived":  "已透過 %s 寄出，但沒有收到：%s",
		"not-sent":     "沒有寄出：%s",
		"sep":          "，",
		"see-note":     "（原因見上方提示）",
	},
}

func loginWord(lang, key string) string {
	if w, ok := loginWords[lang][key]; ok {
		return w
	}
	return loginWords["en"][key]
}

// printLoginSection writes the login test: one aligned row per server and
// one for the test message, then the hints, each once even when both
// servers failed for the same reason.
func printLoginSection(w io.Writer, p painter, lang string, rep *assistant.Report) {
	fmt.Fprintf(w, "\n%s\n", p.bold(word(lang, "login")))
	var rows [][4]string // label, status, server, what happened
	var oks []bool
	for _, r := range []struct {
		label string
		o     *assistant.LoginOutcome
	}{{word(lang, "incoming"), rep.Login.Incoming}, {word(lang, "outgoing"), rep.Login.Outgoing}} {
		o := r.o
		if o == nil {
			continue
		}
		server := "—"
		if o.Server.Host != "" {
			server = o.Server.HostPort()
		}
		if o.OK {
			sep := loginWord(lang, "sep")
			what := word(lang, "user") + " " + o.Username + sep + o.Mechanism
			if o.Server.Protocol != mailcfg.SMTP {
				unit := word(lang, "messages")
				if o.Messages == 1 && lang == "en" {
					unit = "message"
				}
				what += fmt.Sprintf("%s%d %s", sep, o.Messages, unit)
			}
			rows, oks = append(rows, [4]string{r.label, word(lang, "ok"), server, what}), append(oks, true)
			continue
		}
		what := o.ReasonText(lang)
		// A hint the notes above already hold is pointed to, not repeated.
		if o.ExplainedAbove {
			what += " " + loginWord(lang, "see-note")
		}
		rows, oks = append(rows, [4]string{r.label, word(lang, "failed"), server, what}), append(oks, false)
	}
	if s := rep.Send; s != nil {
		out := rep.Login.Outgoing.Server.HostPort()
		var what string
		switch {
		case s.Arrived:
			what = fmt.Sprintf(loginWord(lang, "sent-arrived"), out, seconds(s.ElapsedMS))
		case s.Sent:
			what = fmt.Sprintf(loginWord(lang, "not-arrived"), out, s.Error)
		default:
			what = fmt.Sprintf(loginWord(lang, "not-sent"), s.Error)
		}
		status := word(lang, "failed")
		if s.Arrived {
			status = word(lang, "ok")
		}
		rows, oks = append(rows, [4]string{word(lang, "send"), status, "", what}), append(oks, s.Arrived)
	}

	var width [3]int
	for _, r := range rows {
		for i := range width {
			width[i] = max(width[i], displayWidth(r[i]))
		}
	}
	for i, r := range rows {
		colour := "32"
		if !oks[i] {
			colour = "31"
		}
		line := "  " + pad(r[0], width[0]) + "  " + p.paint(colour, pad(r[1], width[1])) + "  "
		if r[2] != "" {
			line += pad(r[2], width[2]) + "  "
		}
		fmt.Fprintln(w, strings.TrimRight(line+r[3], " "))
	}
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
