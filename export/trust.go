package export

import (
	"path/filepath"
	"strings"

	"mailsetup/mailcfg"
)

// trust is how a client should check one server's certificate: against a
// pinned leaf fingerprint, against the CAs of a file, or (both empty)
// against the system's store.
type trust struct {
	pin    string // lower-case hex SHA-256 of the leaf's DER, no colons
	caFile string
}

// trustFor picks the checks for server s in role. A pin wins over the CA
// file: the user pinned that certificate because no CA vouches for it, and
// clients that check both (getmail) would then refuse it. A plaintext
// server has no certificate to check.
func trustFor(s mailcfg.Server, role mailcfg.Role, o Options) trust {
	if s.Security == mailcfg.None {
		return trust{}
	}
	fp := o.IncomingFingerprint
	if role == mailcfg.Outgoing {
		fp = o.OutgoingFingerprint
	}
	if fp != "" {
		return trust{pin: mailcfg.NormalizeFingerprint(fp)}
	}
	return trust{caFile: o.CAFile}
}

// colonHex is the pin as msmtp and mpop want it: 01:AB:….
func (t trust) colonHex() string {
	up := strings.ToUpper(t.pin)
	pairs := make([]string, 0, len(up)/2)
	for i := 0; i+1 < len(up); i += 2 {
		pairs = append(pairs, up[i:i+2])
	}
	return strings.Join(pairs, ":")
}

// lines are the header lines telling the reader which check the file asks for.
func (t trust) lines(s mailcfg.Server, l lang) []string {
	switch {
	case t.pin != "":
		return []string{l.t("export.trust_pin", "server", s.HostPort(), "sha256", t.colonHex())}
	case t.caFile != "":
		return []string{l.t("export.trust_ca", "server", s.HostPort(), "file", t.caFile)}
	}
	return nil
}

// checkTrust rejects trust options no client file could use. The CA file
// must be absolute, since each client resolves a relative path against its
// own working directory, and is held to characters every format can quote.
func checkTrust(o Options) error {
	if o.CAFile != "" {
		switch {
		case hasControl(o.CAFile):
			return &OptionError{Option: "CAFile", Reason: "contains control characters"}
		case !filepath.IsAbs(o.CAFile):
			return &OptionError{Option: "CAFile", Reason: quoteForError(o.CAFile) + " is not an absolute path"}
		case strings.TrimSpace(o.CAFile) != o.CAFile:
			return &OptionError{Option: "CAFile", Reason: "starts or ends with a space"}
		case strings.Contains(o.CAFile, "$"):
			// getmail expands $VARIABLES in paths.
			return &OptionError{Option: "CAFile", Reason: "contains '$', which getmail would expand"}
		}
	}
	for _, f := range []struct{ name, value string }{
		{"IncomingFingerprint", o.IncomingFingerprint}, {"OutgoingFingerprint", o.OutgoingFingerprint},
	} {
		if f.value != "" && !mailcfg.ValidFingerprint(f.value) {
			return &OptionError{Option: f.name, Reason: "is not a SHA-256 fingerprint (64 hex digits, colons allowed)"}
		}
	}
	return nil
}
