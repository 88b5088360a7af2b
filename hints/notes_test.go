package hints

import (
	"slices"
	"strings"
	"testing"

	"mailsetup/l10n"
	"mailsetup/providers"
)

func TestProviderNotes(t *testing.T) {
	name := map[string]string{"en": "Example Mail", "zh-Hans": "示例邮箱", "zh-Hant": "範例信箱"}
	auth := func(a ...string) []string { return a }
	cases := []struct {
		name     string
		p        *providers.Provider
		want     []string
		severity string
		contains string // in the first note, English
	}{
		{"qq: code covers enabling", &providers.Provider{ID: "qq", Name: name, Auth: auth(providers.AuthCode, providers.AuthEnable)},
			[]string{"qq_auth_code"}, SeverityInfo, "16-letter authorization code"},
		{"netease with imap id", &providers.Provider{ID: "netease-163", Auth: auth(providers.AuthCode, providers.AuthEnable, providers.AuthIMAPID)},
			[]string{"netease_auth_code", "note_imap_id"}, SeverityInfo, "客户端授权密码"},
		{"netease qiye", &providers.Provider{ID: "netease-qiye", Auth: auth(providers.AuthCode)},
			[]string{"netease_qiye_auth_code"}, SeverityInfo, ""},
		{"family from domain", &providers.Provider{ID: "x1", Domains: []string{"139.com"}, Auth: auth(providers.AuthCode)},
			[]string{"mail139_auth_code"}, SeverityInfo, ""},
		{"family from server", &providers.Provider{ID: "x2", Incoming: []providers.Server{{Host: "pop.sina.com"}}, Auth: auth(providers.AuthCode)},
			[]string{"sina_auth_code"}, SeverityInfo, ""},
		{"unknown code provider", &providers.Provider{ID: "example", Name: name, Auth: auth(providers.AuthCode, providers.AuthEnable)},
			[]string{"auth_code_required", "note_enable_in_web"}, SeverityInfo, "Example Mail wants an authorization code"},
		{"gmail", &providers.Provider{ID: "gmail", Auth: auth(providers.AuthAppPassword)},
			[]string{"gmail_app_password"}, SeverityInfo, "apppasswords"},
		{"yandex covers enabling", &providers.Provider{ID: "yandex", Auth: auth(providers.AuthAppPassword, providers.AuthEnable)},
			[]string{"yandex_app_password"}, SeverityInfo, ""},
		{"generic app password", &providers.Provider{ID: "fastmail", Name: name, Auth: auth(providers.AuthAppPassword)},
			[]string{"app_password_required"}, SeverityInfo, "Example Mail wants an app password"},
		{"outlook", &providers.Provider{ID: "outlook", Auth: auth(providers.AuthOAuth2Only)},
			[]string{"outlook_oauth_only"}, SeverityInfo, "OAuth2"},
		{"microsoft 365", &providers.Provider{ID: "microsoft365", Hosted: true, Auth: auth(providers.AuthOAuth2Only)},
			[]string{"note_m365"}, SeverityInfo, "SMTP AUTH"},
		{"other oauth2-only", &providers.Provider{ID: "example", Name: name, Auth: auth(providers.AuthOAuth2Only)},
			[]string{"note_oauth2_only"}, SeverityInfo, "Example Mail does not accept passwords"},
		{"proton", &providers.Provider{ID: "proton", Auth: auth(providers.AuthBridgeOnly)},
			[]string{"proton_bridge_only"}, SeverityInfo, "Bridge"},
		{"other bridge", &providers.Provider{ID: "example", Name: name, Auth: auth(providers.AuthBridgeOnly)},
			[]string{"note_bridge_only"}, SeverityInfo, ""},
		{"enable only", &providers.Provider{ID: "gmx", Name: name, Auth: auth(providers.AuthEnable)},
			[]string{"note_enable_in_web"}, SeverityInfo, "Example Mail's web settings"},
		{"yahoo china closed", &providers.Provider{ID: "yahoo-cn", Service: providers.ServiceClosed},
			[]string{"yahoo_cn_closed"}, SeverityError, "2013"},
		{"other closed", &providers.Provider{ID: "gone", Name: name, Service: providers.ServiceClosed},
			[]string{"provider_closed"}, SeverityError, "Example Mail has shut down"},
		{"no client access", &providers.Provider{ID: "tuta", Name: name, Service: providers.ServiceNoClientAccess},
			[]string{"no_client_access"}, SeverityError, ""},
		{"nothing to say", &providers.Provider{ID: "posteo", Name: name}, nil, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ProviderNotes(tc.p, "en")
			if !slices.Equal(hintIDs(got), tc.want) {
				t.Fatalf("ProviderNotes = %v, want %v", hintIDs(got), tc.want)
			}
			for _, h := range got {
				if h.Severity != tc.severity {
					t.Errorf("%s: severity %s, want %s", h.ID, h.Severity, tc.severity)
				}
			}
			if tc.contains != "" && !strings.Contains(got[0].Text, tc.contains) {
				t.Errorf("text %q lacks %q", got[0].Text, tc.contains)
			}
			for _, lang := range l10n.Languages {
				checkHints(t, ProviderNotes(tc.p, lang))
			}
		})
	}
	if ProviderNotes(nil, "en") != nil {
		t.Error("ProviderNotes(nil) is not nil")
	}
}

func TestProviderNotesUseTableNameAndHelp(t *testing.T) {
	p := &providers.Provider{ID: "example", Name: map[string]string{"en": "Example Mail", "zh-Hans": "示例邮箱"},
		Auth: []string{providers.AuthEnable}, HelpURL: "https://help.example.com/pop"}
	got := ProviderNotes(p, "zh-CN")
	if len(got) != 1 || !strings.Contains(got[0].Text, "示例邮箱网页版") || got[0].URL != "https://help.example.com/pop" {
		t.Fatalf("got %+v", got)
	}
	// No Traditional name: the English one stands in.
	got = ProviderNotes(p, "zh-TW")
	if len(got) != 1 || !strings.Contains(got[0].Text, "Example Mail網頁版") {
		t.Fatalf("got %+v", got)
	}
}

// Every provider of the built-in table gets well-formed notes.
func TestProviderNotesBuiltinTable(t *testing.T) {
	for _, p := range providers.All() {
		for _, lang := range l10n.Languages {
			hs := ProviderNotes(p, lang)
			checkHints(t, hs)
			if len(p.Auth) > 0 && len(hs) == 0 {
				t.Errorf("%s has login requirements %v but no notes", p.ID, p.Auth)
			}
		}
	}
}
