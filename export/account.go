package export

import (
	"net"
	"strings"
	"unicode"

	"mailsetup/mailcfg"
)

// need says which servers a format writes.
type need int

const (
	needIncoming need = 1 << iota
	needOutgoing
	needBoth = needIncoming | needOutgoing
)

// checkAccount rejects what no format can write safely. Every value ends
// up inside some config syntax, and several of them (msmtp passwordeval,
// mutt, getmail's eval'd tuples) are evaluated, so control characters are
// refused everywhere and host names are held to host-name characters.
func checkAccount(a mailcfg.Account, n need, o Options) error {
	if _, err := mailcfg.ParseAddress(a.Email); err != nil || strings.TrimSpace(a.Email) != a.Email {
		return &AccountError{Field: "email", Reason: "is not a plain email address"}
	}
	if err := checkTrust(o); err != nil {
		return err
	}
	if err := checkOAuth(a); err != nil {
		return err
	}
	if hasControl(a.DisplayName) {
		return &AccountError{Field: "display name", Reason: "contains control characters"}
	}
	if n&needIncoming != 0 {
		if err := checkServer("incoming", a.Incoming); err != nil {
			return err
		}
		if a.Incoming.Protocol != mailcfg.POP3 && a.Incoming.Protocol != mailcfg.IMAP {
			return &AccountError{Field: "incoming server", Reason: "must be POP3 or IMAP"}
		}
	}
	if n&needOutgoing != 0 {
		if err := checkServer("outgoing", a.Outgoing); err != nil {
			return err
		}
		if a.Outgoing.Protocol != mailcfg.SMTP {
			return &AccountError{Field: "outgoing server", Reason: "must be SMTP"}
		}
	}
	if pw, ok := password(a, o); ok && hasControl(pw) {
		return &AccountError{Field: "password", Reason: "contains control characters no config file can hold"}
	}
	return nil
}

func checkServer(role string, s mailcfg.Server) error {
	if err := s.Validate(); err != nil {
		return &AccountError{Field: role + " server", Reason: err.Error()}
	}
	if !validHost(s.Host) {
		return &AccountError{Field: role + " server", Reason: "host " + quoteForError(s.Host) + " is not a host name or IP address"}
	}
	if hasControl(s.Username) {
		return &AccountError{Field: role + " username", Reason: "contains control characters"}
	}
	return nil
}

func quoteForError(s string) string { return "\"" + strings.Map(printableOr('?'), s) + "\"" }

// validHost accepts ASCII host names (punycode for IDNs) and IP literals.
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return !strings.HasPrefix(h, "-") && !strings.HasPrefix(h, ".")
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

func printableOr(sub rune) func(rune) rune {
	return func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return sub
		}
		return r
	}
}

// password returns the password to write, if the user asked for it and
// there is one. An account that signs in with OAuth2 has none to write:
// its servers take a token, which no export holds.
func password(a mailcfg.Account, o Options) (string, bool) {
	if o.IncludePassword && a.Password != "" && !a.SignsInWithOAuth2() {
		return a.Password, true
	}
	return "", false
}

// login is the user name for a server; an empty one means the address.
func login(a mailcfg.Account, s mailcfg.Server) string {
	if s.Username != "" {
		return s.Username
	}
	return a.Email
}

// keepOnServer tells whether fetched mail stays on the server. IMAP users
// expect their mail to stay where it is, so fetchers (fetchmail, getmail)
// keep IMAP mail regardless of LeaveOnServer, which is about POP3.
func keepOnServer(a mailcfg.Account) bool {
	return a.Incoming.Protocol == mailcfg.IMAP || a.LeaveOnServer
}

// maildirRoot is where mpop and getmail deliver and where aerc reads, so
// the three exports fit together: aerc's maildir source is this directory
// and INBOX the folder. The address is reduced to characters that are safe
// in a path, a URL and a shell comment.
func maildirRoot(a mailcfg.Account) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._@+-", r):
			return r
		}
		return '_'
	}, a.Email)
	return "~/Mail/" + name
}

func maildirInbox(a mailcfg.Account) string { return maildirRoot(a) + "/INBOX" }

func protocolName(p mailcfg.Protocol) string { return strings.ToUpper(string(p)) }
