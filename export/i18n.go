package export

import "mailsetup/l10n"

// lang selects the language of comments and sheets, whose words are the l10n
// catalogue's export.* texts; config keys and values stay as the client
// expects them.
type lang int

// The languages in l10n.Languages order.
const (
	langEn lang = iota
	langZhHans
	langZhHant
)

func langOf(s string) lang {
	switch l10n.Normalize(s) {
	case l10n.SimplifiedChinese:
		return langZhHans
	case l10n.TraditionalChinese:
		return langZhHant
	}
	return langEn
}

// tag is the BCP 47 tag for HTML and XML lang attributes.
func (l lang) tag() string { return l10n.Languages[l] }

// sentences joins two sentences: with a space in English, without one
// after a Chinese full stop.
func (l lang) sentences(a, b string) string {
	if l == langEn {
		return a + " " + b
	}
	return a + b
}

// t renders the catalogue text code with its placeholders given as
// name/value pairs.
func (l lang) t(code string, pairs ...string) string { return l10n.Text(l.tag(), code, pairs...) }
