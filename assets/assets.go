// Package assets embeds the application icon and the window's translations.
package assets

import "embed"

// IconPNG is the application icon, 512×512.
//
//go:embed icon.png
var IconPNG []byte

// Translations holds en.json, zh-Hans.json and zh-Hant.json for fyne's lang
// package, in the folder "translations".
//
//go:embed translations
var Translations embed.FS

// Languages are the interface languages, in menu order.
var Languages = []string{"en", "zh-Hans", "zh-Hant"}
