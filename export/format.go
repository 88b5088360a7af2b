package export

import "mailsetup/mailcfg"

// Options tune a rendering; the zero value is safe (no password, English).
type Options struct {
	// IncludePassword writes Account.Password into formats that can hold
	// one. Without it no format contains the password, and with it no
	// format writes one for an account that signs in with OAuth2.
	IncludePassword bool
	// Lang is en, zh-Hans or zh-Hant: the language of comments and sheets.
	// Anything else falls back to en (zh-CN, zh-TW, zh-HK are understood).
	Lang string
	// Seed makes generated identifiers (Apple PayloadUUIDs) deterministic;
	// empty means random, which is what a real profile wants.
	Seed string
	// CAFile is a PEM file of CA certificates to trust (mailsetup --ca),
	// for servers no system store vouches for; it must be an absolute
	// path. msmtp, mpop (tls_trust_file), fetchmail (sslcertfile), getmail
	// (ca_certs) and mutt (ssl_ca_certificates_file, GnuTLS builds) check
	// the servers against it, and for msmtp, mpop and fetchmail it takes
	// the place of the system store. Empty means the system store. The
	// other formats ignore it.
	CAFile string
	// IncomingFingerprint and OutgoingFingerprint pin a server's leaf
	// certificate by its SHA-256 (64 hex digits, colons allowed), as
	// mailsetup --trust does: that certificate is accepted whoever issued
	// it, and a pin wins over CAFile for its server. msmtp, mpop
	// (tls_fingerprint) and getmail (ssl_fingerprints) write it; fetchmail
	// pins only MD5 fingerprints and refuses the account; mutt gets a
	// comment with the fingerprint to compare when it asks. The other
	// formats ignore it.
	IncomingFingerprint string
	OutgoingFingerprint string
	// SavedAs is where the file is saved, when the caller knows it. The
	// Outlook formats name the file in their instructions (the
	// outlook.exe /importprf command, the registry value pointing at the
	// Autodiscover file) and use it there when it is an absolute Windows
	// path (C:\… or \\server\…); otherwise they show an example path.
	SavedAs string
}

// Format is one export target.
type Format struct {
	ID          string // stable identifier for --format
	Name        string // human name for menus
	Ext         string // file name extension, with the dot
	MIME        string
	Description string
	// CarriesPassword tells whether the format can hold a password when
	// IncludePassword is set (PRF, Autodiscover and Thunderbird cannot).
	CarriesPassword bool
	Render          func(a mailcfg.Account, o Options) ([]byte, error)
}

var formats = []Format{
	{ID: "outlook-prf", Name: "Outlook profile (PRF)", Ext: ".prf", MIME: "application/octet-stream",
		Description: "For classic Outlook 2007–365: outlook.exe /importprf FILE. Carries no password.",
		Render:      renderOutlookPRF},
	{ID: "outlook-autodiscover", Name: "Outlook Autodiscover XML", Ext: ".xml", MIME: "application/xml",
		Description: "An Autodiscover POX response for Outlook's PreferLocalXML, with the registry snippet in comments.",
		Render:      renderAutodiscover},
	{ID: "foxmail", Name: "Foxmail setup sheet (HTML)", Ext: ".html", MIME: "text/html; charset=utf-8",
		Description:     "Foxmail imports no account file: a sheet laid out like its manual-setup dialog.",
		CarriesPassword: true, Render: renderFoxmailHTML},
	{ID: "foxmail-txt", Name: "Foxmail setup sheet (text)", Ext: ".txt", MIME: "text/plain; charset=utf-8",
		Description:     "The Foxmail setup sheet as plain text.",
		CarriesPassword: true, Render: renderFoxmailText},
	{ID: "thunderbird", Name: "Thunderbird autoconfig", Ext: ".xml", MIME: "application/xml",
		Description: "config-v1.1.xml for Thunderbird's isp/ folder or an autoconfig server.",
		Render:      renderThunderbird},
	{ID: "apple", Name: "Apple configuration profile", Ext: ".mobileconfig", MIME: "application/x-apple-aspen-config",
		Description:     "A .mobileconfig for macOS, iPhone and iPad Mail.",
		CarriesPassword: true, Render: renderApple},
	{ID: "msmtp", Name: "msmtp", Ext: ".msmtprc", MIME: "text/plain; charset=utf-8",
		Description:     "~/.msmtprc for sending.",
		CarriesPassword: true, Render: renderMsmtp},
	{ID: "mpop", Name: "mpop", Ext: ".mpoprc", MIME: "text/plain; charset=utf-8",
		Description:     "~/.mpoprc for POP3 into a Maildir.",
		CarriesPassword: true, Render: renderMpop},
	{ID: "fetchmail", Name: "fetchmail", Ext: ".fetchmailrc", MIME: "text/plain; charset=utf-8",
		Description:     "~/.fetchmailrc for POP3 or IMAP.",
		CarriesPassword: true, Render: renderFetchmail},
	{ID: "getmail", Name: "getmail6", Ext: ".getmailrc", MIME: "text/plain; charset=utf-8",
		Description:     "getmailrc for getmail6, into a Maildir.",
		CarriesPassword: true, Render: renderGetmail},
	{ID: "mutt", Name: "mutt / neomutt", Ext: ".muttrc", MIME: "text/plain; charset=utf-8",
		Description:     "muttrc lines, valid for mutt and neomutt.",
		CarriesPassword: true, Render: renderMutt},
	{ID: "aerc", Name: "aerc", Ext: ".conf", MIME: "text/plain; charset=utf-8",
		Description:     "An accounts.conf section for aerc (POP3 through a Maildir).",
		CarriesPassword: true, Render: renderAerc},
	{ID: "json", Name: "JSON settings", Ext: ".json", MIME: "application/json",
		Description:     "The settings document: the account as JSON.",
		CarriesPassword: true, Render: renderJSON},
}

// Formats lists every format in menu order. The slice is a copy.
func Formats() []Format {
	out := make([]Format, len(formats))
	copy(out, formats)
	return out
}

// ByID finds a format by its ID.
func ByID(id string) (Format, bool) {
	for _, f := range formats {
		if f.ID == id {
			return f, true
		}
	}
	return Format{}, false
}
