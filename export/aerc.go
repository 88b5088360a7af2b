package export

import (
	"net"
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// renderAerc writes an accounts.conf section. aerc has no POP3 backend, so
// a POP3 account gets a maildir:// source pointing where the mpop and
// getmail exports deliver, with the pairing explained in the header;
// rendering that beats refusing, since sending works as is.
func renderAerc(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needBoth, o); err != nil {
		return nil, err
	}
	l := langOf(o.Lang)
	in, out := a.Incoming, a.Outgoing
	pw, included := password(a, o)
	oauth := a.SignsInWithOAuth2()
	refs := []secretRef{secretFor(a, out)}
	usage := []string{l.t("export.aerc_save")}
	if in.Protocol == mailcfg.POP3 {
		usage = append(usage, l.t("export.aerc_pop", "dir", maildirInbox(a)))
	} else {
		refs = append([]secretRef{secretFor(a, in)}, refs...)
	}
	h := header{imapID: "export.id.aerc", servers: needBoth, keyring: refs, included: included, usage: usage}
	if oauth {
		h.oauth = []string{l.t("export.oauth.aerc"), helperLine(a, l)}
		if a.OAuth2 != nil && a.OAuth2.TokenEndpoint != "" {
			h.oauth = append(h.oauth, l.t("export.oauth.aerc_refresh", "endpoint", a.OAuth2.TokenEndpoint))
		}
	}

	// credCmd is the line that gives aerc the password, or, for an
	// OAuth2 account, the commented line for the token command.
	credCmd := func(key string, s mailcfg.Server) string {
		if oauth {
			return "# " + key + " = " + iniValue(shellJoin(tokenCommand(a))) + "\n"
		}
		return key + " = " + iniValue(secretFor(a, s).command()) + "\n"
	}
	var b strings.Builder
	b.WriteString(hashComments(h.lines(a, l)))
	b.WriteString("\n[" + a.Email + "]\n")
	if in.Protocol == mailcfg.POP3 {
		b.WriteString("source = maildir://" + maildirRoot(a) + "\n")
	} else {
		b.WriteString("source = " + aercURL(a, in, pw, included) + "\n")
		if !included {
			b.WriteString(credCmd("source-cred-cmd", in))
		}
	}
	b.WriteString("outgoing = " + aercURL(a, out, pw, included) + "\n")
	if !included {
		b.WriteString(credCmd("outgoing-cred-cmd", out))
	}
	b.WriteString("default = INBOX\n")
	b.WriteString("from = " + iniValue(addressHeader(a.DisplayName, a.Email)) + "\n")
	b.WriteString("copy-to = Sent\n")
	return []byte(b.String()), nil
}

// aercURL: imaps:// and smtps:// are implicit TLS, imap:// and smtp://
// STARTTLS, and the +insecure variants plain text. An OAuth2 account adds
// the SASL mechanism that takes its token: imaps+xoauth2://,
// smtp+oauthbearer://.
func aercURL(a mailcfg.Account, s mailcfg.Server, pw string, withPassword bool) string {
	scheme := string(s.Protocol)
	switch s.Security {
	case mailcfg.TLS:
		scheme += "s"
	case mailcfg.None:
		scheme += "+insecure"
	}
	if a.SignsInWithOAuth2() {
		mech, _ := tokenMechanism(a, s.Role(), bothMechanisms...)
		scheme += "+" + strings.ToLower(mech)
	}
	userinfo := urlUserinfo(login(a, s))
	if withPassword {
		userinfo += ":" + urlUserinfo(pw)
	}
	return scheme + "://" + userinfo + "@" + net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// iniValue protects a value holding '#' or ';' from aerc's INI parser
// (go-ini), which would take them for an inline comment, by wrapping it in
// backticks, go-ini's raw-string quoting.
func iniValue(s string) string {
	if strings.ContainsAny(s, "#;") && !strings.Contains(s, "`") {
		return "`" + s + "`"
	}
	return s
}

// addressHeader formats "Name <addr>", quoting the name when it holds
// characters outside RFC 5322 atoms.
func addressHeader(name, addr string) string {
	if name == "" {
		return addr
	}
	plain := true
	for _, r := range name {
		if !(r == ' ' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 0x7f ||
			strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)) {
			plain = false
			break
		}
	}
	if plain {
		return name + " <" + addr + ">"
	}
	q := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)
	return `"` + q + `" <` + addr + ">"
}
