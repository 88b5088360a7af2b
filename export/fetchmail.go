package export

import (
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// renderFetchmail writes ~/.fetchmailrc. Implicit TLS is "ssl"; STARTTLS
// is enforced by sslproto without "ssl" (fetchmail 6.4: a TLS sslproto
// makes STARTTLS mandatory); a plaintext server needs sslproto ” and
// "no sslcertck", since sslcertck alone demands STARTTLS.
func renderFetchmail(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needIncoming, o); err != nil {
		return nil, err
	}
	s := a.Incoming
	tr := trustFor(s, mailcfg.Incoming, o)
	if tr.pin != "" {
		return nil, &UnsupportedError{Format: "fetchmail", Reason: "fetchmail pins certificates only by MD5 fingerprint, and the pin given is SHA-256",
			Advice: "export for mpop or getmail, which pin SHA-256 fingerprints, or trust the server's CA with --ca"}
	}
	l := langOf(o.Lang)
	user := login(a, s)
	pw, included := password(a, o)
	notes := []string{l.sentences(l.t("export.password_absent"), l.t("export.fetchmail_password", "host", s.Host, "user", user))}
	usage := []string{
		l.t("export.fetchmail_deliver"),
		l.t("export.save_as", "file", "~/.fetchmailrc"),
		l.t("export.check", "command", "fetchmail --check"),
	}
	if s.Protocol == mailcfg.IMAP {
		usage = append([]string{l.t("export.imap_keep")}, usage...)
	}
	h := header{imapID: "export.id.fetchmail", servers: needIncoming, trust: tr.lines(s, l), pwMode: pwElsewhere, pwNotes: notes, included: included, usage: usage}
	oauth := a.SignsInWithOAuth2()
	if oauth {
		h.oauth = []string{l.t("export.oauth.fetchmail")}
	}

	var b strings.Builder
	b.WriteString("\npoll " + fetchmailQuote(s.Host) + " with proto " + protocolName(s.Protocol) +
		" service " + strconv.Itoa(s.Port) + " auth password")
	if s.Protocol == mailcfg.POP3 {
		// Track seen messages by UIDL so kept mail is not fetched again.
		b.WriteString(" uidl")
	}
	b.WriteString("\n")
	b.WriteString("    user " + fetchmailQuote(user) + " there\n")
	if included {
		b.WriteString("    password " + fetchmailQuote(pw) + "\n")
	}
	switch s.Security {
	case mailcfg.TLS:
		b.WriteString("    ssl sslproto \"TLS1.2+\" sslcertck\n")
	case mailcfg.STARTTLS:
		b.WriteString("    sslproto \"TLS1.2+\" sslcertck\n")
	default:
		b.WriteString("    sslproto \"\" no sslcertck\n")
	}
	if tr.caFile != "" {
		// Replaces the system store unless the environment sets
		// FETCHMAIL_INCLUDE_DEFAULT_X509_CA_CERTS.
		b.WriteString("    sslcertfile " + fetchmailQuote(tr.caFile) + "\n")
	}
	if keepOnServer(a) {
		b.WriteString("    keep\n")
	} else {
		b.WriteString("    no keep\n")
	}
	poll := b.String()
	if oauth {
		// fetchmail would send a password, which the server does not
		// want: the entry stays for reference, out of fetchmail's reach.
		poll = strings.ReplaceAll(strings.TrimSuffix(poll, "\n"), "\n", "\n# ") + "\n"
	}
	return []byte(hashComments(h.lines(a, l)) + poll), nil
}
