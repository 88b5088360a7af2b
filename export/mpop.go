package export

import (
	"strings"

	"mailsetup/mailcfg"
)

// renderMpop writes ~/.mpoprc delivering into the Maildir aerc's export
// reads. mpop speaks only POP3.
func renderMpop(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needIncoming, o); err != nil {
		return nil, err
	}
	if a.Incoming.Protocol != mailcfg.POP3 {
		return nil, &UnsupportedError{Format: "mpop", Reason: "mpop speaks only POP3, and the incoming server is IMAP",
			Advice: "export for fetchmail or getmail to fetch from IMAP, or read IMAP directly with mutt or aerc"}
	}
	l := langOf(o.Lang)
	s := a.Incoming
	pw, included := password(a, o)
	ref := secretFor(a, s)
	inbox := maildirInbox(a)
	tr := trustFor(s, mailcfg.Incoming, o)
	h := header{
		servers:  needIncoming,
		trust:    tr.lines(s, l),
		keyring:  []secretRef{ref},
		included: included,
		usage: []string{
			l.t("export.maildir_prepare", "dir", inbox),
			l.t("export.save_as", "file", "~/.mpoprc"),
			l.t("export.check", "command", "mpop --serverinfo "+shellQuote(a.Email)),
		},
		oauth: passwordevalLines(a, s, "mpop", l),
	}
	var b strings.Builder
	b.WriteString(hashComments(h.lines(a, l)))
	b.WriteString("\ndefaults\n\n")
	// "auth on" would refuse USER/PASS without TLS, hence "auth user".
	writeMsmtpAccount(&b, a, s, tr, "user", ref, pw, included)
	b.WriteString("keep " + onOff(a.LeaveOnServer) + "\n")
	b.WriteString("only_new on\n")
	b.WriteString("delivery maildir " + msmtpQuote(inbox) + "\n")
	b.WriteString("\naccount default : " + a.Email + "\n")
	return []byte(b.String()), nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
