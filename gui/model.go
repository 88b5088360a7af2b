package gui

import (
	"mailsetup/assistant"
	"mailsetup/mailcfg"
)

// setupModel is what the wizard's screens share: the user's answers and
// the engine's results, nothing decided here. Only the UI goroutine
// touches it; workers get copies.
type setupModel struct {
	// The address page's answers.
	email, name   string
	addr          mailcfg.Address
	addrOK        bool
	protocol      mailcfg.Protocol
	leaveOnServer bool
	// notice says why the wizard came back to the address page.
	notice string

	// run numbers the discoveries: what a worker of an earlier one reports
	// after the user moved on is dropped.
	run int
	// report is the engine's answer, nil before the first one.
	report *assistant.Report
	// in and out are the servers as the user edits them, starting from
	// the engine's proposal.
	in, out mailcfg.Server
	// grants are the consents the user gave, per server.
	grants assistant.Grants

	// password is typed on the address page (optional) or the login page.
	password string
	// testedPassword: the logins on show were made with this password, or
	// with the OAuth2 sign-in (viaOAuth).
	testedPassword bool
	// oauth is the OAuth2 sign-in of this discovery's account, nil before
	// one; viaOAuth: the logins on show were made with it.
	oauth    *assistant.OAuthSession
	viaOAuth bool
	// issuerURL and scopes name a sign-in service the table does not know,
	// as typed on the login page.
	issuerURL, scopes string
	// logins fill in as each role's outcome comes; nil before a test.
	logins   *assistant.LoginReport
	sendTest *assistant.SendTest
}

func newSetupModel() *setupModel {
	return &setupModel{protocol: assistant.DefaultProtocol, leaveOnServer: true}
}

// takeReport adopts a discovery's answer: its proposals fill both cards.
func (m *setupModel) takeReport(rep *assistant.Report) {
	m.report = rep
	m.in = rep.Proposed(mailcfg.Incoming)
	m.out = rep.Proposed(mailcfg.Outgoing)
}

// server is the edited server of role.
func (m *setupModel) server(role mailcfg.Role) mailcfg.Server {
	if role == mailcfg.Outgoing {
		return m.out
	}
	return m.in
}

// setServer replaces the edited server of role.
func (m *setupModel) setServer(role mailcfg.Role, srv mailcfg.Server) {
	if role == mailcfg.Outgoing {
		m.out = srv
	} else {
		m.in = srv
	}
}

// grant records a yes to one of the engine's questions. A certificate is
// pinned in the settings instead (ui.askTrustCertificate).
func (m *setupModel) grant(c assistant.Consent) {
	switch c.Kind {
	case assistant.ConsentPlaintext:
		m.grants.Plaintext.Allow(c.Server)
	case assistant.ConsentUntrustedSource:
		m.grants.UntrustedSource.Allow(c.Server)
	}
}

// loginRequest is what the engine gets for a login or a send test: copies
// of the edited servers and of the grants.
func (m *setupModel) loginRequest() assistant.LoginRequest {
	in, out := m.in, m.out
	q := assistant.LoginRequest{Password: m.password, Incoming: &in, Outgoing: &out, Grants: m.grants.Clone()}
	if m.viaOAuth {
		q.Password, q.OAuth = "", m.oauth
	}
	return q
}

// loginsOK reports whether both logins worked.
func (m *setupModel) loginsOK() bool { return m.logins != nil && m.logins.OK() }

// forgetLogins drops the logins and the test message shown.
func (m *setupModel) forgetLogins() {
	m.logins, m.sendTest, m.testedPassword, m.viaOAuth = nil, nil, false, false
}

// forgetSignIn drops the OAuth2 session (a new discovery may be another
// account, a new service another issuer), and the logins made with it.
func (m *setupModel) forgetSignIn() {
	if m.viaOAuth {
		m.forgetLogins()
	}
	m.oauth = nil
}
