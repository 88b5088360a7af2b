package gui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// With the password up front the search page shows each role's login as
// it starts and ends; the search then lands on the login page with the
// results (or on the servers page when a role has no server yet).

// onLogin applies a login event of a search with the password up front.
func (s *searchScreen) onLogin(ev assistant.Event) {
	st := &s.live
	switch ev.Kind {
	case assistant.LoginStarted:
		st.loggingIn[ev.Role] = true
	case assistant.LoginFinished:
		st.loggingIn[ev.Role] = false
		if ev.Login != nil {
			st.logins[ev.Role] = ev.Login
		}
	}
	if s.w.step == stepSearch {
		s.renderLogins()
	}
}

// renderLogins shows one line per role whose login started.
func (s *searchScreen) renderLogins() {
	if s.logins == nil {
		return
	}
	st := &s.live
	s.logins.RemoveAll()
	for _, role := range []mailcfg.Role{mailcfg.Incoming, mailcfg.Outgoing} {
		if o := st.logins[role]; o != nil {
			l := wrapLabel(earlyLoginText(role, o))
			if !o.OK {
				l.Importance = widget.DangerImportance
			}
			s.logins.Add(container.NewBorder(nil, nil, widget.NewIcon(okIcon(o.OK)), nil, l))
		} else if st.loggingIn[role] {
			l := wrapLabel(lang.X("search.logging_in", "{{.Role}}: logging in…", map[string]string{"Role": roleText(role)}))
			s.logins.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.ViewRefreshIcon()), nil, l))
		}
	}
	s.logins.Refresh()
}

// earlyLoginText says in one line how a login of the search went.
func earlyLoginText(role mailcfg.Role, o *assistant.LoginOutcome) string {
	server := o.Server.HostPort()
	if o.OK {
		return lang.X("search.login_ok", "{{.Role}} · {{.Server}}: logged in as {{.User}} ({{.Mechanism}})",
			map[string]string{"Role": roleText(role), "Server": server, "User": o.Username, "Mechanism": o.Mechanism})
	}
	why := o.ReasonText(currentLanguage())
	if o.AuthFailed {
		why = lang.X("login.rejected", "The server rejected the username or the password.")
	}
	if o.Server.Host == "" {
		return lang.X("search.login_none", "{{.Role}}: {{.Why}}", map[string]string{"Role": roleText(role), "Why": why})
	}
	return lang.X("search.login_failed", "{{.Role}} · {{.Server}}: {{.Why}}", map[string]string{"Role": roleText(role), "Server": server, "Why": why})
}

// tookLogins moves on from a search that logged in: to the login page
// with the results, where a consent a server needs is asked and the login
// made anew; to the servers page while a role has no server to log in on;
// to the login page's sign-in where the servers take no password.
func (s *searchScreen) tookLogins(rep *assistant.Report) {
	m := s.w.m
	// Servers that take no password got none: the login page offers the
	// sign-in, with no results to show before it.
	tried := rep.SignInWays(m.in, m.out, s.w.u.lang).Password
	if tried {
		m.logins, m.testedPassword, m.viaOAuth = rep.Login, true, false
	}
	if !rep.Complete() {
		s.w.show(stepServers)
		return
	}
	s.w.show(stepLogin)
	if tried {
		s.w.login.askNeeded()
	}
}
