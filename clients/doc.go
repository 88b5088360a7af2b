// Package clients hands settings to the mail programs installed on this
// machine, for the Export screen's one-click actions:
//
//   - Windows, classic Outlook: FindOutlook locates outlook.exe through the
//     App Paths registry key and tells when only the new Outlook (which
//     imports no PRF file) is installed; ImportPRF runs
//     outlook.exe /importprf FILE, refusing while Outlook is open.
//   - Foxmail has no import format: export.FoxmailFields gives its
//     manual-setup fields in Foxmail's own labels and order, for a screen
//     with a copy button per field.
//   - Linux and other Unix systems: FindLocal lists the command-line
//     clients on PATH (msmtp, mpop, fetchmail, getmail6, mutt, neomutt,
//     aerc) with the file each reads; Install writes that file, never
//     replacing an existing one unless told to, and then only after
//     keeping a backup beside it.
//
// Nothing here asks the user anything: the window asks first (close
// Outlook; replace ~/.msmtprc?) and then calls in. The sentences are the
// window's to translate; errors here are values to switch on.
package clients
