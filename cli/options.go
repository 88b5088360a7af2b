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
}

// register adds the shared flags; defaultProtocol is --protocol's default
// ("" where the command infers it, as diagnose does from the port).
func (f *engineFlags) register(fs *flag.FlagSet, defaultProtocol string) {
	fs.BoolVar(&f.json, "json", false, "print one JSON document on stdout")
	fs.StringVar(&f.dns, "dns", "", "DNS server `HOST:PORT` (default: /etc/resolv.conf)")
	fs.StringVar(&f.protocol, "protocol", defaultProtocol, "incoming protocol: pop3 or imap")
	fs.DurationVar(&f.timeout, "timeout", assistant.DefaultTimeout, "bound for the whole run")
	fs.BoolVar(&f.offline, "offline", false, "no ISPDB or other third-party look-ups")
	fs.BoolVar(&f.allowInsecure, "allow-insecure", false, "allow a password over an unencrypted connection")
	fs.BoolVar(&f.allowUntrust, "allow-untrusted", false, "allow a password to a server only an untrusted source named")
	fs.Var(&f.trust, "trust", "accept the certificate with this SHA-256 fingerprint (repeatable)")
	fs.StringVar(&f.ca, "ca", "", "also trust the CA certificates in `FILE` (PEM)")
	fs.StringVar(&f.lang, "lang", "", "language: en, zh-Hans or zh-Hant (default: from the environment)")
	fs.BoolVar(&f.verbose, "v", false, "print progress and the redacted protocol transcript on stderr")
	fs.StringVar(&f.socks5, "socks5", "", "connect through the SOCKS5 proxy at `HOST:PORT`")
	fs.StringVar(&f.ispdbURL, "ispdb-url", "", "base `URL` of the ISP database (default Thunderbird's)")
}

// options turns the flags into engine options; stderr gets -v output.
func (f *engineFlags) options(env *Env) (assistant.Options, error) {
	proto := assistant.DefaultProtocol
	if f.protocol != "" {
		p, err := mailcfg.ParseProtocol(f.protocol)
		if err != nil || p == mailcfg.SMTP {
			return assistant.Options{}, usageErrorf("--protocol must be pop3 or imap, not %q", f.protocol)
		}
		proto = p
	}
	if f.timeout <= 0 {
		return assistant.Options{}, usageErrorf("--timeout must be positive")
	}
	for _, fp := range f.trust {
		if !mailcfg.ValidFingerprint(fp) {
			return assistant.Options{}, usageErrorf("--trust %q is not a SHA-256 fingerprint (64 hex digits)", fp)
		}
	}
	o := assistant.Options{
		Protocol: proto, DNS: f.dns, Timeout: f.timeout, Offline: f.offline,
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

// progressPrinter prints engine events for -v.
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
