package assistant

import (
	"strings"
	"testing"

	"mailsetup/oauth"
)

// Sign-in failures read well whatever the issuer told: no empty
// registration address, metadata not called an "answer".
func TestSignInMessage(t *testing.T) {
	tests := []struct {
		err      error
		code     string
		contains string
	}{
		{&oauth.NoClientIDError{Issuer: "https://auth.example.test"}, "oauth.no_client_id_generic", "Register one with https://auth.example.test ("},
		{&oauth.NoClientIDError{Issuer: "Microsoft", RegisterURL: "https://entra.microsoft.com/"}, "oauth.no_client_id", "Register one (https://entra.microsoft.com/:"},
		{&oauth.WrongIssuerError{Want: "https://a.test", Got: "https://b.test", Where: "metadata at https://a.test/.well-known/openid-configuration"},
			"oauth.wrong_issuer_metadata", "at https://a.test names another issuer in its metadata (https://b.test)"},
		{&oauth.WrongIssuerError{Want: "https://a.test", Got: "https://b.test", Where: "authorization response"}, "oauth.wrong_issuer", "sign-in answer"},
	}
	for _, tt := range tests {
		m := SignInMessage(tt.err)
		for _, lang := range []string{"en", "zh-Hans", "zh-Hant"} {
			if text := m.In(lang); strings.Contains(text, "(:") || strings.Contains(text, "（：") || strings.Contains(text, "{") {
				t.Errorf("%s in %s: %q", m.Code, lang, text)
			}
		}
		if m.Code != tt.code || !strings.Contains(m.String(), tt.contains) {
			t.Errorf("%v: %s %q, want %s with %q", tt.err, m.Code, m.String(), tt.code, tt.contains)
		}
	}
}
