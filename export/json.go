package export

import (
	"encoding/json"

	"mailsetup/mailcfg"
)

// renderJSON writes the settings document: the account itself, the
// password dropped unless asked for.
func renderJSON(a mailcfg.Account, o Options) ([]byte, error) {
	if err := checkAccount(a, needBoth, o); err != nil {
		return nil, err
	}
	a.Password, _ = password(a, o)
	out, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
