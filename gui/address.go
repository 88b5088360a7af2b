package gui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/mailcfg"
)

// addressScreen asks for the address, the name and the incoming protocol.
type addressScreen struct {
	w *wizard

	address  *widget.Entry
	errText  *widget.Label
	name     *widget.Entry
	protocol *widget.RadioGroup
	leave    *widget.Check
	find     *widget.Button
	notice   *widget.Label

	// The optional password up front (address_password.go).
	password     *widget.Entry
	passwordNote *widget.Label
	passwordItem *widget.FormItem
	form         *widget.Form
}

func (s *addressScreen) focusTarget() fyne.Focusable { return s.address }

func (s *addressScreen) content() fyne.CanvasObject {
	m := s.w.m
	s.address = widget.NewEntry()
	s.address.SetPlaceHolder(lang.X("setup.address.placeholder", "alice@example.com"))
	s.address.SetText(m.email)
	s.errText = wrapLabel("")
	s.errText.Importance = widget.DangerImportance
	s.errText.Hide()
	s.address.OnChanged = s.changed
	s.address.OnSubmitted = func(string) { s.submit() }

	s.name = widget.NewEntry()
	s.name.SetPlaceHolder(lang.X("setup.name.placeholder", "Alice Liu"))
	s.name.SetText(m.name)
	s.name.OnChanged = func(v string) { m.name = v }
	s.name.OnSubmitted = func(string) { s.submit() }
	s.buildPassword()

	pop, imap := protocolText(mailcfg.POP3), protocolText(mailcfg.IMAP)
	s.leave = widget.NewCheck(lang.X("setup.leave", "Leave a copy of each message on the server"), func(on bool) { m.leaveOnServer = on })
	s.leave.SetChecked(m.leaveOnServer)
	s.protocol = widget.NewRadioGroup([]string{pop, imap}, func(v string) {
		m.protocol = mailcfg.POP3
		if v == imap {
			m.protocol = mailcfg.IMAP
		}
		if m.protocol == mailcfg.POP3 {
			s.leave.Show()
		} else {
			s.leave.Hide()
		}
	})
	s.protocol.Horizontal = true
	s.protocol.Required = true
	s.protocol.SetSelected(map[mailcfg.Protocol]string{mailcfg.POP3: pop, mailcfg.IMAP: imap}[m.protocol])

	s.find = widget.NewButtonWithIcon(lang.X("setup.find", "Find settings"), theme.SearchIcon(), s.submit)
	s.find.Importance = widget.HighImportance
	s.notice = wrapLabel(m.notice)
	s.notice.Importance = widget.WarningImportance
	if m.notice == "" {
		s.notice.Hide()
	}
	s.changed(m.email)

	s.form = widget.NewForm(
		widget.NewFormItem(lang.X("setup.address", "Email address"), container.NewVBox(s.address, s.errText)),
		widget.NewFormItem(lang.X("setup.name", "Your name"), s.name),
		s.passwordItem, // last, as on Thunderbird's first screen
		widget.NewFormItem(lang.X("setup.protocol", "Incoming mail"), s.protocol),
		widget.NewFormItem("", wrapLabel(lang.X("setup.protocol.explain",
			"POP3 downloads your mail to this computer. IMAP keeps every device in sync."))),
		widget.NewFormItem("", s.leave),
	)
	s.showSecret()
	body := container.NewVBox(
		boldLabel(lang.X("setup.title", "Set up a mail account")),
		wrapLabel(lang.X("setup.intro", "Type your email address: mailsetup finds your provider's servers, checks that they work, and writes the settings for your mail program.")),
		s.form, s.notice)
	return page(body, s.find)
}

// changed validates the address as it is typed.
func (s *addressScreen) changed(v string) {
	m := s.w.m
	m.email = v
	addr, err := mailcfg.ParseAddress(v)
	m.addr, m.addrOK = addr, err == nil
	if err != nil && strings.TrimSpace(v) != "" {
		s.errText.SetText(addressErrorText(err))
		s.errText.Show()
	} else {
		s.errText.SetText("")
		s.errText.Hide()
	}
	if m.addrOK {
		s.find.Enable()
	} else {
		s.find.Disable()
	}
	if s.form != nil {
		s.showSecret()
	}
}

// submit starts the search when the address is valid (Enter or the Find
// button).
func (s *addressScreen) submit() {
	m := s.w.m
	if !m.addrOK {
		if strings.TrimSpace(m.email) == "" {
			s.errText.SetText(lang.X("address.empty", "Type your email address first."))
			s.errText.Show()
		}
		return
	}
	s.w.search.start()
}

// addressErrorText explains a mailcfg.ParseAddress error in the user's language.
func addressErrorText(err error) string {
	var ae *mailcfg.AddressError
	if !errors.As(err, &ae) {
		return err.Error()
	}
	switch ae.Problem {
	case mailcfg.AddressNoAt:
		return lang.X("address.no_at", "An email address needs an @, as in alice@example.com.")
	case mailcfg.AddressNoLocal:
		return lang.X("address.no_local", "Something must come before the @.")
	case mailcfg.AddressNoDomain:
		return lang.X("address.no_domain", "The domain is missing after the @.")
	case mailcfg.AddressNoDot:
		return lang.X("address.no_dot", "The domain after the @ needs a dot, as in example.com.")
	case mailcfg.AddressIP:
		return lang.X("address.ip", "Use the domain name, not an IP address, after the @.")
	case mailcfg.AddressDot:
		return lang.X("address.dot", "A dot cannot start or end the name before the @, nor come twice in a row.")
	case mailcfg.AddressTooLong:
		return lang.X("address.long", "The address is too long.")
	case mailcfg.AddressCharacter:
		return lang.X("address.char", "The address contains a character that is not allowed (space, comma, brackets, quotes…).")
	case mailcfg.AddressBadDomain:
		return lang.X("address.domain", "The domain after the @ is not valid.")
	}
	return lang.X("address.invalid", "This is not a valid email address.")
}
