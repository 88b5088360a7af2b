package export

import (
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// renderMsmtp writes ~/.msmtprc. msmtp's "auth on" refuses to send a
// password in clear, so a server without encryption gets "auth plain",
// which the header warns about.
func renderMsmtp(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needOutgoing, o); err != nil {
		return nil, err
	}
	l := langOf(o.Lang)
	s := a.Outgoing
	pw, included := password(a, o)
	ref := secretFor(a, s)
	tr := trustFor(s, mailcfg.Outgoing, o)
	h := header{
		servers:  needOutgoing,
		trust:    tr.lines(s, l),
		keyring:  []secretRef{ref},
		included: included,
		usage: []string{
			l.t("export.save_as", "file", "~/.msmtprc"),
			l.t("export.check", "command", "msmtp --account="+shellQuote(a.Email)+" --serverinfo"),
		},
		oauth: passwordevalLines(a, s, "msmtp", l),
	}
	var b strings.Builder
	b.WriteString(hashComments(h.lines(a, l)))
	b.WriteString("\ndefaults\n\n")
	writeMsmtpAccount(&b, a, s, tr, "plain", ref, pw, included)
	b.WriteString("from " + a.Email + "\n")
	b.WriteString("\naccount default : " + a.Email + "\n")
	return []byte(b.String()), nil
}

// writeMsmtpAccount writes the account block msmtp and mpop share: the
// server, its TLS and certificate checks, and the login. clearAuth is the
// auth method for a server without encryption, where "auth on" would
// refuse to send the password.
func writeMsmtpAccount(b *strings.Builder, a mailcfg.Account, s mailcfg.Server, tr trust, clearAuth string, ref secretRef, pw string, included bool) {
	b.WriteString("account " + a.Email + "\n")
	b.WriteString("host " + s.Host + "\n")
	b.WriteString("port " + strconv.Itoa(s.Port) + "\n")
	b.WriteString(tlsLines(s.Security))
	b.WriteString(tr.msmtpLines())
	if a.SignsInWithOAuth2() {
		// The token goes where the password would; the command that
		// prints one is the user's to give.
		mech, _ := tokenMechanism(a, s.Role(), bothMechanisms...)
		b.WriteString("auth " + strings.ToLower(mech) + "\n")
		b.WriteString("user " + msmtpQuote(login(a, s)) + "\n")
		b.WriteString("# passwordeval " + msmtpQuote(shellJoin(tokenCommand(a))) + "\n")
		return
	}
	if s.Security == mailcfg.None {
		b.WriteString("auth " + clearAuth + "\n")
	} else {
		b.WriteString("auth on\n")
	}
	b.WriteString("user " + msmtpQuote(login(a, s)) + "\n")
	if included {
		b.WriteString("password " + msmtpQuote(pw) + "\n")
	} else {
		b.WriteString("passwordeval " + msmtpQuote(ref.command()) + "\n")
	}
}

// tlsLines are the TLS settings msmtp and mpop share.
func tlsLines(sec mailcfg.Security) string {
	switch sec {
	case mailcfg.TLS:
		return "tls on\ntls_starttls off\n"
	case mailcfg.STARTTLS:
		return "tls on\ntls_starttls on\n"
	}
	return "tls off\n"
}

// msmtpLines are the certificate checks in msmtp and mpop syntax; nothing
// means the system store (tls_trust_file's default).
func (t trust) msmtpLines() string {
	switch {
	case t.pin != "":
		return "tls_fingerprint " + t.colonHex() + "\n"
	case t.caFile != "":
		return "tls_trust_file " + msmtpQuote(t.caFile) + "\n"
	}
	return ""
}

// passwordevalLines say, for an OAuth2 account, that msmtp or mpop sends
// an access token as the password and where the command for it goes.
func passwordevalLines(a mailcfg.Account, s mailcfg.Server, client string, l lang) []string {
	if !a.SignsInWithOAuth2() {
		return nil
	}
	mech, _ := tokenMechanism(a, s.Role(), bothMechanisms...)
	return []string{l.t("export.oauth.passwordeval", "client", client, "mechanism", strings.ToLower(mech)), helperLine(a, l)}
}
