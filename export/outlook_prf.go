package export

import (
	"strconv"
	"strings"
	"unicode/utf16"

	"mailsetup/mailcfg"
)

// renderOutlookPRF writes a profile file for classic Outlook's
// /importprf: the account in [Account1], appended to the default profile,
// and the fixed key-to-MAPI-property sections Outlook needs to read it.
//
// Values: POP3UseSSL/IMAPUseSSL is 1 only for implicit TLS (995/993);
// SMTPSecureConnection is 1 for implicit TLS (465), 2 for STARTTLS
// (587/25), 0 for none. The file is ASCII with CRLF when it can be, and
// UTF-16LE with a BOM otherwise, the encoding Windows profile-file readers
// take as Unicode (unconfirmed for Outlook's reader specifically).
func renderOutlookPRF(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needBoth, o); err != nil {
		return nil, err
	}
	l := langOf(o.Lang)
	in, out := a.Incoming, a.Outgoing
	file := `C:\Mail\` + a.Domain() + `.prf`
	if windowsPath(o.SavedAs) {
		file = o.SavedAs
	}
	usage := []string{l.t("export.prf_import"), `  outlook.exe /importprf "` + file + `"`, l.t("export.prf_classic")}
	if in.Security == mailcfg.STARTTLS {
		usage = append(usage, l.t("export.prf_starttls"))
	}
	if in.Protocol == mailcfg.POP3 {
		usage = append(usage, l.t("export.prf_leave"))
	}
	h := header{imapID: "export.id.outlook", servers: needBoth, pwMode: pwElsewhere, pwNotes: []string{l.t("export.prf_no_password")}, usage: usage,
		oauth: []string{l.t("export.oauth.prf"), outlookOAuthLine(a, l)}}

	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	for _, s := range h.lines(a, l) {
		add(strings.TrimRight("; "+s, " "))
	}
	add("",
		"[General]",
		"Custom=1",
		"ProfileName=Outlook",
		"DefaultProfile=Yes",
		"OverwriteProfile=Append",
		"ModifyDefaultProfileIfPresent=TRUE",
		"",
		"[Internet Account List]",
	)
	section, prefix := "I_Mail", "POP3"
	if in.Protocol == mailcfg.IMAP {
		section, prefix = "IMAP_I_Mail", "IMAP"
	}
	add("Account1="+section, "", "[Account1]", "UniqueService=No")
	name := a.Email
	display := a.DisplayName
	if display == "" {
		display = a.Email
	}
	add("AccountName="+name, "DisplayName="+display, "EmailAddress="+a.Email)
	add(prefix+"Server="+in.Host,
		prefix+"UserName="+login(a, in),
		prefix+"UseSPA=0",
		prefix+"Port="+strconv.Itoa(in.Port),
		prefix+"UseSSL="+boolDigit(in.Security == mailcfg.TLS))
	add("SMTPServer="+out.Host,
		"SMTPUseAuth=1",
		"SMTPUseSPA=0",
		"SMTPPort="+strconv.Itoa(out.Port),
		"SMTPSecureConnection="+strconv.Itoa(prfSMTPSecure(out.Security)))
	if u := login(a, out); u == login(a, in) {
		add("SMTPAuthMethod=0") // use the incoming server's settings
	} else {
		add("SMTPAuthMethod=1", "SMTPUserName="+u) // log on with its own name
	}
	if in.Protocol == mailcfg.POP3 {
		add("LeaveOnServer=" + boolDigit(a.LeaveOnServer))
	}
	add("", "; "+l.t("export.prf_mapping"))
	add(prfMappings...)

	text := strings.Join(lines, "\r\n") + "\r\n"
	return encodePRF(text), nil
}

func prfSMTPSecure(s mailcfg.Security) int {
	switch s {
	case mailcfg.TLS:
		return 1
	case mailcfg.STARTTLS:
		return 2
	}
	return 0
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func encodePRF(text string) []byte {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return []byte(text)
	}
	units := utf16.Encode([]rune(text))
	out := make([]byte, 2, 2+2*len(units))
	out[0], out[1] = 0xFF, 0xFE
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// prfMappings are the property maps of Outlook's own PRF template.
var prfMappings = []string{
	"",
	"[I_Mail]",
	"AccountType=POP3",
	"AccountName=PT_UNICODE,0x0002",
	"DisplayName=PT_UNICODE,0x000B",
	"EmailAddress=PT_UNICODE,0x000C",
	"POP3Server=PT_UNICODE,0x0100",
	"POP3UserName=PT_UNICODE,0x0101",
	"POP3UseSPA=PT_LONG,0x0108",
	"Organization=PT_UNICODE,0x0107",
	"ReplyEmailAddress=PT_UNICODE,0x0103",
	"POP3Port=PT_LONG,0x0104",
	"POP3UseSSL=PT_LONG,0x0105",
	"SMTPServer=PT_UNICODE,0x0200",
	"SMTPUseAuth=PT_LONG,0x0203",
	"SMTPAuthMethod=PT_LONG,0x0208",
	"SMTPUserName=PT_UNICODE,0x0204",
	"SMTPUseSPA=PT_LONG,0x0207",
	"ConnectionType=PT_LONG,0x000F",
	"ConnectionOID=PT_UNICODE,0x0010",
	"SMTPPort=PT_LONG,0x0201",
	"SMTPSecureConnection=PT_LONG,0x020A",
	"ServerTimeOut=PT_LONG,0x0209",
	"LeaveOnServer=PT_LONG,0x1000",
	"",
	"[IMAP_I_Mail]",
	"AccountType=IMAP",
	"AccountName=PT_UNICODE,0x0002",
	"DisplayName=PT_UNICODE,0x000B",
	"EmailAddress=PT_UNICODE,0x000C",
	"IMAPServer=PT_UNICODE,0x0100",
	"IMAPUserName=PT_UNICODE,0x0101",
	"IMAPUseSPA=PT_LONG,0x0108",
	"Organization=PT_UNICODE,0x0107",
	"ReplyEmailAddress=PT_UNICODE,0x0103",
	"IMAPPort=PT_LONG,0x0104",
	"IMAPUseSSL=PT_LONG,0x0105",
	"SMTPServer=PT_UNICODE,0x0200",
	"SMTPUseAuth=PT_LONG,0x0203",
	"SMTPAuthMethod=PT_LONG,0x0208",
	"SMTPUserName=PT_UNICODE,0x0204",
	"SMTPUseSPA=PT_LONG,0x0207",
	"ConnectionType=PT_LONG,0x000F",
	"ConnectionOID=PT_UNICODE,0x0010",
	"SMTPPort=PT_LONG,0x0201",
	"SMTPSecureConnection=PT_LONG,0x020A",
	"ServerTimeOut=PT_LONG,0x0209",
	"CheckNewImap=PT_LONG,0x1100",
	"RootFolder=PT_UNICODE,0x1101",
}
