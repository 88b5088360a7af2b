package hints

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

func TestCatalogueLoads(t *testing.T) {
	if _, err := loadCatalogue(catalogueJSON); err != nil {
		t.Fatal(err)
	}
	if len(Catalogue()) < 50 {
		t.Fatalf("only %d entries", len(Catalogue()))
	}
}

func TestCatalogueEntries(t *testing.T) {
	for _, e := range Catalogue() {
		var want []string
		for _, lang := range l10n.Languages {
			text := e.Text[lang]
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: no %s text", e.ID, lang)
				continue
			}
			if n := len([]rune(text)); n > 420 {
				t.Errorf("%s/%s: %d characters; a hint is one or two sentences", e.ID, lang, n)
			}
			got := placeholdersIn(text)
			if want == nil {
				want = got
			} else if !slices.Equal(got, want) {
				t.Errorf("%s/%s: placeholders %v, en has %v", e.ID, lang, got, want)
			}
		}
		if e.URL != "" && !strings.HasPrefix(e.URL, "https://") {
			t.Errorf("%s: URL %q is not https", e.ID, e.URL)
		}
	}
}

// Catalogue returns a copy: changing it does not change later answers.
func TestCatalogueIsACopy(t *testing.T) {
	c := Catalogue()
	c[0].Text["en"] = "changed"
	if Catalogue()[0].Text["en"] == "changed" {
		t.Fatal("Catalogue exposes its internal maps")
	}
	e, ok := Lookup(c[0].ID)
	if !ok || e.Text["en"] == "changed" {
		t.Fatal("Lookup exposes its internal maps")
	}
}

// Each script keeps to itself: a Simplified character in a Traditional text
// (or the reverse) is the commonest slip in hand-written translations.
func TestCatalogueScripts(t *testing.T) {
	const simplifiedOnly = "这为说时们设证码务开启网络连应请邮关过还没发选项数误让认账号软动态签权"
	const traditionalOnly = "這為說時們設證碼務開啟網絡連應請郵關過還沒發選項數誤讓認賬號軟動態簽權戶體"
	for _, e := range Catalogue() {
		if r, ok := findAny(e.Text["zh-Hant"], simplifiedOnly); ok {
			t.Errorf("%s/zh-Hant holds the Simplified character %q", e.ID, r)
		}
		if r, ok := findAny(e.Text["zh-Hans"], traditionalOnly); ok {
			t.Errorf("%s/zh-Hans holds the Traditional character %q", e.ID, r)
		}
		if !hasHan(e.Text["zh-Hans"]) || !hasHan(e.Text["zh-Hant"]) {
			t.Errorf("%s: a Chinese text has no Chinese", e.ID)
		}
	}
}

func findAny(s, set string) (rune, bool) {
	for _, r := range s {
		if strings.ContainsRune(set, r) {
			return r, true
		}
	}
	return 0, false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Every rule names an entry, and every entry is reachable from a rule, a
// fallback or a provider note: no dead text, no missing one.
func TestCatalogueCoversRules(t *testing.T) {
	reachable := map[string]bool{idNoSettings: true, idUnknown: true}
	for _, r := range rules {
		if reachable[r.id] {
			t.Errorf("rule %s listed twice", r.id)
		}
		reachable[r.id] = true
		if _, ok := catalogue.byID[r.id]; !ok {
			t.Errorf("rule %s has no catalogue entry", r.id)
		}
	}
	for _, id := range []string{"note_enable_in_web", "note_imap_id", "note_oauth2_only", "note_bridge_only", "note_m365"} {
		reachable[id] = true
	}
	for _, e := range Catalogue() {
		if !reachable[e.ID] {
			t.Errorf("entry %s is never used", e.ID)
		}
	}
}

// Rendering any entry, with no facts or with every fact, leaves no
// placeholder behind, in any language.
func TestCatalogueRendersFilled(t *testing.T) {
	full := Facts{Status: mailcfg.StatusError, Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 993,
		ProviderID: "qq", CertSubject: "CN=imap.example.com", CertIssuer: "Example CA", CertNotAfter: "2030-01-02T03:04:05Z",
		CertNames: "imap.example.com", CertSHA256: "AA:BB", StaleHost: "pop3.example.com", StaleReason: "renamed in 2019"}
	for _, e := range Catalogue() {
		for _, lang := range l10n.Languages {
			for _, f := range []Facts{{}, full} {
				h, ok := Render(e.ID, f, lang)
				if !ok || strings.ContainsAny(h.Text, "{}") || strings.TrimSpace(h.Text) == "" {
					t.Errorf("%s/%s: %q", e.ID, lang, h.Text)
				}
			}
		}
	}
}

func TestLoadCatalogueRejects(t *testing.T) {
	entry := func(id, sev, en, hans, hant string) string {
		return `{"id":"` + id + `","severity":"` + sev + `","text":{"en":"` + en + `","zh-Hans":"` + hans + `","zh-Hant":"` + hant + `"}}`
	}
	good := entry("a", "error", "x {host}", "甲 {host}", "乙 {host}")
	cases := map[string]string{
		"not json":            `{`,
		"no id":               `[` + entry("", "error", "x", "y", "z") + `]`,
		"duplicate":           `[` + good + `,` + good + `]`,
		"bad severity":        `[` + entry("a", "fatal", "x", "y", "z") + `]`,
		"missing language":    `[{"id":"a","severity":"info","text":{"en":"x","zh-Hans":"y"}}]`,
		"placeholder differs": `[` + entry("a", "error", "x {host}", "y {server}", "z {host}") + `]`,
		"placeholder missing": `[` + entry("a", "error", "x {host}", "y", "z {host}") + `]`,
		"unknown placeholder": `[` + entry("a", "error", "x {hots}", "y {hots}", "z {hots}") + `]`,
	}
	for name, data := range cases {
		_, err := loadCatalogue([]byte(data))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		var ce *CatalogueError
		if name != "not json" && !errors.As(err, &ce) {
			t.Errorf("%s: error %v is not a *CatalogueError", name, err)
		}
	}
	if _, err := loadCatalogue([]byte(`[` + good + `]`)); err != nil {
		t.Errorf("good entry rejected: %v", err)
	}
}
