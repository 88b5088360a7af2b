package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"mailsetup/assistant"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// engineFlags are the options every engine command shares.
type engineFlags struct {
	json          bool
	dns           string
	protocol      string
	timeout       time.Duration
	offline       bool
	allowInsecure bool // consent to plain text
	allowUntrust  bool // consent to servers only untrusted sources named
	trust         stringList
	ca            string
	lang          string
	verbose       bool
	socks5        string
	ispdbURL      string

	fs *flag.FlagSet // to tell a flag given from its default
}

// register adds the shared flags; defaultProtocol is --protocol's default
// ("" where the command infers it, as diagnose does from the port).
func (f *engineFlags) register(fs *flag.FlagSet, defaultProtocol string) {
	f.fs = fs
	help := func(name string) string { return flagHelp(fs, name) }
	fs.BoolVar(&f.json, "json", false, help("json"))
	fs.StringVar(&f.dns, "dns", "", help("dns"))
	fs.StringVar(&f.protocol, "protocol", defaultProtocol, help("protocol"))
	fs.DurationVar(&f.timeout, "timeout", assistant.DefaultTimeout, help("timeout"))
	fs.BoolVar(&f.offline, "offline", false, help("offline"))
	fs.BoolVar(&f.allowInsecure, "allow-insecure", false, help("allow-insecure"))
	fs.BoolVar(&f.allowUntrust, "allow-untrusted", false, help("allow-untrusted"))
	fs.Var(&f.trust, "trust", help("trust"))
	fs.StringVar(&f.ca, "ca", "", help("ca"))
	fs.StringVar(&f.lang, "lang", "", help("lang"))
	fs.BoolVar(&f.verbose, "v", false, help("v"))
	fs.StringVar(&f.socks5, "socks5", "", help("socks5"))
	fs.StringVar(&f.ispdbURL, "ispdb-url", "", help("ispdb-url"))
}

// options turns the flags into engine options; stderr gets -v output.
func (f *engineFlags) options(env *Env) (assistant.Options, error) {
	proto := assistant.DefaultProtocol
	if f.protocol != "" {
		p, err := mailcfg.ParseProtocol(f.protocol)
		if err != nil || p == mailcfg.SMTP {
			return assistant.Options{}, usageErr("cli.bad_incoming_protocol", "value", f.protocol)
		}
		proto = p
	}
	if f.timeout <= 0 {
		return assistant.Options{}, usageErr("cli.bad_timeout")
	}
	for _, fp := range f.trust {
		if !mailcfg.ValidFingerprint(fp) {
			return assistant.Options{}, usageErr("cli.bad_trust", "value", fp)
		}
	}
	o := assistant.Options{
		Protocol: proto, ProtocolChosen: f.given("protocol"), DNS: f.dns, Timeout: f.timeout, Offline: f.offline,
		Trust: mailcfg.Pins(f.trust), CAFile: f.ca, SOCKS5: f.socks5, ISPDBURL: f.ispdbURL, Lang: f.language(),
	}
	if f.verbose {
		// Probes write transcripts and events from many goroutines.
		w := &lockedWriter{w: env.Stderr}
		o.Transcript = w
		o.OnEvent = progressPrinter(w)
	}
	if env.Wire != nil {
		if err := env.Wire(&o); err != nil {
			return o, err
		}
	}
	return o, nil
}

func (f *engineFlags) language() string { return l10n.Pick(f.lang) }

// grants are the consents the flags give.
func (f *engineFlags) grants() assistant.Grants {
	return assistant.Grants{Plaintext: assistant.Grant{All: f.allowInsecure}, UntrustedSource: assistant.Grant{All: f.allowUntrust}}
}

// progressPrinter prints engine events for -v, in English whatever the
// language: they are for debugging, beside the protocol transcript.
func progressPrinter(w io.Writer) func(assistant.Event) {
	return func(ev assistant.Event) {
		at := fmt.Sprintf("[%6.3fs]", ev.Time.Seconds())
		ev.Error = strings.ReplaceAll(ev.Error, "\n", "; ")
		switch ev.Kind {
		case assistant.SourceStarted:
			fmt.Fprintf(w, "%s source %s started\n", at, ev.Source)
		case assistant.SourceFinished:
			if ev.Error != "" {
				fmt.Fprintf(w, "%s source %s finished: %s\n", at, ev.Source, ev.Error)
			} else {
				fmt.Fprintf(w, "%s source %s finished\n", at, ev.Source)
			}
		case assistant.CandidateAdded:
			c := ev.Candidate
			fmt.Fprintf(w, "%s candidate %s %s:%d %s (from %s)\n", at, c.Protocol, c.Host, c.Port, c.Security, ev.Source)
		case assistant.ProbeFinished:
			c := ev.Candidate
			fmt.Fprintf(w, "%s probed %s %s:%d %s: %s %s\n", at, c.Protocol, c.Host, c.Port, c.Security, c.Status, c.Error)
		case assistant.RoleSettled:
			fmt.Fprintf(w, "%s %s settled\n", at, ev.Phase)
		case assistant.LoginStarted, assistant.LoginFinished:
			fmt.Fprintf(w, "%s %s %s %s\n", at, ev.Kind, ev.Phase, ev.Error)
		}
	}
}

// given reports whether the user gave the flag name, rather than leaving
// it at its default.
func (f *engineFlags) given(name string) bool {
	found := false
	if f.fs != nil {
		f.fs.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	}
	return found
}
