package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/discover"
	"mailsetup/hints"
	"mailsetup/mailcfg"
)

// signInReport is a discovery of email at a provider of the table (id ""
// for an unknown one) whose servers were probed with the given SASL
// mechanisms and capabilities.
func signInReport(email, id, name string, in, out mailcfg.Server, mechs, caps []string) *assistant.Report {
	rep := &assistant.Report{Email: email, Recommended: assistant.Recommended{Incoming: &in, Outgoing: &out},
		Notes: []hints.Hint{}, Hints: []string{}, Protocol: in.Protocol}
	if id != "" {
		rep.Provider = &assistant.ProviderRef{ID: id, Name: name}
	}
	for _, c := range []struct {
		role mailcfg.Role
		srv  mailcfg.Server
	}{{mailcfg.Incoming, in}, {mailcfg.Outgoing, out}} {
		rep.Candidates = append(rep.Candidates, assistant.Candidate{Role: c.role, Protocol: c.srv.Protocol, Host: c.srv.Host,
			Port: c.srv.Port, Security: c.srv.Security, Username: c.srv.Username, Sources: []discover.SourceName{discover.SourceBuiltin},
			Status: mailcfg.StatusOK, Trusted: true, AuthMechanisms: mechs, Capabilities: caps})
	}
	return rep
}

// outlookReport: Outlook.com, which takes no password.
func outlookReport() *assistant.Report {
	return signInReport("alice@outlook.com", "outlook", "Outlook.com",
		mailcfg.Server{Protocol: mailcfg.IMAP, Host: "outlook.office365.com", Port: 993, Security: mailcfg.TLS, Username: "alice@outlook.com"},
		mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp-mail.outlook.com", Port: 587, Security: mailcfg.STARTTLS, Username: "alice@outlook.com"},
		[]string{"XOAUTH2"}, nil)
}

// gmailReport: Gmail, which takes a sign-in with Google or an app password.
func gmailReport() *assistant.Report {
	return signInReport("alice@gmail.com", "gmail", "Gmail",
		mailcfg.Server{Protocol: mailcfg.POP3, Host: "pop.gmail.com", Port: 995, Security: mailcfg.TLS, Username: "alice@gmail.com"},
		mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.gmail.com", Port: 465, Security: mailcfg.TLS, Username: "alice@gmail.com"},
		[]string{"PLAIN", "XOAUTH2", "OAUTHBEARER"}, nil)
}

// tokenOnlyReport: a provider the table does not know whose servers offer
// nothing but OAuth2 mechanisms.
func tokenOnlyReport() *assistant.Report {
	return signInReport("alice@corp.example", "", "",
		mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.corp.example", Port: 993, Security: mailcfg.TLS, Username: "alice@corp.example"},
		mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.corp.example", Port: 465, Security: mailcfg.TLS, Username: "alice@corp.example"},
		[]string{"XOAUTH2", "OAUTHBEARER"}, []string{"LOGINDISABLED"})
}

// toLoginWith runs a discovery of rep's address on the fake engine to the
// login page, in the language of the harness.
func toLoginWith(t *testing.T, h *harness, rep *assistant.Report) {
	t.Helper()
	h.eng.report = rep
	f := h.u.setup
	f.address.address.SetText("")
	test.Type(f.address.address, rep.Email)
	pressEnter(f.address.address)
	h.settle()
	if f.step != stepServers {
		t.Fatalf("step %d after the search, want the servers page", f.step)
	}
	test.Tap(f.servers.next)
	if f.step != stepLogin {
		t.Fatalf("step %d, want the login page", f.step)
	}
}

// browser records the pages the window opened.
type browser struct{ opened []string }

func (b *browser) open(_ context.Context, url string) error {
	b.opened = append(b.opened, url)
	return nil
}

// pageTexts is every text on show, joined, for messages.
func pageTexts(h *harness) string { return strings.Join(texts(h.u.win.Content()), " | ") }

// findButton is the visible button under o with the text, nil when none.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	if o == nil || !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Button:
		if w.Text == text {
			return w
		}
		return nil
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}
