package assistant

import (
	"fmt"

	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// Account turns a report's recommendation into client settings for the
// exporters. It works on a report read back from JSON too.
func (r *Report) Account(lang string) (mailcfg.Account, error) {
	a := mailcfg.Account{Email: r.Email, LeaveOnServer: true}
	if r.Recommended.Incoming == nil || r.Recommended.Outgoing == nil {
		var missing []string
		if r.Recommended.Incoming == nil {
			missing = append(missing, "incoming")
		}
		if r.Recommended.Outgoing == nil {
			missing = append(missing, "outgoing")
		}
		return a, fmt.Errorf("no usable %v server: nothing to export (give it with --incoming/--outgoing)", missing)
	}
	a.Incoming, a.Outgoing = *r.Recommended.Incoming, *r.Recommended.Outgoing
	if r.Provider != nil {
		a.ProviderID, a.ProviderName = r.Provider.ID, r.Provider.Name
		if p := providers.ByID(r.Provider.ID); p != nil {
			a.PasswordNote = p.Note(lang)
			a.HelpURL = p.HelpURL
			a.NeedsIMAPID = p.HasAuth(providers.AuthIMAPID)
		}
	}
	return a, nil
}
