package export

import (
	"strings"

	"mailsetup/mailcfg"
)

// secretRef names a keyring entry by the libsecret attributes msmtp and
// mpop use for their own keyring look-ups (host, service, user), so a
// password stored once serves these exports and those tools alike.
type secretRef struct {
	host, service, user string
}

func secretFor(a mailcfg.Account, s mailcfg.Server) secretRef {
	return secretRef{host: s.Host, service: string(s.Protocol), user: login(a, s)}
}

// argv is the look-up command as separate arguments.
func (r secretRef) argv() []string {
	return []string{"secret-tool", "lookup", "host", r.host, "service", r.service, "user", r.user}
}

// command is argv for a shell (msmtp passwordeval, aerc *-cred-cmd).
func (r secretRef) command() string { return shellJoin(r.argv()) }

// storeCommand is the one-time command that puts the password in the keyring.
func (r secretRef) storeCommand(a mailcfg.Account) string {
	label := "mailsetup " + r.service + " " + a.Email
	return shellJoin([]string{"secret-tool", "store", "--label=" + label, "host", r.host, "service", r.service, "user", r.user})
}

// shellJoin quotes each argument for a POSIX shell when it needs it.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, s := range args {
		q[i] = shellQuote(s)
	}
	return strings.Join(q, " ")
}

func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
