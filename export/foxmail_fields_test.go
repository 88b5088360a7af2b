package export

import (
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

// The fields follow Foxmail 7.2's manual-setup dialog: its labels, its order.
func TestFoxmailFieldsOrderAndLabels(t *testing.T) {
	tests := []struct {
		acct    mailcfg.Account
		labels  []string
		values  []string // "" for check boxes and the withheld password
		checked []bool   // per field; false for non-boxes
	}{
		{testAccounts[0].acct,
			[]string{"接收服务器类型", "邮件账号", "密码", "POP服务器", "SSL", "端口", "SMTP服务器", "SSL", "端口", foxSTARTTLSzh},
			[]string{"POP3", "alice@example.com", "", "pop.example.com", "", "995", "smtp.example.com", "", "465", ""},
			[]bool{false, false, false, false, true, false, false, true, false, false}},
		{testAccounts[1].acct,
			[]string{"接收服务器类型", "邮件账号", "密码", "IMAP服务器", "SSL", "端口", "SMTP服务器", "SSL", "端口", foxSTARTTLSzh},
			[]string{"IMAP", "bob", "", "imap.example.org", "", "993", "smtp.example.org", "", "587", ""},
			[]bool{false, false, false, false, true, false, false, false, false, true}},
	}
	for _, tt := range tests {
		fields, err := FoxmailFields(tt.acct, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(fields) != len(tt.labels) {
			t.Fatalf("%s: %d fields, want %d: %+v", tt.acct.Email, len(fields), len(tt.labels), fields)
		}
		for i, f := range fields {
			if f.Label != tt.labels[i] || f.Value != tt.values[i] || f.Checked != tt.checked[i] {
				t.Errorf("%s field %d = %q %q checked=%v, want %q %q checked=%v", tt.acct.Email, i,
					f.Label, f.Value, f.Checked, tt.labels[i], tt.values[i], tt.checked[i])
			}
			if f.English == "" {
				t.Errorf("%s field %d (%s) has no English label", tt.acct.Email, i, f.Label)
			}
			if f.CheckBox != (f.Label == "SSL" || f.Label == foxSTARTTLSzh) {
				t.Errorf("%s field %d (%s): CheckBox = %v", tt.acct.Email, i, f.Label, f.CheckBox)
			}
		}
	}
}

func TestFoxmailFieldsPassword(t *testing.T) {
	a := testAccounts[0].acct
	a.Password = "s3cret-code"
	withheld, err := FoxmailFields(a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	given, err := FoxmailFields(a, Options{IncludePassword: true})
	if err != nil {
		t.Fatal(err)
	}
	pw := func(fs []SheetField) SheetField {
		for _, f := range fs {
			if f.Secret {
				return f
			}
		}
		t.Fatal("no secret field")
		return SheetField{}
	}
	if f := pw(withheld); f.Value != "" || f.Note != a.PasswordNote {
		t.Errorf("withheld password field = %+v, want no value and the provider's note", f)
	}
	if f := pw(given); f.Value != "s3cret-code" {
		t.Errorf("included password field value %q", f.Value)
	}
}

// The screen's fields and the text sheet come from one source: every
// label and value of the fields is on the sheet.
func TestFoxmailFieldsMatchTheSheet(t *testing.T) {
	for _, ta := range testAccounts {
		fields, err := FoxmailFields(ta.acct, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := renderFoxmailText(ta.acct, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fields {
			for _, s := range []string{f.Label, f.Value} {
				if !strings.Contains(string(sheet), s) {
					t.Errorf("%s: %q is not on the text sheet", ta.name, s)
				}
			}
		}
	}
}

// What a screen shows below the fields is what the text sheet says there.
func TestFoxmailNotesMatchTheSheet(t *testing.T) {
	some := 0
	for _, ta := range testAccounts {
		for _, lang := range []string{"en", "zh-Hans"} {
			n, err := FoxmailNotes(ta.acct, Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			sheet, err := renderFoxmailText(ta.acct, Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			lines := append(append([]string{n.AfterTitle, n.Help}, n.After...), n.Notes...)
			for _, s := range lines {
				if !strings.Contains(string(sheet), s) {
					t.Errorf("%s in %s: %q is not on the text sheet", ta.name, lang, s)
				}
			}
			if (n.AfterTitle == "") != (len(n.After) == 0) || len(n.Notes) == 0 {
				t.Errorf("%s in %s: %+v", ta.name, lang, n)
			}
			some += len(n.After)
		}
	}
	if some == 0 {
		t.Error("no account has anything to set afterwards: the test shows nothing")
	}
}
