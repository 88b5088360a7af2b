package export

import "mailsetup/mailcfg"

// SheetNotes is what the Foxmail sheet says besides its fields, for a
// screen that shows the fields (FoxmailFields) without the file.
type SheetNotes struct {
	// AfterTitle introduces After: what to set once the account exists
	// (POP3's copy on the server, another SMTP user name). Both are
	// empty when there is nothing.
	AfterTitle string
	After      []string
	// Help is the sentence with the provider's help page; "" for none.
	Help string
	// Notes are the sheet's closing lines: who made it, warnings.
	Notes []string
}

// FoxmailNotes returns the lines the Foxmail sheets print after the
// fields, from the same sheet as FoxmailFields.
func FoxmailNotes(a mailcfg.Account, o Options) (SheetNotes, error) {
	s, err := newFoxSheet(a, o)
	if err != nil {
		return SheetNotes{}, err
	}
	var n SheetNotes
	if len(s.after) > 0 {
		n.AfterTitle, n.After = s.lang.t("export.foxmail_after"), s.after
	}
	if s.helpURL != "" {
		n.Help = s.lang.t("export.help", "url", s.helpURL)
	}
	for _, line := range s.notes {
		if line != "" {
			n.Notes = append(n.Notes, line)
		}
	}
	return n, nil
}
