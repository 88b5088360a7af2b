// Package l10ntest finds English left in text meant for a Chinese reader.
// The catalogue's test checks every entry with it; the faces' tests check
// what they print, where the server's quoted words, host names, addresses
// and numbers may stand in Latin letters too.
package l10ntest

import (
	"regexp"
	"strings"
)

// technical holds the words a Chinese text may keep in Latin letters:
// protocol and command names, product names, units, and what the user
// types: the command line's commands, option values and the metavariables
// of its usage.
var technical = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`POP POP3 IMAP IMAP4 SMTP TLS STARTTLS STLS SSL DNS MX SRV TXT HTTP HTTPS URL IPv4 IPv6
		SHA SHA-256 OAuth OAuth2 ID PLAIN LOGIN CRAM-MD5 APOP XOAUTH2 OAUTHBEARER USER PASS CAPA CAPABILITY EHLO HELO
		AUTH SASL SOCKS SOCKS5 Autodiscover autoconfig ISPDB ISP NXDOMAIN SERVFAIL REFUSED TCP UDP IP CA PEM UTF
		Outlook Foxmail Thunderbird Apple Mail Gmail Google Microsoft QQ NetEase Yahoo AOL iCloud msmtp mpop
		fetchmail getmail getmail6 mutt neomutt aerc JSON XML PRF HTML mailsetup Windows Linux macOS Wine
		SELECT EXAMINE STAT QUIT LOGOUT NOOP DATA MAIL RCPT TOP Exchange Online CNAME NODATA SSH INBOX Message-ID
		Outlook.com Yandex Proton Mac iPhone iPad Maildir MAPI GnuTLS OpenSSL
		Mutt muttrc chmod mkdir mda MD5
		pop3 imap smtp tls starttls en zh-Hans zh-Hant
		discover check diagnose export providers help version
		outlook-prf outlook-autodiscover foxmail foxmail-txt thunderbird apple json
		ms MB KB s UTF-8 x509 A AAAA
		EMAIL HOST PORT FILE DURATION NAME SECURITY COMMAND USER SHA256 F FORMAT URL SPEC SCOPES RFC`) {
		technical[w] = true
	}
}

// IsTechnical reports whether a Chinese text may keep word in Latin letters.
func IsTechnical(word string) bool { return technical[word] || technical[strings.TrimRight(word, "-")] }

var (
	latinWordRE   = regexp.MustCompile(`[A-Za-z][A-Za-z0-9-]*`)
	placeholderRE = regexp.MustCompile(`\{[a-z][a-z0-9_]*\}`)
	// A flag with the value that follows it: "--protocol pop3|imap",
	// "-o FILE", "--lang=zh-Hans".
	flagRE   = regexp.MustCompile(`(^|[\s（(“「、，：/\[])--?[a-z][a-z0-9-]*(=|\s+)?([a-z0-9][A-Za-z0-9|:./_-]*|[A-Z0-9:_]+)?`)
	quotedRE = regexp.MustCompile("`[^`]*`")
	urlRE    = regexp.MustCompile(`https?://[^\s，。；）」”]+`)
	// Paths and file names: "~/.msmtprc", "/usr/bin/procmail", "isp/x.xml".
	pathRE = regexp.MustCompile(`[~A-Za-z0-9._<>-]*/[^\s，。；：）」”]*|\.[a-z]{2,5}\b`)
	// Identifiers with underscores or digits inside: settings
	// (ssl_ca_certificates_file), cipher suites (TLS_AES_128_GCM_SHA256),
	// versions (TLS1.3), numbers (0x1), capabilities (8BITMIME).
	identRE = regexp.MustCompile(`[+%]?\b[A-Za-z0-9]*(_|[0-9])[A-Za-z0-9_]*\b|%[A-Za-z]`)
)

// Untranslated returns the Latin words of a Chinese catalogue text that are
// not technical terms: English left behind. Placeholders, flags with their
// values, `code`, URLs, addresses, host names and paths are not words.
func Untranslated(text string) []string {
	for _, re := range []*regexp.Regexp{placeholderRE, urlRE, quotedRE, emailRE, hostRE, flagRE, pathRE, identRE} {
		text = re.ReplaceAllString(text, " ")
	}
	var out []string
	for _, w := range latinWordRE.FindAllString(text, -1) {
		if !IsTechnical(w) {
			out = append(out, w)
		}
	}
	return out
}

var (
	// The server's words and the user's, quoted: “…”, 「…」, "…", ‘…’.
	quotedSpanRE = regexp.MustCompile(`“[^”]*”|「[^」]*」|"[^"\n]*"|‘[^’]*’`)
	emailRE      = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+`)
	// Host names (with a dot), with a port: "mail.example.test:995".
	hostRE = regexp.MustCompile(`\b[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?\b`)
	// Fingerprints and other long hex strings.
	hexRE = regexp.MustCompile(`\b[0-9a-f:]{16,}\b`)
)

// EnglishIn returns the English words of what a face printed for a Chinese
// reader: like Untranslated, with quoted text (a server's reply, a
// certificate's subject), addresses, host names, fingerprints and
// identifiers set aside. Capital words of a server's capability list are
// its words too, and must come quoted.
func EnglishIn(output string) []string {
	for _, re := range []*regexp.Regexp{quotedSpanRE, hexRE} {
		output = re.ReplaceAllString(output, " ")
	}
	return Untranslated(output)
}
