package export

import (
	"bytes"
	"strings"

	"howett.net/plist"

	"mailsetup/mailcfg"
)

// appleProfile is the outer Configuration payload.
type appleProfile struct {
	PayloadContent           []appleMail `plist:"PayloadContent"`
	PayloadDescription       string      `plist:"PayloadDescription"`
	PayloadDisplayName       string      `plist:"PayloadDisplayName"`
	PayloadIdentifier        string      `plist:"PayloadIdentifier"`
	PayloadRemovalDisallowed bool        `plist:"PayloadRemovalDisallowed"`
	PayloadType              string      `plist:"PayloadType"`
	PayloadUUID              string      `plist:"PayloadUUID"`
	PayloadVersion           int         `plist:"PayloadVersion"`
}

// appleMail is a com.apple.mail.managed payload.
type appleMail struct {
	EmailAccountDescription                string `plist:"EmailAccountDescription"`
	EmailAccountName                       string `plist:"EmailAccountName,omitempty"`
	EmailAccountType                       string `plist:"EmailAccountType"`
	EmailAddress                           string `plist:"EmailAddress"`
	IncomingMailServerAuthentication       string `plist:"IncomingMailServerAuthentication"`
	IncomingMailServerHostName             string `plist:"IncomingMailServerHostName"`
	IncomingMailServerPortNumber           int    `plist:"IncomingMailServerPortNumber"`
	IncomingMailServerUseSSL               bool   `plist:"IncomingMailServerUseSSL"`
	IncomingMailServerUsername             string `plist:"IncomingMailServerUsername"`
	IncomingPassword                       string `plist:"IncomingPassword,omitempty"`
	OutgoingMailServerAuthentication       string `plist:"OutgoingMailServerAuthentication"`
	OutgoingMailServerHostName             string `plist:"OutgoingMailServerHostName"`
	OutgoingMailServerPortNumber           int    `plist:"OutgoingMailServerPortNumber"`
	OutgoingMailServerUseSSL               bool   `plist:"OutgoingMailServerUseSSL"`
	OutgoingMailServerUsername             string `plist:"OutgoingMailServerUsername"`
	OutgoingPassword                       string `plist:"OutgoingPassword,omitempty"`
	OutgoingPasswordSameAsIncomingPassword bool   `plist:"OutgoingPasswordSameAsIncomingPassword"`
	PayloadDescription                     string `plist:"PayloadDescription"`
	PayloadDisplayName                     string `plist:"PayloadDisplayName"`
	PayloadIdentifier                      string `plist:"PayloadIdentifier"`
	PayloadType                            string `plist:"PayloadType"`
	PayloadUUID                            string `plist:"PayloadUUID"`
	PayloadVersion                         int    `plist:"PayloadVersion"`
}

// renderApple writes a .mobileconfig. UseSSL is true for STARTTLS too:
// Apple Mail then upgrades on the plain port (587, 143, 110) and uses
// implicit TLS on 465, 993 and 995. The profile is unsigned and
// unencrypted, so a password goes in only when asked for, with a warning.
func renderApple(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needBoth, o); err != nil {
		return nil, err
	}
	l := langOf(o.Lang)
	in, out := a.Incoming, a.Outgoing
	pw, included := password(a, o)
	h := header{imapID: "export.id.apple", servers: needBoth, pwMode: pwElsewhere, pwNotes: []string{l.t("export.apple_no_password")}, included: included,
		usage: []string{l.t("export.apple_use")}, oauth: []string{l.t("export.oauth.apple"), appleOAuthLine(a, l)}}
	if included {
		h.usage = append(h.usage, l.t("export.apple_password_plain"))
	}
	if in.Protocol == mailcfg.POP3 {
		h.usage = append(h.usage, l.t("export.apple_keep"))
	}

	id := "mailsetup." + identifierPart(a.Email)
	description := a.Email
	if a.ProviderName != "" {
		description = a.ProviderName + " (" + a.Email + ")"
	}
	mail := appleMail{
		EmailAccountDescription:                description,
		EmailAccountName:                       a.DisplayName,
		EmailAccountType:                       "EmailTypePOP",
		EmailAddress:                           a.Email,
		IncomingMailServerAuthentication:       "EmailAuthPassword",
		IncomingMailServerHostName:             in.Host,
		IncomingMailServerPortNumber:           in.Port,
		IncomingMailServerUseSSL:               in.Security != mailcfg.None,
		IncomingMailServerUsername:             login(a, in),
		OutgoingMailServerAuthentication:       "EmailAuthPassword",
		OutgoingMailServerHostName:             out.Host,
		OutgoingMailServerPortNumber:           out.Port,
		OutgoingMailServerUseSSL:               out.Security != mailcfg.None,
		OutgoingMailServerUsername:             login(a, out),
		OutgoingPasswordSameAsIncomingPassword: login(a, in) == login(a, out),
		PayloadDescription:                     description,
		PayloadDisplayName:                     a.Email,
		PayloadIdentifier:                      id + ".mail",
		PayloadType:                            "com.apple.mail.managed",
		PayloadUUID:                            newUUID(o.Seed, a.Email, "mail"),
		PayloadVersion:                         1,
	}
	if in.Protocol == mailcfg.IMAP {
		mail.EmailAccountType = "EmailTypeIMAP"
	}
	if included {
		mail.IncomingPassword = pw
		mail.OutgoingPassword = pw
	}
	profile := appleProfile{
		PayloadContent:     []appleMail{mail},
		PayloadDescription: description,
		PayloadDisplayName: a.Email,
		PayloadIdentifier:  id,
		PayloadType:        "Configuration",
		PayloadUUID:        newUUID(o.Seed, a.Email, "profile"),
		PayloadVersion:     1,
	}
	data, err := plist.MarshalIndent(profile, plist.XMLFormat, "\t")
	if err != nil {
		return nil, err
	}
	// Put the header comment after the DOCTYPE, before <plist>.
	comment := xmlComment(h.lines(a, l), "")
	i := bytes.Index(data, []byte("<plist"))
	if i < 0 {
		return append(data, '\n'), nil
	}
	var b bytes.Buffer
	b.Write(data[:i])
	b.WriteString(comment)
	b.Write(data[i:])
	if !bytes.HasSuffix(data, []byte("\n")) {
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// identifierPart turns an address into reverse-DNS identifier characters.
func identifierPart(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '.'
	}, s)
}
