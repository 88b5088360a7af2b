package gui

import (
	"slices"
	"strings"
	"time"

	"mailsetup/assistant"
	"mailsetup/mailcfg"

	"fyne.io/fyne/v2"
)

// Preference keys, kept in the app's fyne.Preferences (app.NewWithID gives
// them a per-user file). Every key is optional; a missing one means the default.
//
//	language         string  "" (follow the system), "en", "zh-Hans" or "zh-Hant"
//	dns              string  "HOST:PORT" of the DNS server; "" = the system's resolv.conf
//	timeout_seconds  int     bound of a whole discovery; default 20
//	offline          bool    true = never ask third parties (Thunderbird's ISPDB)
//	socks5           string  "HOST:PORT" of a SOCKS5 proxy every connection goes through; "" = direct
//	trust            []string SHA-256 fingerprints of certificates the user accepted
const (
	prefLanguage = "language"
	prefDNS      = "dns"
	prefTimeout  = "timeout_seconds"
	prefOffline  = "offline"
	prefSOCKS5   = "socks5"
	prefTrust    = "trust"
)

// defaultTimeout is the engine's, which the command line uses too.
const defaultTimeout = assistant.DefaultTimeout

// timeoutChoices are the timeouts the Settings screen offers, in seconds.
var timeoutChoices = []int{10, 20, 30, 60, 120}

// loadSettings reads the settings from p, filling defaults.
func loadSettings(p fyne.Preferences) Settings {
	s := Settings{
		Language: normalizeLanguagePref(p.String(prefLanguage)),
		DNS:      strings.TrimSpace(p.String(prefDNS)),
		Timeout:  time.Duration(p.IntWithFallback(prefTimeout, int(defaultTimeout/time.Second))) * time.Second,
		Offline:  p.Bool(prefOffline),
		SOCKS5:   strings.TrimSpace(p.String(prefSOCKS5)),
		Trust:    slices.Clone(p.StringList(prefTrust)),
	}
	if s.DNS != "" && validHostPort(s.DNS) != nil {
		s.DNS = "" // a broken value must not stop every discovery
	}
	if s.SOCKS5 != "" && validHostPort(s.SOCKS5) != nil {
		s.SOCKS5 = ""
	}
	if s.Timeout <= 0 {
		s.Timeout = defaultTimeout
	}
	return s
}

// saveSettings writes every setting to p.
func saveSettings(p fyne.Preferences, s Settings) {
	p.SetString(prefLanguage, s.Language)
	p.SetString(prefDNS, s.DNS)
	p.SetInt(prefTimeout, int(s.Timeout/time.Second))
	p.SetBool(prefOffline, s.Offline)
	p.SetString(prefSOCKS5, s.SOCKS5)
	p.SetStringList(prefTrust, s.Trust)
}

// normalizeLanguagePref keeps only the values the Settings screen writes.
func normalizeLanguagePref(v string) string {
	switch v {
	case "en", "zh-Hans", "zh-Hant":
		return v
	}
	return ""
}

// validHostPort accepts "host:port" and "[v6]:port" with a port in 1–65535.
func validHostPort(s string) error {
	_, _, err := mailcfg.ParseHostPort(s)
	return err
}

// trusts reports whether the fingerprint is pinned.
func (s Settings) trusts(sha256 string) bool { return mailcfg.Pins(s.Trust).Has(sha256) }

// clone copies the settings so a worker never shares the Trust slice.
func (s Settings) clone() Settings {
	s.Trust = slices.Clone(s.Trust)
	return s
}
