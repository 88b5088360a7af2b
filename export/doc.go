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
//
// An account that signs in with OAuth2 (Account.Auth) gets neither a
// password nor a token: each format says so, in its syntax where it has
// one (Thunderbird's OAuth2, aerc's +xoauth2 schemes, msmtp's auth
// xoauth2, mutt's authenticators, getmail's use_xoauth2) with the command
// that prints a token left for the user, and in words where it has none
// (Outlook, Apple, Foxmail, fetchmail); see oauth.go.
//
// Certificates are checked against the system's store unless
// Options.CAFile names extra CAs (mailsetup --ca) or a fingerprint pins a
// server's certificate (--trust); the command-line formats carry these,
// and clients_test.go proves with the real clients against the test bed's
// dovecot that they send, fetch, keep or delete, and refuse what the file
// does not trust.
package export
