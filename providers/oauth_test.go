package providers

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

func TestSignInMethods(t *testing.T) {
	tests := []struct {
		id       string
		want     []string
		issuer   string
		password bool
	}{
		{"outlook", []string{"oauth2"}, "microsoft", false},
		{"microsoft365", []string{"oauth2"}, "microsoft", false},
		{"gmail", []string{"oauth2", "password"}, "google", true},
		{"google-workspace", []string{"oauth2", "password"}, "google", true},
		{"yahoo", []string{"password", "oauth2"}, "yahoo", true},
		{"aol", []string{"password", "oauth2"}, "aol", true},
		{"qq", []string{"password"}, "", true},
		{"icloud", []string{"password"}, "", true},
	}
	for _, tt := range tests {
		p := ByID(tt.id)
		if p == nil {
			t.Fatalf("%s: not in the table", tt.id)
		}
		if got := p.SignInMethods(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: SignInMethods = %v, want %v", tt.id, got, tt.want)
		}
		if p.TakesPassword() != tt.password {
			t.Errorf("%s: TakesPassword = %v", tt.id, !tt.password)
		}
		switch iss := p.OAuth(); {
		case tt.issuer == "" && iss != nil:
			t.Errorf("%s: has issuer %s", tt.id, iss.ID)
		case tt.issuer != "" && (iss == nil || iss.ID != tt.issuer):
			t.Errorf("%s: issuer %v, want %s", tt.id, iss, tt.issuer)
		case tt.issuer != "" && !p.TakesOAuth2():
			t.Errorf("%s: has an issuer but does not take OAuth2", tt.id)
		}
	}
}

func TestIssuerFacts(t *testing.T) {
	ms := IssuerByID("microsoft")
	if ms == nil {
		t.Fatal("no microsoft issuer")
	}
	if !strings.Contains(ms.AuthorizationEndpoint, "/common/") || !strings.Contains(ms.TokenEndpoint, "/common/") {
		t.Errorf("Microsoft endpoints must be /common (personal and work/school): %s %s", ms.AuthorizationEndpoint, ms.TokenEndpoint)
	}
	wantScope := map[mailcfg.Protocol]string{
		mailcfg.IMAP: "https://outlook.office.com/IMAP.AccessAsUser.All",
		mailcfg.POP3: "https://outlook.office.com/POP.AccessAsUser.All",
		mailcfg.SMTP: "https://outlook.office.com/SMTP.Send",
	}
	for proto, s := range wantScope {
		if got := ms.Scopes.For(proto); len(got) == 0 || got[0] != s || !hasString(got, "offline_access") {
			t.Errorf("microsoft %s scopes = %v, want %s and offline_access", proto, got, s)
		}
	}
	if !reflect.DeepEqual(ms.Mechanisms, []string{MechXOAuth2}) {
		t.Errorf("Outlook offers XOAUTH2 only, table says %v", ms.Mechanisms)
	}
	g := IssuerByID("google")
	if g == nil || g.Scopes.For(mailcfg.IMAP)[0] != "https://mail.google.com/" || !hasString(g.Mechanisms, MechOAuthBearer) {
		t.Errorf("google issuer = %+v", g)
	}
	if g != nil && g.DeviceAuthorizationEndpoint != "" {
		t.Error("Google's device flow grants no mail scope: listing it would only lead to a refusal")
	}
	if len(Issuers()) != 4 {
		t.Errorf("Issuers() = %d entries, want 4", len(Issuers()))
	}
}

// mailsetup ships no other application's client ID: the table has no field
// for one, and no value that looks like one.
func TestNoClientIDsInTable(t *testing.T) {
	for _, bad := range []string{"client_id", "client_secret", "clientid", ".apps.googleusercontent.com"} {
		if strings.Contains(strings.ToLower(string(builtinData)), bad) {
			t.Errorf("providers.json contains %q", bad)
		}
	}
}

func testIssuer(id string) map[string]any {
	scopes := []any{"mail"}
	return map[string]any{
		"id":                     id,
		"name":                   map[string]any{"en": "I", "zh-Hans": "I", "zh-Hant": "I"},
		"issuer":                 "https://login." + id + ".test",
		"authorization_endpoint": "https://login." + id + ".test/authorize",
		"token_endpoint":         "https://login." + id + ".test/token",
		"scopes":                 map[string]any{"imap": scopes, "pop3": scopes, "smtp": scopes},
		"mechanisms":             []any{"OAUTHBEARER", "XOAUTH2"},
		"register_url":           "https://dev." + id + ".test/apps",
		"source":                 "test data",
		"checked":                "2026-12",
	}
}

func TestLoadChecksOAuth(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(iss, p map[string]any)
		want   string // "" = valid
	}{
		{"valid", func(iss, p map[string]any) {}, ""},
		{"password only, no issuer", func(iss, p map[string]any) { delete(p, "sign_in"); delete(p, "oauth_issuer") }, ""},
		{"oauth2 without issuer", func(iss, p map[string]any) { delete(p, "oauth_issuer") }, "must be given exactly when sign_in lists"},
		{"issuer without oauth2", func(iss, p map[string]any) { p["sign_in"] = []any{"password"} }, "must be given exactly when sign_in lists"},
		{"unknown issuer", func(iss, p map[string]any) { p["oauth_issuer"] = "nope" }, `"nope" is not an issuer`},
		{"unknown method", func(iss, p map[string]any) { p["sign_in"] = []any{"oauth2", "kerberos"} }, `sign_in[1]: "kerberos"`},
		{"method twice", func(iss, p map[string]any) { p["sign_in"] = []any{"oauth2", "oauth2"} }, "listed twice"},
		{"oauth2_only taking a password", func(iss, p map[string]any) {
			p["auth"] = []any{"oauth2_only"}
			p["notes"] = testNotes
		}, "sign_in must be"},
		{"http token endpoint", func(iss, p map[string]any) { iss["token_endpoint"] = "http://login.x.test/token" }, "token_endpoint"},
		{"no register url", func(iss, p map[string]any) { delete(iss, "register_url") }, "register_url"},
		{"unknown mechanism", func(iss, p map[string]any) { iss["mechanisms"] = []any{"PLAIN"} }, `mechanisms[0]: "PLAIN"`},
		{"no smtp scope", func(iss, p map[string]any) {
			iss["scopes"] = map[string]any{"imap": []any{"a"}, "pop3": []any{"a"}}
		}, "scopes.smtp: empty"},
		{"scope with a space", func(iss, p map[string]any) {
			iss["scopes"] = map[string]any{"imap": []any{"a b"}, "pop3": []any{"a"}, "smtp": []any{"a"}}
		}, "not a scope token"},
		{"client id field", func(iss, p map[string]any) { iss["client_id"] = "123" }, "unknown field"},
		{"tenant template", func(iss, p map[string]any) { iss["issuer"] = "https://login.x.test/{tenantid}/v2.0" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss := testIssuer("x")
			p := testProvider("alpha")
			p["sign_in"] = []any{"oauth2", "password"}
			p["oauth_issuer"] = "x"
			tt.break_(iss, p)
			data, err := json.Marshal(map[string]any{"schema": 1, "oauth_issuers": []any{iss}, "providers": []any{p}})
			if err != nil {
				t.Fatal(err)
			}
			tab, err := newTable(data)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("accepted, want an error with %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q, want %q in it", err, tt.want)
			case tt.want == "" && p["oauth_issuer"] != nil && tab.byID["alpha"].OAuth() == nil:
				t.Fatal("issuer not resolved")
			}
		})
	}
}
