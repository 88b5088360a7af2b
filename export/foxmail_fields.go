package export

import (
	"strconv"

	"mailsetup/mailcfg"
)

// SheetField is one field of a mail program's manual-setup dialog, for a
// screen that shows the settings beside a copy button per field.
type SheetField struct {
	// Label is the field's label as the program shows it (Foxmail: its
	// Chinese interface); English says the same in English.
	Label, English string
	// Value is what to type or choose. For a check box it is empty and
	// Checked says whether to tick it.
	Value    string
	CheckBox bool
	Checked  bool
	// Secret marks the password. Its Value is empty unless the password
	// was asked for (Options.IncludePassword); Note then says what to use
	// (e.g. QQ Mail's authorization code).
	Secret bool
	Note   string
}

// FoxmailFields returns the fields of Foxmail's manual-setup dialog in the
// dialog's order, with the values for a: receiving server type, account,
// password, then each server with its SSL box and port, then the STARTTLS
// box. They come from the same sheet as the foxmail and foxmail-txt
// formats, so the screen and the files never disagree.
func FoxmailFields(a mailcfg.Account, o Options) ([]SheetField, error) {
	s, err := newFoxSheet(a, o)
	if err != nil {
		return nil, err
	}
	var fields []SheetField
	for _, r := range s.rows {
		f := SheetField{Label: r.zh, English: r.en, Value: r.value, Secret: r.secret}
		if r.secret {
			// The screen shows the note under a field already labelled
			// Password, so it takes the provider's words without the
			// sheet's "Password:" lead.
			f.Note = a.PasswordNote
			if !s.pwGiven {
				f.Value = ""
			}
		}
		fields = append(fields, f)
		if r.server {
			fields = append(fields,
				SheetField{Label: "SSL", English: "SSL", CheckBox: true, Checked: r.ssl},
				SheetField{Label: "端口", English: "Port", Value: strconv.Itoa(r.port)})
		}
	}
	fields = append(fields, SheetField{Label: foxSTARTTLSzh, English: foxSTARTTLSen, CheckBox: true, Checked: s.starttls})
	return fields, nil
}
