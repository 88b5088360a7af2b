package gui

import (
	"strings"
	"time"

	"mailsetup/mailcfg"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// settingsView edits Settings; every valid change is saved at once.
type settingsView struct {
	u *ui

	language  *widget.Select
	dns       *widget.Entry
	dnsErr    *widget.Label
	timeout   *widget.Select
	online    *widget.Check
	socks     *widget.Entry
	socksErr  *widget.Label
	trustList *fyne.Container
	// OAuth2 client IDs by oauth.ClientIDs key (settings_oauth.go).
	clientIDs   map[string]*widget.Entry
	clientIDErr *widget.Label
}

func newSettingsView(u *ui) *settingsView { return &settingsView{u: u} }

// languagePrefs are the language choices in menu order.
var languagePrefs = []string{"", "en", "zh-Hans", "zh-Hant"}

func (v *settingsView) content() fyne.CanvasObject {
	u := v.u
	v.language = widget.NewSelect([]string{
		lang.X("settings.language.system", "Same as the system"),
		lang.X("settings.language.en", "English"),
		lang.X("settings.language.zh-Hans", "简体中文"),
		lang.X("settings.language.zh-Hant", "繁體中文"),
	}, nil)
	for i, p := range languagePrefs {
		if p == u.settings.Language {
			v.language.SetSelectedIndex(i)
		}
	}
	v.language.OnChanged = func(string) {
		i := v.language.SelectedIndex()
		if i < 0 || languagePrefs[i] == u.settings.Language {
			return
		}
		u.settings.Language = languagePrefs[i]
		u.saveSettings()
		// Rebuilding from inside the select's own callback would tear the
		// widget down under it: let the callback return first.
		u.background(func() { u.do(u.relabel) })
	}

	v.dns = widget.NewEntry()
	v.dns.SetPlaceHolder(lang.X("settings.dns.placeholder", "system resolver, or e.g. 223.5.5.5:53"))
	v.dns.SetText(u.settings.DNS)
	v.dnsErr = errorLabel()
	v.dns.OnChanged = func(s string) {
		if v.hostPortChanged(s, v.dnsErr) {
			u.settings.DNS = strings.TrimSpace(s)
			u.saveSettings()
		}
	}

	labels := make([]string, len(timeoutChoices))
	for i, n := range timeoutChoices {
		labels[i] = lang.X("settings.timeout.seconds", "{{.N}} seconds", map[string]any{"N": n})
	}
	v.timeout = widget.NewSelect(labels, nil)
	sel := 1
	for i, n := range timeoutChoices {
		if time.Duration(n)*time.Second == u.settings.Timeout {
			sel = i
		}
	}
	v.timeout.SetSelectedIndex(sel)
	v.timeout.OnChanged = func(string) {
		if i := v.timeout.SelectedIndex(); i >= 0 {
			u.settings.Timeout = time.Duration(timeoutChoices[i]) * time.Second
			u.saveSettings()
		}
	}

	v.online = widget.NewCheck(lang.X("settings.online", "Ask Thunderbird's public database"), nil)
	v.online.SetChecked(!u.settings.Offline)
	v.online.OnChanged = func(on bool) {
		u.settings.Offline = !on
		u.saveSettings()
	}

	v.socks = widget.NewEntry()
	v.socks.SetPlaceHolder(lang.X("settings.socks.placeholder", "none, or e.g. 127.0.0.1:1080"))
	v.socks.SetText(u.settings.SOCKS5)
	v.socksErr = errorLabel()
	v.socks.OnChanged = func(s string) {
		if v.hostPortChanged(s, v.socksErr) {
			u.settings.SOCKS5 = strings.TrimSpace(s)
			u.saveSettings()
		}
	}

	v.trustList = container.NewVBox()
	v.renderTrust()

	form := widget.NewForm(
		widget.NewFormItem(lang.X("settings.language", "Language"), v.language),
		widget.NewFormItem(lang.X("settings.dns", "DNS server"), container.NewVBox(v.dns, v.dnsErr)),
		widget.NewFormItem("", wrapLabel(lang.X("settings.dns.explain", "Every name is looked up through this server. Leave it empty to use the system's."))),
		widget.NewFormItem(lang.X("settings.timeout", "Time limit"), v.timeout),
		widget.NewFormItem(lang.X("settings.privacy", "Online look-ups"), v.online),
		widget.NewFormItem("", wrapLabel(lang.X("settings.online.explain", "When on, the domain of your address (never the address itself) is sent to Mozilla's server to look it up in Thunderbird's database. Turn it off to ask only your provider's own servers."))),
		widget.NewFormItem(lang.X("settings.socks", "SOCKS5 proxy"), container.NewVBox(v.socks, v.socksErr)),
		widget.NewFormItem("", wrapLabel(lang.X("settings.socks.explain", "Every connection to a mail server goes through this proxy. Leave it empty to connect directly."))),
		widget.NewFormItem(lang.X("settings.trust", "Trusted certificates"), v.trustList),
	)
	body := container.NewVBox(boldLabel(lang.X("settings.title", "Settings")), form, v.oauthSection(),
		wrapLabel(lang.X("settings.saved", "Changes are saved at once.")))
	return container.NewVScroll(container.NewPadded(body))
}

// hostPortChanged validates a HOST:PORT field; empty is allowed.
func (v *settingsView) hostPortChanged(s string, errText *widget.Label) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		errText.Hide()
		return true
	}
	if err := validHostPort(s); err != nil {
		errText.SetText(lang.X("settings.hostport", "Type HOST:PORT, for example 127.0.0.1:1080 or [::1]:53."))
		errText.Show()
		return false
	}
	errText.Hide()
	return true
}

// renderTrust lists the pinned fingerprints with a button to forget each.
func (v *settingsView) renderTrust() {
	u := v.u
	v.trustList.RemoveAll()
	if len(u.settings.Trust) == 0 {
		l := widget.NewLabel(lang.X("settings.trust.none", "None. A certificate you accept is listed here."))
		l.Importance = widget.LowImportance
		v.trustList.Add(l)
		return
	}
	for _, fp := range u.settings.Trust {
		forget := widget.NewButtonWithIcon(lang.X("settings.trust.forget", "Forget"), theme.DeleteIcon(), func() {
			var keep []string
			for _, t := range u.settings.Trust {
				if t != fp {
					keep = append(keep, t)
				}
			}
			u.settings.Trust = keep
			u.saveSettings()
			v.renderTrust()
		})
		v.trustList.Add(container.NewBorder(nil, nil, nil, forget, selectable(shortFingerprint(fp))))
	}
}

// shortFingerprint groups a hex fingerprint in fours for reading aloud.
func shortFingerprint(fp string) string {
	fp = mailcfg.NormalizeFingerprint(fp)
	var parts []string
	for len(fp) > 4 {
		parts = append(parts, fp[:4])
		fp = fp[4:]
	}
	parts = append(parts, fp)
	return strings.Join(parts, " ")
}

func errorLabel() *widget.Label {
	l := wrapLabel("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}
