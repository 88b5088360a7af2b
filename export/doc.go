// Package export turns a mailcfg.Account into configuration files for mail
// clients: Outlook (PRF and Autodiscover), Foxmail (a setup sheet, since
// Foxmail imports nothing), Thunderbird, Apple devices, msmtp, mpop,
// fetchmail, getmail6, mutt/neomutt, aerc, and a JSON settings document.
//
// Every format is a pure function of the account and Options: no clock, no
// network, no randomness unless Options.Seed is empty (Apple PayloadUUIDs).
// A password appears only when Options.IncludePassword is set and the
// account holds one; otherwise each format points at a keyring command
// (secret-tool, the libsecret attributes msmtp and mpop look up themselves)
// or says where the client will ask for it.
package export
