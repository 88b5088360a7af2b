package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"mailsetup/l10n"
	"mailsetup/providers"
)

func runProviders(env *Env, args []string) int {
	fs := flag.NewFlagSet("providers", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, flagHelp(fs, "json"))
	langFlag := fs.String("lang", "", flagHelp(fs, "lang"))
	rest, err := parseFlags(fs, args, env)
	if err != nil {
		return ExitUsage
	}
	if len(rest) > 0 {
		return reportError(env, "providers", usageErr("cli.unexpected_arg", "arg", rest[0]))
	}
	all := providers.All()
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(all); err != nil {
			return reportError(env, "providers", err)
		}
		return ExitOK
	}
	lang := l10n.Pick(*langFlag)
	head := func(code string) cell { return cell{text: say(lang, code)} }
	rows := [][]cell{{head("cli.providers.id"), head("cli.providers.name"), head("cli.providers.incoming"),
		head("cli.providers.outgoing"), head("cli.providers.domains")}}
	for _, p := range all {
		rows = append(rows, []cell{{text: p.ID}, {text: p.DisplayName(lang)}, {text: serverList(p.Incoming)},
			{text: serverList(p.Outgoing)}, {text: strings.Join(p.Domains, " ")}})
	}
	printTable(env.Stdout, "", rows)
	fmt.Fprintf(env.Stdout, "\n%s\n", say(lang, "cli.providers.count", "count", strconv.Itoa(len(all))))
	return ExitOK
}

func serverList(ss []providers.Server) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, fmt.Sprintf("%s:%d/%s", s.Host, s.Port, s.Security))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}
