package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/oauth"
)

// oauthSection edits the OAuth2 client IDs, one per issuer of the table
// and one for any other sign-in service, with what a client ID is and
// where each is registered. Every change is saved at once.
func (v *settingsView) oauthSection() fyne.CanvasObject {
	u := v.u
	ids := u.loadClientIDs()
	v.clientIDs = map[string]*widget.Entry{}
	v.clientIDErr = errorLabel()
	form := widget.NewForm()
	row := func(key, name, register string) {
		e := widget.NewEntry()
		e.SetPlaceHolder(lang.X("settings.oauth.placeholder", "none set"))
		e.SetText(ids[key])
		e.OnChanged = func(t string) {
			if err := u.saveClientID(key, strings.TrimSpace(t)); err != nil {
				v.clientIDErr.SetText(lang.X("settings.oauth.save_failed", "The client IDs could not be saved: {{.Error}}", map[string]string{"Error": err.Error()}))
				v.clientIDErr.Show()
				return
			}
			v.clientIDErr.Hide()
		}
		v.clientIDs[key] = e
		field := container.NewVBox(e)
		if link := registerLink(register); link != nil {
			field.Add(link)
		}
		form.Append(name, field)
	}
	for _, is := range assistant.OAuthIssuers(u.lang) {
		row(is.ID, is.Name, is.RegisterURL)
	}
	row(oauth.DefaultClientIDKey, lang.X("settings.oauth.other", "Other sign-in services"), "")
	return container.NewVBox(
		widget.NewSeparator(),
		boldLabel(lang.X("settings.oauth.title", "Sign-in with OAuth2: client IDs")),
		wrapLabel(lang.X("settings.oauth.explain", "Some providers let mail programs in only through their own sign-in page (OAuth2): Outlook.com and Hotmail, Microsoft 365, and Gmail without an app password. A client ID is the registration of a mail program with such a provider: it tells the provider which program asks for access to your mail. mailsetup ships none, neither its own nor another program's, so that nobody else's registration is used in your name. You or your administrator register one at the provider's developer site (a public desktop application whose redirect address is http://127.0.0.1) and type it here.")),
		form,
		wrapLabel(lang.X("settings.oauth.other_explain", "Other sign-in services: used for every service without a client ID of its own, such as your company's. The command line uses these client IDs too.")),
		v.clientIDErr,
	)
}
