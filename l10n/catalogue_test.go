package l10n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"mailsetup/l10n/l10ntest"
)

// exempt are the Latin words a catalogue text keeps on purpose beyond the
// technical terms: the syntax of a client's configuration file it quotes,
// or a product's full name.
var exempt = map[string][]string{
	"export.fetchmail_password": {"login", "password"}, // ~/.netrc syntax
	"export.prf_classic":        {"for"},               // "Outlook for Windows"
	"export.prf_leave":          {"LeaveOnServer"},
	"export.mutt_save":          {"source"}, // mutt's command
	"export.mutt_pop":           {"fetch-mail", "G"},
	// NetEase's refusal, quoted as the server says it.
	"export.id.apple":     {"Unsafe", "Login"},
	"export.id.outlook":   {"Unsafe", "Login"},
	"export.id.foxmail":   {"Unsafe", "Login"},
	"export.id.mutt":      {"Unsafe", "Login", "NeoMutt", "set", "imap_send_id", "yes"},
	"export.id.fetchmail": {"Unsafe", "Login"},
	"export.id.getmail":   {"Unsafe", "Login"},
	"export.id.aerc":      {"Unsafe", "Login"},
	// OAuth2 exports: client settings, helper programs and products by
	// their names.
	"export.oauth.aerc":         {"source-cred-cmd", "outgoing-cred-cmd"},
	"export.oauth.fetchmail":    {"openSUSE", "auth", "oauthbearer"},
	"export.oauth.getmail":      {"getmail-gmail-xoauth-tokens", "getmailrc-examples"},
	"export.oauth.helper":       {"oama"},
	"export.oauth.mutt_pop":     {"NeoMutt"},
	"export.oauth.passwordeval": {"auth", "passwordeval"},
	"export.oauth.tb_unknown":   {"Fastmail", "Comcast"},
	// An option's values, quoted, as the user types them.
	"spec.security":      {"none"},
	"spec.need_security": {"none"},
	"cli.bad_security":   {"none"},
	"cli.flag.security":  {"none"},
}

// untranslated returns the Latin words of code's Chinese text that are
// neither technical terms nor exempt: English left behind.
func untranslated(code, text string) []string {
	var out []string
	for _, w := range l10ntest.Untranslated(text) {
		if !slices.Contains(exempt[code], w) {
			out = append(out, w)
		}
	}
	return out
}

var latinWordRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9-]*`)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Every code renders in both Chinese scripts without English left in it.
func TestCatalogueTranslated(t *testing.T) {
	if len(Codes()) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, code := range Codes() {
		// Names and technical terms read the same in every language;
		// English words in the English text must be translated.
		words := len(untranslated(code, catalogue[code][English])) > 0
		for _, lang := range []string{SimplifiedChinese, TraditionalChinese} {
			text := catalogue[code][lang]
			if words := untranslated(code, text); len(words) > 0 {
				t.Errorf("%s in %s keeps English %q: %s", code, lang, words, text)
			}
			if words && !hasHan(text) && len(latinWordRE.FindAllString(stripped(text), -1)) > 1 {
				t.Errorf("%s in %s has no Chinese at all: %q", code, lang, text)
			}
		}
		if en := catalogue[code][English]; words && catalogue[code][SimplifiedChinese] == en {
			t.Errorf("%s: the Chinese text is the English one", code)
		}
	}
}

// stripped is text without its placeholders.
func stripped(text string) string { return placeholderRE.ReplaceAllString(text, " ") }

func TestUntranslatedDetector(t *testing.T) {
	cases := map[string]bool{ // text → has English left
		"连接被拒绝：端口 {port} 上没有服务在监听":  false,
		"服务器回复：“{reply}”":           false,
		"证书 expired on {date}":      true,
		"请使用 --trust {sha256} 再运行":  false,
		"用 STARTTLS 加密后再发送密码":       false,
		"no usable incoming server": true,
		"打开 `~/.msmtprc` 文件":        false,
	}
	for text, want := range cases {
		if got := len(untranslated("", text)) > 0; got != want {
			t.Errorf("untranslated(%q) = %v, want %v", text, untranslated("", text), want)
		}
	}
}

func TestRender(t *testing.T) {
	c, err := load([]byte(`{
		"t.refused": {"en": "connection refused on port {port}", "zh-Hans": "端口 {port} 拒绝连接", "zh-Hant": "連接埠 {port} 拒絕連線"},
		"t.outer": {"en": "no login: {cause}", "zh-Hans": "无法登录：{cause}", "zh-Hant": "無法登入：{cause}"}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	saved := catalogue
	catalogue = c
	defer func() { catalogue = saved }()
	m := M("t.outer").Because(M("t.refused", "port", "995"))
	if got := M("t.refused").In("en"); got != "connection refused on port " {
		t.Errorf("a missing argument renders %q, want nothing in its place", got)
	}
	for lang, want := range map[string]string{
		"en": "no login: connection refused on port 995", "zh-Hans": "无法登录：端口 995 拒绝连接",
		"zh_TW.UTF-8": "無法登入：連接埠 995 拒絕連線", "fr": "no login: connection refused on port 995",
	} {
		if got := m.In(lang); got != want {
			t.Errorf("In(%s) = %q, want %q", lang, got, want)
		}
	}
	if got := M("t.unknown", "host", "a\nb").String(); got != "t.unknown (host=a b)" {
		t.Errorf("unknown code: %q", got)
	}
	if got := M("t.refused", "port", strings.Repeat("9", 400)).String(); len([]rune(got)) > 360 {
		t.Errorf("an argument is not bounded: %d runes", len([]rune(got)))
	}
}

func TestLoadRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"missing language":     `{"a": {"en": "x", "zh-Hans": "甲"}}`,
		"placeholder mismatch": `{"a": {"en": "{host}", "zh-Hans": "甲", "zh-Hant": "甲"}}`,
		"extra language":       `{"a": {"en": "x", "zh-Hans": "甲", "zh-Hant": "甲", "fr": "x"}}`,
	} {
		if _, err := load([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"": "en", "en_US.UTF-8": "en", "zh_CN.UTF-8": "zh-Hans", "zh-Hans": "zh-Hans", "zh_TW": "zh-Hant",
		"zh-HK": "zh-Hant", "zh-Hant-TW": "zh-Hant", "zh": "zh-Hans", "ZH_sg": "zh-Hans", "fr": "en",
		"en-US": "en", "de_DE.UTF-8": "en", "zhx": "en", "zh-CN": "zh-Hans", "zh-Hans-HK": "zh-Hans",
		"zh_TW.Big5": "zh-Hant", "zh-MO": "zh-Hant", "zh-hant-cn": "zh-Hant", " zh-Hant ": "zh-Hant", "zh@latin": "zh-Hans",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFromEnvironment(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "en"},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, "zh-Hans"},
		{map[string]string{"LANGUAGE": "zh_TW:en", "LANG": "en_US.UTF-8"}, "zh-Hant"},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "zh-Hans"},
		{map[string]string{"LC_ALL": "C", "LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LC_MESSAGES": "zh_HK.UTF-8"}, "zh-Hant"},
	}
	for _, tc := range cases {
		for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
			t.Setenv(v, tc.env[v])
		}
		if got := FromEnvironment(); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
}
