package export

import (
	"net"
	"strconv"
	"strings"

	"mailsetup/mailcfg"
)

// renderMutt writes muttrc lines that mutt and neomutt both accept (neomutt
// keeps the old names, such as spoolfile and realname, as synonyms).
// Passwords go in *_pass variables, never in URLs. Without the password the
// keyring line is left commented: mutt runs backticks at every start, and
// it asks for a missing password anyway.
func renderMutt(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needBoth, o); err != nil {
		return nil, err
	}
	l := langOf(o.Lang)
	in, out := a.Incoming, a.Outgoing
	pw, included := password(a, o)
	inRef, outRef := secretFor(a, in), secretFor(a, out)
	var trustLines []string
	caFile := ""
	for _, x := range []struct {
		s    mailcfg.Server
		role mailcfg.Role
	}{{in, mailcfg.Incoming}, {out, mailcfg.Outgoing}} {
		tr := trustFor(x.s, x.role, o)
		switch {
		case tr.pin != "":
			trustLines = append(trustLines, l.t("export.mutt_pin", "server", x.s.HostPort(), "sha256", tr.colonHex()))
		case tr.caFile != "":
			trustLines = append(trustLines, tr.lines(x.s, l)...)
			caFile = tr.caFile
		}
	}
	if caFile != "" {
		trustLines = append(trustLines, l.t("export.mutt_ca"))
	}
	usage := []string{l.t("export.mutt_save")}
	if in.Protocol == mailcfg.POP3 {
		usage = append(usage, l.t("export.mutt_pop"))
	}
	h := header{imapID: "export.id.mutt", servers: needBoth, trust: trustLines, keyring: []secretRef{inRef, outRef}, included: included, usage: usage}
	oauth := a.SignsInWithOAuth2()
	// NeoMutt takes a POP3 token with OAUTHBEARER only; mutt takes both.
	popMech, popBearer := tokenMechanism(a, mailcfg.Incoming, mailcfg.MechOAuthBearer)
	if oauth {
		h.oauth = []string{l.t("export.oauth.mutt"), helperLine(a, l)}
		if in.Protocol == mailcfg.POP3 && !popBearer {
			popMech = mailcfg.MechXOAuth2
			h.oauth = append(h.oauth, l.t("export.oauth.mutt_pop", "server", in.HostPort()))
		}
	}

	var b strings.Builder
	set := func(name, value string) { b.WriteString("set " + name + " = " + value + "\n") }
	b.WriteString(hashComments(h.lines(a, l)))
	b.WriteString("\n")
	if a.DisplayName != "" {
		set("realname", muttQuote(a.DisplayName))
	}
	set("from", muttQuote(a.Email))
	set("use_from", "yes")
	b.WriteString("\n")

	inURL := muttURL(in, login(a, in))
	var passVar string
	if in.Protocol == mailcfg.POP3 {
		set("spoolfile", muttQuote(inURL))
		set("pop_host", muttQuote(inURL))
		set("pop_user", muttQuote(login(a, in)))
		set("pop_delete", yesNo(!a.LeaveOnServer))
		passVar = "pop_pass"
	} else {
		set("folder", muttQuote(inURL))
		set("spoolfile", "'+INBOX'")
		set("imap_user", muttQuote(login(a, in)))
		passVar = "imap_pass"
	}
	switch {
	case !oauth:
		writeMuttPass(&b, l, passVar, pw, included, inRef)
	case in.Protocol == mailcfg.POP3:
		writeMuttOAuth(&b, a, "pop", popMech, !popBearer)
	default:
		mech, _ := tokenMechanism(a, mailcfg.Incoming, bothMechanisms...)
		writeMuttOAuth(&b, a, "imap", mech, false)
	}
	b.WriteString("\n")

	set("smtp_url", muttQuote(muttURL(out, login(a, out))))
	if oauth {
		mech, _ := tokenMechanism(a, mailcfg.Outgoing, bothMechanisms...)
		writeMuttOAuth(&b, a, "smtp", mech, false)
	} else {
		writeMuttPass(&b, l, "smtp_pass", pw, included, outRef)
	}
	b.WriteString("\n")

	encrypted := in.Security != mailcfg.None && out.Security != mailcfg.None
	set("ssl_force_tls", yesNo(encrypted))
	set("ssl_starttls", yesNo(in.Security != mailcfg.None || out.Security != mailcfg.None))
	if caFile != "" {
		// mutt has no ifdef to skip this where it is unknown (OpenSSL
		// builds); the header says what to do there.
		set("ssl_ca_certificates_file", muttQuote(caFile))
	}
	return []byte(b.String()), nil
}

func writeMuttPass(b *strings.Builder, l lang, name, pw string, included bool, ref secretRef) {
	if included {
		b.WriteString("set " + name + " = " + muttQuote(pw) + "\n")
		return
	}
	b.WriteString("# " + l.t("export.mutt_password") + "\n")
	b.WriteString("# set " + name + " = \"`" + ref.command() + "`\"\n")
}

// writeMuttOAuth writes the OAuth2 lines of one protocol (pop, imap,
// smtp): the mechanism to send the token with, commented when only mutt
// (not NeoMutt) knows it, and the commented token command for the user to
// give.
func writeMuttOAuth(b *strings.Builder, a mailcfg.Account, proto, mech string, muttOnly bool) {
	line := "set " + proto + "_authenticators = " + muttQuote(strings.ToLower(mech)) + "\n"
	if muttOnly {
		line = "# " + line
	}
	b.WriteString(line)
	b.WriteString("# set " + proto + "_oauth_refresh_command = " + muttQuote(shellJoin(tokenCommand(a))) + "\n")
}

// muttURL: pops:// and imaps:// and smtps:// are implicit TLS; the plain
// schemes upgrade with STARTTLS when ssl_starttls is set.
func muttURL(s mailcfg.Server, user string) string {
	scheme := string(s.Protocol)
	if scheme == "pop3" {
		scheme = "pop"
	}
	if s.Security == mailcfg.TLS {
		scheme += "s"
	}
	return scheme + "://" + urlUserinfo(user) + "@" + net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) + "/"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
