package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"mailsetup/l10n"
	"mailsetup/providers"
)

func runProviders(env *Env, args []string) int {
	fs := flag.NewFlagSet("providers", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the table as JSON")
	langFlag := fs.String("lang", "", "language of the names: en, zh-Hans or zh-Hant")
	rest, err := parseFlags(fs, args, env.Stderr)
	if err != nil {
		return ExitUsage
	}
	if len(rest) > 0 {
		fmt.Fprintf(env.Stderr, "mailsetup providers: unexpected argument %q\n", rest[0])
		return ExitUsage
	}
	all := providers.All()
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(all); err != nil {
			fmt.Fprintln(env.Stderr, "mailsetup providers:", err)
			return ExitFailed
		}
		return ExitOK
	}
	lang := l10n.Pick(*langFlag)
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tINCOMING\tOUTGOING\tDOMAINS")
	for _, p := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.DisplayName(lang), serverList(p.Incoming), serverList(p.Outgoing),
			strings.Join(p.Domains, " "))
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "\n%d providers\n", len(all))
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
