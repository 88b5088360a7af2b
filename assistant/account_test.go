package assistant

import (
	"encoding/json"
	"reflect"
	"testing"

	"mailsetup/mailcfg"
)

// reportFrom reads a report as the JSON contract writes it (a --from file).
func reportFrom(t *testing.T, doc string) *Report {
	t.Helper()
	var r Report
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

const (
	outlookReport = `{"email":"alice@outlook.com","provider":{"id":"outlook","name":"Outlook.com"},
	  "recommended":{
	    "incoming":{"protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls","username":"alice@outlook.com","auth":["oauth2"]},
	    "outgoing":{"protocol":"smtp","host":"smtp-mail.outlook.com","port":587,"security":"starttls","username":"alice@outlook.com","auth":["oauth2"]}},
	  "candidates":[
	    {"role":"incoming","protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls","status":"ok","auth_mechanisms":["PLAIN","XOAUTH2"]},
	    {"role":"outgoing","protocol":"smtp","host":"smtp-mail.outlook.com","port":587,"security":"starttls","status":"ok","auth_mechanisms":["LOGIN","XOAUTH2"]}],
	  "hints":[]}`
	gmailReport = `{"email":"bob@gmail.com","provider":{"id":"gmail","name":"Gmail"},
	  "recommended":{
	    "incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"bob@gmail.com","auth":["oauth2","password"]},
	    "outgoing":{"protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls","username":"bob@gmail.com","auth":["oauth2","password"]}},
	  "candidates":[
	    {"role":"incoming","protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","status":"ok","auth_mechanisms":["PLAIN","XOAUTH2","OAUTHBEARER"]},
	    {"role":"outgoing","protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls","status":"ok","auth_mechanisms":["PLAIN","XOAUTH2","OAUTHBEARER"]}],
	  "hints":[]}`
	// A provider outside the table whose IMAP server takes tokens only
	// (LOGINDISABLED, no password mechanism) and whose SMTP takes both.
	tokenOnlyReport = `{"email":"carol@example.org","provider":null,
	  "recommended":{
	    "incoming":{"protocol":"imap","host":"imap.example.org","port":993,"security":"tls","username":"carol@example.org","auth":["oauth2"]},
	    "outgoing":{"protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls","username":"carol@example.org","auth":["password","oauth2"]}},
	  "candidates":[
	    {"role":"incoming","protocol":"imap","host":"imap.example.org","port":993,"security":"tls","status":"ok",
	     "capabilities":["IMAP4rev1","LOGINDISABLED","AUTH=XOAUTH2","AUTH=OAUTHBEARER"],"auth_mechanisms":["XOAUTH2","OAUTHBEARER"]},
	    {"role":"outgoing","protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls","status":"ok","auth_mechanisms":["PLAIN","XOAUTH2"]}],
	  "hints":[]}`
	passwordReport = `{"email":"dave@example.org","provider":null,
	  "recommended":{
	    "incoming":{"protocol":"pop3","host":"pop.example.org","port":995,"security":"tls","username":"dave@example.org"},
	    "outgoing":{"protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls","username":"dave@example.org"}},
	  "candidates":[
	    {"role":"incoming","protocol":"pop3","host":"pop.example.org","port":995,"security":"tls","status":"ok","capabilities":["USER"],"auth_mechanisms":["PLAIN"]},
	    {"role":"outgoing","protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls","status":"ok","auth_mechanisms":["PLAIN","LOGIN"]}],
	  "hints":[]}`
	// Only the recommendation survives: a document cut down by hand.
	bareOAuthReport = `{"email":"erin@example.org","provider":null,
	  "recommended":{
	    "incoming":{"protocol":"imap","host":"imap.example.org","port":993,"security":"tls","username":"erin@example.org","auth":["oauth2"]},
	    "outgoing":{"protocol":"smtp","host":"smtp.example.org","port":587,"security":"starttls","username":"erin@example.org","auth":["oauth2"]}},
	  "candidates":[],"hints":[]}`
)

var microsoftToken = "https://login.microsoftonline.com/common/oauth2/v2.0/token"

func TestAccountSignIn(t *testing.T) {
	xo, ob := mailcfg.MechXOAuth2, mailcfg.MechOAuthBearer
	tests := []struct {
		name   string
		doc    string
		ch     AccountChoices
		login  *LoginReport
		oauth2 *mailcfg.OAuth2 // nil: a password account
	}{
		{"outlook.com takes no password", outlookReport, AccountChoices{}, nil,
			&mailcfg.OAuth2{Issuer: "microsoft", IssuerName: "Microsoft", TokenEndpoint: microsoftToken,
				IncomingMechanisms: []string{xo}, OutgoingMechanisms: []string{xo}}},
		{"outlook.com in Chinese", outlookReport, AccountChoices{Lang: "zh-Hans"}, nil,
			&mailcfg.OAuth2{Issuer: "microsoft", IssuerName: "微软", TokenEndpoint: microsoftToken,
				IncomingMechanisms: []string{xo}, OutgoingMechanisms: []string{xo}}},
		{"gmail takes a password too", gmailReport, AccountChoices{}, nil, nil},
		{"gmail with --oauth", gmailReport, AccountChoices{OAuth2: true}, nil,
			&mailcfg.OAuth2{Issuer: "google", IssuerName: "Google", TokenEndpoint: "https://oauth2.googleapis.com/token",
				IncomingMechanisms: []string{ob, xo}, OutgoingMechanisms: []string{ob, xo}}},
		// The check signed in with OAuth2: that is how the account signs
		// in, and the mechanism that worked comes first.
		{"gmail checked with OAuth2", gmailReport, AccountChoices{}, &LoginReport{
			Incoming: &LoginOutcome{OK: true, Method: MethodOAuth2, Mechanism: "XOAUTH2",
				Server: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "imap.gmail.com", Port: 993, Security: mailcfg.TLS, Username: "bob@gmail.com"}},
			Outgoing: &LoginOutcome{OK: true, Method: MethodOAuth2, Mechanism: "OAUTHBEARER",
				Server: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "smtp.gmail.com", Port: 465, Security: mailcfg.TLS, Username: "bob@gmail.com"}}},
			&mailcfg.OAuth2{Issuer: "google", IssuerName: "Google", TokenEndpoint: "https://oauth2.googleapis.com/token",
				IncomingMechanisms: []string{xo, ob}, OutgoingMechanisms: []string{ob, xo}}},
		{"gmail checked with a password", gmailReport, AccountChoices{}, &LoginReport{
			Incoming: &LoginOutcome{OK: true, Method: MethodPassword, Mechanism: "PLAIN"},
			Outgoing: &LoginOutcome{OK: true, Method: MethodPassword, Mechanism: "PLAIN"}}, nil},
		// Off the table, the servers' own mechanisms tell, the standard
		// OAUTHBEARER first.
		{"a server taking tokens only", tokenOnlyReport, AccountChoices{}, nil,
			&mailcfg.OAuth2{IncomingMechanisms: []string{ob, xo}, OutgoingMechanisms: []string{xo}}},
		{"password servers", passwordReport, AccountChoices{}, nil, nil},
		{"password servers with --oauth", passwordReport, AccountChoices{OAuth2: true}, nil, &mailcfg.OAuth2{}},
		{"only the recommendation's auth", bareOAuthReport, AccountChoices{}, nil, &mailcfg.OAuth2{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reportFrom(t, tt.doc)
			r.Login = tt.login
			a, err := r.Account(tt.ch)
			if err != nil {
				t.Fatal(err)
			}
			if tt.oauth2 == nil {
				if a.Auth != "" || a.OAuth2 != nil {
					t.Errorf("a password account got auth %q, %+v", a.Auth, a.OAuth2)
				}
				return
			}
			if a.Auth != mailcfg.AuthOAuth2 || !reflect.DeepEqual(a.OAuth2, tt.oauth2) {
				t.Errorf("auth %q, %+v; want oauth2, %+v", a.Auth, a.OAuth2, tt.oauth2)
			}
		})
	}
}

// A server the user typed in place of the recommendation is judged by the
// provider's table when nobody probed it.
func TestAccountSignInOverride(t *testing.T) {
	r := reportFrom(t, outlookReport)
	typed := mailcfg.Server{Protocol: mailcfg.IMAP, Host: "imap.example.net", Port: 993, Security: mailcfg.TLS}
	a, err := r.Account(AccountChoices{Incoming: &typed})
	if err != nil {
		t.Fatal(err)
	}
	if !a.SignsInWithOAuth2() || a.Incoming.Host != "imap.example.net" {
		t.Errorf("Outlook.com with a typed server: auth %q, incoming %s", a.Auth, a.Incoming.Host)
	}
	r = reportFrom(t, passwordReport)
	if a, _ := r.Account(AccountChoices{Incoming: &typed}); a.SignsInWithOAuth2() {
		t.Error("a typed server of an unknown provider became OAuth2")
	}
}
