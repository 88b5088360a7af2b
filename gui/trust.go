package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// Three things need the user's explicit yes before a password goes out:
// a certificate that failed verification, a server only an untrusted
// source named, and a server without encryption. The engine says which
// (assistant.Consent); the window only asks.

// askConsent puts one of the engine's questions to the user; accepted runs
// on yes.
func (u *ui) askConsent(c assistant.Consent, accepted func()) {
	switch c.Kind {
	case assistant.ConsentCertificate:
		u.askTrustCertificate(c, accepted)
	case assistant.ConsentUntrustedSource:
		u.askUntrustedSource(c, accepted)
	default:
		u.askPlaintext(c.Server, accepted)
	}
}

// askTrustCertificate shows the certificate's facts and what the engine
// found wrong with it; on yes its fingerprint is pinned in the settings
// and then accepted runs.
func (u *ui) askTrustCertificate(c assistant.Consent, accepted func()) {
	var t assistant.TLSFacts
	if c.TLS != nil {
		t = *c.TLS
	}
	problem := c.Why.In(u.lang)
	if problem == "" {
		problem = lang.X("cert.unverified", "the certificate could not be verified")
	}
	facts := widget.NewForm(
		widget.NewFormItem(lang.X("cert.server", "Server"), selectable(c.Server.HostPort())),
		widget.NewFormItem(lang.X("cert.problem", "Problem"), selectable(problem)),
		widget.NewFormItem(lang.X("cert.subject", "Issued to"), selectable(t.Subject)),
		widget.NewFormItem(lang.X("cert.issuer", "Issued by"), selectable(t.Issuer)),
		widget.NewFormItem(lang.X("cert.names", "Names"), selectable(strings.Join(t.Names, ", "))),
		widget.NewFormItem(lang.X("cert.not_after", "Valid until"), selectable(t.NotAfter)),
		widget.NewFormItem(lang.X("cert.sha256", "SHA-256"), selectable(t.SHA256)),
	)
	content := container.NewVBox(
		wrapLabel(lang.X("cert.explain", "The certificate of this server could not be verified, so someone on the network could be pretending to be it. Accept it only if you know this server uses exactly this certificate (for example your company's own server): compare the SHA-256 fingerprint with the one your administrator gives you.")),
		facts,
		wrapLabel(lang.X("cert.remember", "If you accept, mailsetup remembers this fingerprint (Settings → Trusted certificates) and uses the server.")),
	)
	u.ask(lang.X("cert.title", "Trust this certificate?"), lang.X("cert.accept", "Trust this certificate"), content, func(yes bool) {
		if !yes || t.SHA256 == "" {
			return
		}
		if !u.settings.trusts(t.SHA256) {
			u.settings.Trust = append(u.settings.Trust, t.SHA256)
			u.saveSettings()
		}
		accepted()
	})
}

// askUntrustedSource asks before a password goes to a server that only a
// source open to tampering (plain HTTP, an SRV record pointing elsewhere) named.
func (u *ui) askUntrustedSource(c assistant.Consent, accepted func()) {
	why := c.Why.In(u.lang)
	if why == "" {
		why = lang.X("untrusted.why", "it was found over an unprotected channel")
	}
	content := wrapLabel(lang.X("untrusted.explain",
		"Only an untrusted source named {{.Host}} ({{.Why}}). Someone on the network could have planted it to collect passwords. Send your password there only if you recognise {{.Host}} as your provider's server.",
		map[string]string{"Host": c.Server.Host, "Why": why}))
	u.ask(lang.X("untrusted.title", "Send your password to this server?"), lang.X("untrusted.accept", "Send it there"),
		content, func(yes bool) {
			if yes {
				accepted()
			}
		})
}

// askPlaintext asks before a password crosses an unencrypted connection.
func (u *ui) askPlaintext(srv mailcfg.Server, accepted func()) {
	content := wrapLabel(lang.X("plain.explain",
		"{{.Host}} offers no encryption: your password and your mail would cross the network readable by anyone on the way. Go on only on a network you trust, such as inside your company.",
		map[string]string{"Host": srv.HostPort()}))
	u.ask(lang.X("plain.title", "Send your password unencrypted?"), lang.X("plain.accept", "Send it unencrypted"),
		content, func(yes bool) {
			if yes {
				accepted()
			}
		})
}

// selectable is a wrapping label whose text can be selected and copied.
func selectable(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	return l
}
