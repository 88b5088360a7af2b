package gui

import (
	"errors"
	"net"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"mailsetup/mailcfg"
)

// serverCard edits one server.
type serverCard struct {
	role     mailcfg.Role
	srv      mailcfg.Server
	protocol *widget.Select // incoming only
	host     *widget.Entry
	port     *widget.Entry
	security *widget.Select
	user     *widget.Entry
	errText  *widget.Label
	card     *widget.Card
	changed  func(mailcfg.Server)
}

// incomingProtocols are the incoming card's protocol menu, in order.
var incomingProtocols = []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP}

func newServerCard(role mailcfg.Role, srv mailcfg.Server, changed func(mailcfg.Server), submit func()) *serverCard {
	c := &serverCard{role: role, srv: srv, changed: changed}
	modes, labels := securityOptions()
	c.host = widget.NewEntry()
	c.host.SetPlaceHolder(lang.X("servers.host.placeholder", "mail.example.com"))
	c.host.SetText(srv.Host)
	c.port = widget.NewEntry()
	if srv.Port > 0 {
		c.port.SetText(strconv.Itoa(srv.Port))
	}
	c.security = widget.NewSelect(labels, nil)
	for i, m := range modes {
		if m == srv.Security {
			c.security.SetSelectedIndex(i)
		}
	}
	c.user = widget.NewEntry()
	c.user.SetText(srv.Username)
	c.errText = wrapLabel("")
	c.errText.Importance = widget.DangerImportance
	c.errText.Hide()

	form := widget.NewForm()
	title := lang.X("servers.incoming", "Incoming mail server")
	if role == mailcfg.Incoming {
		c.protocol = widget.NewSelect([]string{protocolText(mailcfg.POP3), protocolText(mailcfg.IMAP)}, nil)
		for i, p := range incomingProtocols {
			if p == srv.Protocol {
				c.protocol.SetSelectedIndex(i)
			}
		}
		c.protocol.OnChanged = func(string) {
			old := c.srv.Protocol
			c.srv.Protocol = incomingProtocols[c.protocol.SelectedIndex()]
			c.followProtocol(old)
			c.changed(c.srv)
		}
		form.Append(lang.X("servers.protocol", "Protocol"), c.protocol)
	} else {
		title = lang.X("servers.outgoing", "Outgoing mail server (SMTP)")
	}
	form.Append(lang.X("servers.host", "Server"), c.host)
	form.Append(lang.X("servers.port", "Port"), c.port)
	form.Append(lang.X("servers.security", "Encryption"), c.security)
	form.Append(lang.X("servers.username", "Username"), c.user)

	c.host.OnChanged = func(s string) { c.srv.Host = strings.TrimSpace(s); c.changed(c.srv) }
	c.port.OnChanged = func(s string) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			c.srv.Port = 0
			c.changed(c.srv)
			return
		}
		c.srv.Port = n
		c.followPort()
		c.changed(c.srv)
	}
	c.security.OnChanged = func(string) {
		if i := c.security.SelectedIndex(); i >= 0 {
			c.srv.Security = modes[i]
			c.changed(c.srv)
		}
	}
	c.user.OnChanged = func(s string) { c.srv.Username = strings.TrimSpace(s); c.changed(c.srv) }
	for _, e := range []*widget.Entry{c.host, c.port, c.user} {
		e.OnSubmitted = func(string) { submit() }
	}
	c.card = widget.NewCard(title, "", container.NewVBox(form, c.errText))
	return c
}

// followPort adopts the protocol and security a well-known port implies.
func (c *serverCard) followPort() {
	p, sec, ok := mailcfg.InferFromPort(c.srv.Port)
	if !ok || p.Role() != c.role {
		return
	}
	modes, _ := securityOptions()
	for i, m := range modes {
		if m == sec && c.srv.Security != sec {
			c.srv.Security = sec
			c.security.SetSelectedIndex(i)
		}
	}
	if c.protocol != nil && p != c.srv.Protocol {
		c.srv.Protocol = p
		c.protocol.SetSelectedIndex(map[mailcfg.Protocol]int{mailcfg.POP3: 0, mailcfg.IMAP: 1}[p])
	}
}

// followProtocol moves a standard port along when the protocol changes.
func (c *serverCard) followProtocol(old mailcfg.Protocol) {
	for i, ep := range mailcfg.StandardEndpoints(old) {
		if ep.Port == c.srv.Port {
			eps := mailcfg.StandardEndpoints(c.srv.Protocol)
			if i < len(eps) {
				c.srv.Port = eps[i].Port
				c.port.SetText(strconv.Itoa(eps[i].Port)) // followPort keeps the security
			}
			return
		}
	}
}

// check validates the card as mailcfg reads a HOST:PORT, showing what is
// wrong under it.
func (c *serverCard) check() bool {
	var msg string
	_, _, err := mailcfg.ParseHostPort(net.JoinHostPort(c.srv.Host, strconv.Itoa(c.srv.Port)))
	var spec *mailcfg.SpecError
	switch {
	case errors.As(err, &spec) && spec.Problem == mailcfg.SpecPort:
		msg = lang.X("servers.err.port", "The port is a number from 1 to 65535.")
	case err != nil:
		msg = lang.X("servers.err.host", "Type the server's name, e.g. mail.example.com.")
	case !c.srv.Security.Valid():
		msg = lang.X("servers.err.security", "Choose the encryption.")
	}
	if msg == "" {
		c.errText.Hide()
		return true
	}
	c.errText.SetText(msg)
	c.errText.Show()
	return false
}
