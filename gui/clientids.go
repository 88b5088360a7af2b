package gui

import (
	"errors"

	"fyne.io/fyne/v2"

	"mailsetup/oauth"
)

// The OAuth2 client IDs live in oauth.ClientIDs's file (oauth-clients.json
// in the user's configuration folder), not in the window's preferences:
// the command line reads the same file after its flag and
// $MAILSETUP_OAUTH_CLIENT_ID, so an ID set here works there too.

// clientIDsPath is where the IDs are kept; "" without a configuration folder.
func clientIDsPath() string {
	p, err := oauth.ClientIDsPath()
	if err != nil {
		return ""
	}
	return p
}

// loadClientIDs reads the saved IDs; a file that cannot be read holds none.
func (u *ui) loadClientIDs() oauth.ClientIDs {
	if u.clientIDsPath == "" {
		return oauth.ClientIDs{}
	}
	ids, err := oauth.LoadClientIDs(u.clientIDsPath)
	if err != nil {
		fyne.LogError("reading the OAuth2 client IDs", err)
		return oauth.ClientIDs{}
	}
	return ids
}

// errNoConfigDir: the system names no configuration folder to save in.
var errNoConfigDir = errors.New("no configuration folder")

// saveClientID sets the ID of one issuer ("" removes it) and saves them all.
func (u *ui) saveClientID(key, id string) error {
	if u.clientIDsPath == "" {
		return errNoConfigDir
	}
	ids, err := oauth.LoadClientIDs(u.clientIDsPath)
	if err != nil {
		ids = oauth.ClientIDs{} // a broken file is replaced
	}
	if id == "" {
		delete(ids, key)
	} else {
		ids[key] = id
	}
	return ids.Save(u.clientIDsPath)
}

// showClientIDSetting opens Settings on the client ID of key.
func (u *ui) showClientIDSetting(key string) {
	u.tabs.SelectIndex(tabSettings)
	if e := u.settingsUI.clientIDs[key]; e != nil {
		u.win.Canvas().Focus(e)
	}
}
