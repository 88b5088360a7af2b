package export

import (
	"fmt"
	"strings"

	"mailsetup/mailcfg"
)

// pwMode is how a format handles the password when it is not written.
type pwMode int

const (
	pwKeyring   pwMode = iota // a command reads it from the keyring (msmtp passwordeval, …)
	pwElsewhere               // the format cannot or does not hold it; lines in notes say where it comes from
)

// header describes the comment block every text format starts with.
type header struct {
	servers  need
	pwMode   pwMode
	keyring  []secretRef // keyring entries the file looks up, for the store hint
	pwNotes  []string    // localized lines when the password is elsewhere
	trust    []string    // localized lines on certificate checks (trust.lines)
	usage    []string    // localized usage lines, after the common block
	included bool        // the password is in the file
	// imapID is the catalogue code of the sentence that says whether the
	// format's client sends IMAP ID, for providers that open mailboxes only
	// to clients that do (NetEase).
	imapID string
	// oauth are the localized lines saying how the format's client signs
	// in with OAuth2, in place of the password lines, for an account that
	// signs in so.
	oauth []string
}

// lines renders the header as plain lines; callers add comment syntax.
func (h header) lines(a mailcfg.Account, l lang) []string {
	who := a.Email
	if a.DisplayName != "" {
		who = a.DisplayName + " <" + a.Email + ">"
	}
	out := []string{l.t("export.generated", "who", who)}
	if a.ProviderName != "" {
		out = append(out, l.t("export.provider", "provider", a.ProviderName))
	}
	if h.servers&needIncoming != 0 {
		out = append(out, l.t("export.incoming", "server", describe(a.Incoming, l)))
	}
	if h.servers&needOutgoing != 0 {
		out = append(out, l.t("export.outgoing", "server", describe(a.Outgoing, l)))
	}
	if h.servers&needIncoming != 0 && a.Incoming.Protocol == mailcfg.POP3 {
		if a.LeaveOnServer {
			out = append(out, l.t("export.pop3_keep"))
		} else {
			out = append(out, l.t("export.pop3_delete"))
		}
	}
	for _, s := range []struct {
		n need
		s mailcfg.Server
	}{{needIncoming, a.Incoming}, {needOutgoing, a.Outgoing}} {
		if h.servers&s.n != 0 && s.s.Security == mailcfg.None {
			out = append(out, l.t("export.insecure", "server", s.s.HostPort()))
		}
	}
	if a.NeedsIMAPID && h.servers&needIncoming != 0 && a.Incoming.Protocol == mailcfg.IMAP && h.imapID != "" {
		who := a.ProviderName
		if who == "" {
			who = a.Domain()
		}
		out = append(out, l.sentences(l.t("export.id.needed", "provider", who), l.t(h.imapID)))
	}
	out = append(out, h.trust...)
	switch {
	case a.SignsInWithOAuth2():
		out = append(out, oauthIntro(a, l))
		out = append(out, h.oauth...)
	case h.included:
		out = append(out, l.t("export.password_included"))
	case h.pwMode == pwKeyring:
		out = append(out, l.sentences(l.t("export.password_absent"), l.t("export.password_keyring")))
		for _, k := range h.keyring {
			out = append(out, "  "+k.storeCommand(a))
		}
	default:
		out = append(out, h.pwNotes...)
	}
	switch {
	case a.PasswordNote == "":
	case a.SignsInWithOAuth2():
		// No password to type: the provider's note stands as a note.
		out = append(out, l.t("export.oauth.note", "note", a.PasswordNote))
	default:
		out = append(out, l.t("export.password_note", "note", a.PasswordNote))
	}
	if a.HelpURL != "" {
		out = append(out, l.t("export.help", "url", a.HelpURL))
	}
	if len(h.usage) > 0 {
		out = append(out, "")
		out = append(out, h.usage...)
	}
	for i, s := range out {
		out[i] = strings.Map(printableOr(' '), s)
	}
	return out
}

func describe(s mailcfg.Server, l lang) string {
	return fmt.Sprintf("%s %s, %s", protocolName(s.Protocol), s.HostPort(), securityName(s.Security, l))
}

func securityName(s mailcfg.Security, l lang) string {
	switch s {
	case mailcfg.TLS:
		return l.t("export.security.tls")
	case mailcfg.STARTTLS:
		return l.t("export.security.starttls")
	}
	return l.t("export.security.none")
}

// hashComments renders lines as # comments, the syntax of every Unix
// client format here.
func hashComments(lines []string) string {
	return prefixLines(lines, "#")
}

func prefixLines(lines []string, prefix string) string {
	var b strings.Builder
	for _, s := range lines {
		if s == "" {
			b.WriteString(prefix + "\n")
			continue
		}
		b.WriteString(prefix + " " + s + "\n")
	}
	return b.String()
}
