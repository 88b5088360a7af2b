package export

import (
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// renderGetmail writes a getmailrc for getmail6. Its retrievers know
// implicit TLS (the *SSLRetriever classes) or nothing: getmail6 6.18 has no
// STARTTLS, and the plain retriever would send the password in clear to a
// server that expects STARTTLS, so that case is refused.
func renderGetmail(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needIncoming, o); err != nil {
		return nil, err
	}
	s := a.Incoming
	if s.Security == mailcfg.STARTTLS {
		return nil, &UnsupportedError{Format: "getmail", Reason: "getmail6 cannot do STARTTLS",
			Advice: "use the server's implicit-TLS port (POP3 995, IMAP 993) if it offers one, or export for mpop or fetchmail"}
	}
	oauth := a.SignsInWithOAuth2()
	if oauth && s.Protocol != mailcfg.IMAP {
		return nil, &UnsupportedError{Format: "getmail", Code: "export.unsupported.getmail_oauth_pop3",
			Reason: "getmail6 signs in with OAuth2 only over IMAP",
			Advice: "export for mpop, which sends an OAuth2 token over POP3, or fetch over IMAP"}
	}
	if _, ok := tokenMechanism(a, mailcfg.Incoming, mailcfg.MechXOAuth2); oauth && !ok {
		return nil, &UnsupportedError{Format: "getmail", Code: "export.unsupported.getmail_oauth_mech",
			Reason: "getmail6 sends an OAuth2 token only with XOAUTH2, which the server does not take",
			Advice: "export for mutt or aerc, which send it with OAUTHBEARER"}
	}
	pw, included := password(a, o)
	if included && strings.TrimSpace(pw) != pw {
		return nil, &AccountError{Field: "password", Reason: "starts or ends with a space, which a getmailrc cannot hold; leave the password out and let getmail read it from the keyring"}
	}
	l := langOf(o.Lang)
	ref := secretFor(a, s)
	inbox := maildirInbox(a)
	tr := trustFor(s, mailcfg.Incoming, o)
	usage := []string{l.t("export.maildir_prepare", "dir", inbox), l.t("export.getmail_save")}
	if s.Protocol == mailcfg.IMAP {
		usage = append([]string{l.t("export.imap_keep")}, usage...)
	}
	h := header{imapID: "export.id.getmail", servers: needIncoming, trust: tr.lines(s, l), keyring: []secretRef{ref}, included: included, usage: usage}
	if oauth {
		h.oauth = []string{l.t("export.oauth.getmail"), helperLine(a, l)}
	}

	typ := "SimplePOP3"
	if s.Protocol == mailcfg.IMAP {
		typ = "SimpleIMAP"
	}
	if s.Security == mailcfg.TLS {
		typ += "SSL"
	}
	typ += "Retriever"

	var b strings.Builder
	b.WriteString(hashComments(h.lines(a, l)))
	b.WriteString("\n[retriever]\n")
	b.WriteString("type = " + typ + "\n")
	b.WriteString("server = " + s.Host + "\n")
	b.WriteString("port = " + strconv.Itoa(s.Port) + "\n")
	b.WriteString("username = " + login(a, s) + "\n")
	switch {
	case oauth:
		// The token stands for the password; the command that prints
		// one is the user's to give.
		b.WriteString("use_xoauth2 = True\n")
		b.WriteString("# password_command = " + pyTuple(tokenCommand(a)) + "\n")
	case included:
		b.WriteString("password = " + pw + "\n")
	default:
		b.WriteString("password_command = " + pyTuple(ref.argv()) + "\n")
	}
	switch {
	case tr.pin != "":
		b.WriteString("ssl_fingerprints = " + pyTuple([]string{tr.pin}) + "\n")
	case tr.caFile != "":
		// Without ca_certs getmail checks no certificate at all.
		b.WriteString("ca_certs = " + tr.caFile + "\n")
	case s.Security != mailcfg.None:
		// getmail checks no certificate unless told where the trusted
		// roots are: name the system store of Debian and Ubuntu.
		b.WriteString("# Fedora/RHEL: /etc/pki/tls/certs/ca-bundle.crt; macOS (Homebrew): $(brew --prefix)/etc/ca-certificates/cert.pem\n")
		b.WriteString("ca_certs = " + systemCAStore + "\n")
	}
	if s.Protocol == mailcfg.IMAP {
		b.WriteString("mailboxes = (\"INBOX\",)\n")
	}
	b.WriteString("\n[destination]\ntype = Maildir\npath = " + inbox + "/\n")
	b.WriteString("\n[options]\n")
	b.WriteString("delete = " + strconv.FormatBool(!keepOnServer(a)) + "\n")
	b.WriteString("read_all = false\n")
	return []byte(b.String()), nil
}

// systemCAStore is where Debian and Ubuntu keep the trusted roots.
const systemCAStore = "/etc/ssl/certs/ca-certificates.crt"
