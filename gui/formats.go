package gui

import (
	"strings"
	"unicode/utf16"

	"fyne.io/fyne/v2/lang"

	"mailsetup/export"
)

// previewText is the file as text: UTF-16 files (an Outlook profile with
// non-ASCII text) are decoded, other bytes are shown as they are.
func previewText(data []byte) string {
	if len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE {
		units := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
		}
		return string(utf16.Decode(units))
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

// formatName is the menu name of a format in the user's language.
func formatName(fm export.Format) string {
	switch fm.ID {
	case "outlook-prf":
		return lang.X("format.outlook-prf", "Outlook (profile file, PRF)")
	case "outlook-autodiscover":
		return lang.X("format.outlook-autodiscover", "Outlook (Autodiscover XML)")
	case "foxmail":
		return lang.X("format.foxmail", "Foxmail (setup sheet, HTML)")
	case "foxmail-txt":
		return lang.X("format.foxmail-txt", "Foxmail (setup sheet, text)")
	case "thunderbird":
		return lang.X("format.thunderbird", "Thunderbird (autoconfig XML)")
	case "apple":
		return lang.X("format.apple", "Apple Mail — macOS, iPhone, iPad (.mobileconfig)")
	case "json":
		return lang.X("format.json", "JSON settings document")
	}
	return fm.Name // program names: msmtp, mpop, fetchmail, getmail6, mutt, aerc
}

// formatDescription tells what the file is for and how to use it.
func formatDescription(fm export.Format) string {
	switch fm.ID {
	case "outlook-prf":
		return lang.X("format.outlook-prf.desc", "For classic Outlook 2007–365 on Windows: run outlook.exe /importprf with the saved file. New Outlook cannot import it.")
	case "outlook-autodiscover":
		return lang.X("format.outlook-autodiscover.desc", "An Autodiscover answer for Outlook's local XML setting; the file's comments explain the registry values.")
	case "foxmail":
		return lang.X("format.foxmail.desc", "Foxmail imports no account file: this sheet is laid out like its manual setup dialog, to copy from.")
	case "foxmail-txt":
		return lang.X("format.foxmail-txt.desc", "The Foxmail setup sheet as plain text.")
	case "thunderbird":
		return lang.X("format.thunderbird.desc", "config-v1.1.xml for Thunderbird's isp folder or an autoconfig server.")
	case "apple":
		return lang.X("format.apple.desc", "A configuration profile: open it on a Mac, or send it to an iPhone or iPad, and confirm the installation in Settings.")
	case "msmtp":
		return lang.X("format.msmtp.desc", "~/.msmtprc for sending with msmtp.")
	case "mpop":
		return lang.X("format.mpop.desc", "~/.mpoprc for fetching POP3 mail with mpop.")
	case "fetchmail":
		return lang.X("format.fetchmail.desc", "~/.fetchmailrc for fetchmail.")
	case "getmail":
		return lang.X("format.getmail.desc", "A getmailrc for getmail6.")
	case "mutt":
		return lang.X("format.mutt.desc", "muttrc lines for mutt and neomutt.")
	case "aerc":
		return lang.X("format.aerc.desc", "An accounts.conf section for aerc.")
	case "json":
		return lang.X("format.json.desc", "The account as JSON, which mailsetup export --from reads back.")
	}
	return fm.Description
}
