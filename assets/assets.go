// Package assets embeds the application icon and the window's translations.
package assets

import (
	"embed"

	"mailsetup/l10n"
)

// IconPNG is the application icon, 512×512.
//
//go:embed icon.png
var IconPNG []byte

// Translations holds the window's texts for fyne's lang package, in the
// folder "translations": en.json, zh-Hans.json and zh-Hant-TW.json.
//
// Traditional Chinese carries a region on purpose. fyne turns the best
// match for the user's locale into "language-region" and drops the script,
// so a file tagged plain zh-Hant would be matched and then looked up as
// "zh", which is Simplified; tagged zh-Hant-TW it is looked up as zh-TW,
// which resolves to this file for zh-Hant, zh-TW, zh-HK and zh-MO alike.
//
//go:embed translations
var Translations embed.FS

// Languages are the interface languages, in menu order: l10n's.
var Languages = l10n.Languages

// TranslationFiles maps each interface language to its file in Translations.
var TranslationFiles = map[string]string{
	"en":      "translations/en.json",
	"zh-Hans": "translations/zh-Hans.json",
	"zh-Hant": "translations/zh-Hant-TW.json",
}
