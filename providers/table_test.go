package providers

import (
	"strings"
	"testing"

	"mailsetup/mailcfg"
)

func TestBuiltinDataValid(t *testing.T) {
	ps, err := Load(builtinData)
	if err != nil {
		t.Fatalf("embedded providers.json: %v", err)
	}
	if len(ps) < 45 {
		t.Errorf("table has %d providers, want at least 45", len(ps))
	}
	if got := len(All()); got != len(ps) {
		t.Errorf("All() returned %d providers, Load %d", got, len(ps))
	}
}

// Every entry was checked in the 2026 review (November, or December for
// the entries re-checked against the OAuth2 and NetEase facts).
func TestEveryProviderIsDated(t *testing.T) {
	for _, p := range All() {
		if p.Checked != "2026-11" && p.Checked != "2026-12" {
			t.Errorf("%s: checked = %q, want 2026-11 or 2026-12", p.ID, p.Checked)
		}
	}
}

func TestAllReturnsACopy(t *testing.T) {
	a := All()
	first := a[0]
	a[0] = nil
	if All()[0] != first {
		t.Fatal("changing the slice returned by All changed the table")
	}
}

func TestByID(t *testing.T) {
	tests := []struct {
		id   string
		want string // "" = nil
	}{
		{"qq", "qq"},
		{"exmail", "exmail"},
		{"proton", "proton"},
		{"QQ", ""},
		{"", ""},
		{"nonexistent", ""},
	}
	for _, tt := range tests {
		if got := idOf(ByID(tt.id)); got != tt.want {
			t.Errorf("ByID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// requiredDomains are the domains the table must know, with their entry.
var requiredDomains = map[string]string{
	"qq.com": "qq", "foxmail.com": "qq", "vip.qq.com": "qq",
	"163.com": "netease-163", "126.com": "netease-126", "yeah.net": "netease-yeah",
	"188.com": "netease-188", "vip.163.com": "netease-vip163", "vip.126.com": "netease-vip126",
	"139.com":  "mail139",
	"sina.com": "sina", "sina.cn": "sina", "vip.sina.com": "sina-vip",
	"sohu.com": "sohu", "vip.sohu.com": "sohu-vip",
	"tom.com":      "tom",
	"aliyun.com":   "aliyun",
	"21cn.com":     "21cn",
	"263.net":      "263",
	"china.com":    "china-com",
	"yahoo.com.cn": "yahoo-cn", "yahoo.cn": "yahoo-cn",
	"yahoo.com": "yahoo", "yahoo.com.tw": "yahoo", "yahoo.com.hk": "yahoo",
	"yahoo.co.jp": "yahoo-jp",
	"gmail.com":   "gmail", "googlemail.com": "gmail",
	"outlook.com": "outlook", "hotmail.com": "outlook", "live.com": "outlook", "msn.com": "outlook",
	"icloud.com": "icloud", "me.com": "icloud", "mac.com": "icloud",
	"yandex.ru": "yandex", "yandex.com": "yandex",
	"mail.ru": "mailru",
	"gmx.net": "gmx", "gmx.de": "gmx", "gmx.com": "gmx-com",
	"web.de":   "webde",
	"zoho.com": "zoho", "zoho.eu": "zoho-eu",
	"fastmail.com": "fastmail",
	"aol.com":      "aol",
	"proton.me":    "proton", "protonmail.com": "proton",
	"tuta.com": "tuta", "tutanota.com": "tuta",
	"t-online.de":  "t-online",
	"posteo.de":    "posteo",
	"mailbox.org":  "mailbox-org",
	"seznam.cz":    "seznam",
	"libero.it":    "libero",
	"orange.fr":    "orange-fr",
	"free.fr":      "free-fr",
	"laposte.net":  "laposte",
	"comcast.net":  "comcast",
	"att.net":      "att",
	"naver.com":    "naver",
	"daum.net":     "daum",
	"rambler.ru":   "rambler",
	"ukr.net":      "ukrnet",
	"interia.pl":   "interia",
	"o2.pl":        "o2-pl",
	"wp.pl":        "wp-pl",
	"onet.pl":      "onet",
	"hushmail.com": "hushmail",
}

func TestRequiredDomainsCovered(t *testing.T) {
	for domain, want := range requiredDomains {
		if got := idOf(ByDomain(domain)); got != want {
			t.Errorf("ByDomain(%q) = %q, want %q", domain, got, want)
		}
	}
}

// requiredHosted are the hosted providers the table must hold.
var requiredHosted = []string{"exmail", "netease-qiye", "netease-ym", "aliyun-qiye", "microsoft365",
	"google-workspace", "yandex360", "zoho-workplace"}

func TestRequiredHostedProviders(t *testing.T) {
	for _, id := range requiredHosted {
		p := ByID(id)
		if p == nil {
			t.Errorf("no provider %q", id)
			continue
		}
		if !p.Hosted {
			t.Errorf("%s: Hosted = false, want true", id)
		}
	}
}

func TestByDomain(t *testing.T) {
	tests := []struct {
		domain string
		want   string
	}{
		{"qq.com", "qq"},
		{"QQ.COM", "qq"},
		{"qq.com.", "qq"},
		{"  Foxmail.Com.  ", "qq"},
		{"163.com", "netease-163"},
		{"mail.qq.com", ""}, // exact domains only, no parent matching
		{"com", ""},
		{"", ""},
		{".", ""},
		{"例子.测试", ""},
	}
	for _, tt := range tests {
		if got := idOf(ByDomain(tt.domain)); got != tt.want {
			t.Errorf("ByDomain(%q) = %q, want %q", tt.domain, got, tt.want)
		}
	}
}

func TestNormalizeHost(t *testing.T) {
	tests := []struct{ in, want string }{
		{"QQ.com.", "qq.com"},
		{" mx1.QQ.com ", "mx1.qq.com"},
		{"Bücher.Example", "xn--bcher-kva.example"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalizeHost(tt.in); got != tt.want {
			t.Errorf("normalizeHost(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestByMX(t *testing.T) {
	tests := []struct {
		host string
		want string
	}{
		// Tencent: business and consumer MX hosts share qq.com.
		{"mxbiz1.qq.com", "exmail"},
		{"mxbiz2.qq.com.", "exmail"},
		{"mx1.qq.com", "qq"},
		{"MX2.QQ.COM", "qq"},
		{"mx3.qq.com", "qq"},
		{"mx4.qq.com", ""},
		// Google
		{"aspmx.l.google.com", "google-workspace"},
		{"alt1.aspmx.l.google.com", "google-workspace"},
		{"alt4.aspmx.l.google.com", "google-workspace"},
		{"aspmx2.googlemail.com", "google-workspace"},
		{"aspmx5.googlemail.com", "google-workspace"},
		{"smtp.google.com", "google-workspace"},
		{"gmail-smtp-in.l.google.com", "gmail"},
		// Microsoft
		{"contoso-com.mail.protection.outlook.com", "microsoft365"},
		{"contoso-com.o-v1.mx.microsoft", "microsoft365"},
		{"hotmail-com.olc.protection.outlook.com", "outlook"},
		{"mail.protection.outlook.com", ""}, // a wildcard needs a label before its suffix
		{"contoso-com.mail.protection.partner.outlook.cn", "microsoft365-21vianet"},
		// NetEase
		{"qiye163mx01.mxmail.netease.com", "netease-qiye"},
		{"qiye163mx02.mxmail.netease.com", "netease-qiye"},
		{"163mx01.mxmail.netease.com", "netease-163"},
		{"126mx01.mxmail.netease.com", "netease-126"},
		{"mx.ym.163.com", "netease-ym"},
		// Aliyun
		{"mx1.qiye.aliyun.com", "aliyun-qiye"},
		{"mx3.qiye.aliyun.com", "aliyun-qiye"},
		{"mxn.mxhichina.com", "aliyun-qiye"},
		{"mxw.mxhichina.com", "aliyun-qiye"},
		// Others
		{"mx.zoho.com", "zoho-workplace"},
		{"mx2.zoho.com", "zoho-workplace"},
		{"mx3.zoho.com", "zoho-workplace"},
		{"mx.zoho.eu", "zoho-workplace-eu"},
		{"mx.zoho.in", "zoho-workplace-in"},
		{"mx.yandex.net", "yandex360"},
		{"in1-smtp.messagingengine.com", "fastmail"},
		{"in2-smtp.messagingengine.com", "fastmail"},
		{"mx01.mail.icloud.com", "icloud"},
		{"mx02.mail.icloud.com", "icloud"},
		{"mx1.mail.139.com", "mail139"},
		{"mx3.mail.139.com", "mail139"},
		{"mta7.am0.yahoodns.net", "yahoo"},
		{"mail.protonmail.ch", "proton"},
		{"mx.example.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := idOf(ByMX(tt.host)); got != tt.want {
			t.Errorf("ByMX(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
}

// TestByMXMostSpecific checks pattern precedence on a table built for it:
// exact beats wildcard, and a longer wildcard suffix beats a shorter one.
func TestByMXMostSpecific(t *testing.T) {
	data := []byte(`{"schema": 1, "providers": [
		` + testEntry("broad", `"mx": ["*.example.net"]`) + `,
		` + testEntry("narrow", `"mx": ["*.mx.example.net"]`) + `,
		` + testEntry("exact", `"mx": ["special.mx.example.net", "example.net"]`) + `
	]}`)
	tab, err := newTable(data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want string
	}{
		{"special.mx.example.net", "exact"},
		{"other.mx.example.net", "narrow"},
		{"a.b.mx.example.net", "narrow"},
		{"mx.example.net", "broad"}, // *.mx.example.net needs a label before it
		{"x.example.net", "broad"},
		{"example.net", "exact"},
		{"net", ""},
		{"example.org", ""},
	}
	for _, tt := range tests {
		if got := idOf(tab.lookupMX(tt.host)); got != tt.want {
			t.Errorf("lookupMX(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestStaleByHost(t *testing.T) {
	tests := []struct {
		host     string
		provider string // "" = not stale
		reason   string // a word the reason must contain
	}{
		{"pop.mail.yahoo.com.cn", "yahoo-cn", "2013-08-19"},
		{"SMTP.mail.yahoo.com.cn.", "yahoo-cn", "closed"},
		{"pop3.139.com", "mail139", "pop.139.com"},
		{"pop.tom.com.cn", "tom", "pop.tom.com"},
		{"smtp.tom.com.cn", "tom", "smtp.tom.com"},
		{"pop3.sina.com.cn", "sina", "pop.sina.com"},
		{"smtp.sina.com.cn", "sina", "smtp.sina.com"},
		{"pop3.live.com", "outlook", "outlook.office365.com"},
		{"pop.qq.com", "", ""},
		{"pop.139.com", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		p, s, ok := StaleByHost(tt.host)
		if ok != (tt.provider != "") || idOf(p) != tt.provider {
			t.Errorf("StaleByHost(%q) = %q, %v; want %q", tt.host, idOf(p), ok, tt.provider)
			continue
		}
		if ok && !contains(s.Reason, tt.reason) {
			t.Errorf("StaleByHost(%q).Reason = %q, want it to mention %q", tt.host, s.Reason, tt.reason)
		}
	}
}

func TestQuirkNotes(t *testing.T) {
	tests := []struct {
		id, lang, want string
	}{
		{"qq", "zh-Hans", "授权码"},
		{"qq", "zh-Hans", "POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV服务"},
		{"qq", "en", "Settings → Account"},
		{"qq", "zh-Hant", "授權碼"},
		{"netease-163", "zh-Hans", "客户端授权密码"},
		{"netease-163", "en", "Unsafe Login"},
		{"netease-126", "en", "RFC 2971"},
		{"gmail", "en", "app password"},
		{"yahoo", "en", "app password"},
		{"aol", "en", "app password"},
		{"icloud", "en", "app-specific password"},
		{"outlook", "en", "535 5.7.139"},
		{"microsoft365", "en", "535 5.7.139"},
		{"microsoft365", "en", "end of December 2026"},
		{"netease-163", "en", "at most two authorization passwords"},
		{"netease-126", "zh-Hans", "最多只能保留两个授权密码"},
		{"netease-yeah", "zh-Hant", "最多只能保留兩個授權密碼"},
		{"qq", "en", "2022-11-01"},
		{"outlook", "en", "OAuth2"},
		{"aol", "en", "OAuth2"},
		{"proton", "en", "1143"},
		{"proton", "en", "1025"},
		{"tuta", "en", "no IMAP"},
		{"yahoo-cn", "en", "2013-08-19"},
	}
	for _, tt := range tests {
		p := ByID(tt.id)
		if p == nil {
			t.Errorf("no provider %q", tt.id)
			continue
		}
		if got := p.Note(tt.lang); !contains(got, tt.want) {
			t.Errorf("%s note (%s) = %q, want it to mention %q", tt.id, tt.lang, got, tt.want)
		}
	}
}

func TestAuthRequirements(t *testing.T) {
	tests := []struct {
		id   string
		auth string
	}{
		{"qq", AuthCode},
		{"netease-163", AuthIMAPID},
		{"gmail", AuthAppPassword},
		{"yahoo", AuthAppPassword},
		{"icloud", AuthAppPassword},
		{"aol", AuthAppPassword},
		{"outlook", AuthOAuth2Only},
		{"microsoft365", AuthOAuth2Only},
		{"proton", AuthBridgeOnly},
	}
	for _, tt := range tests {
		if p := ByID(tt.id); p == nil || !p.HasAuth(tt.auth) {
			t.Errorf("%s lacks %s", tt.id, tt.auth)
		}
	}
}

func TestProtonBridge(t *testing.T) {
	p := ByID("proton")
	want := []Server{
		{Protocol: mailcfg.IMAP, Host: "127.0.0.1", Port: 1143, Security: mailcfg.STARTTLS},
		{Protocol: mailcfg.SMTP, Host: "127.0.0.1", Port: 1025, Security: mailcfg.STARTTLS},
	}
	got := append(append([]Server(nil), p.Incoming...), p.Outgoing...)
	if len(got) != len(want) {
		t.Fatalf("proton servers = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("proton server %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestUnusableProviders(t *testing.T) {
	for id, want := range map[string]string{"tuta": ServiceNoClientAccess, "yahoo-cn": ServiceClosed} {
		p := ByID(id)
		if p == nil || p.Service != want || p.Usable() {
			t.Errorf("%s: want service %q and not usable, got %+v", id, want, p)
		}
	}
	if !ByID("qq").Usable() {
		t.Error("qq should be usable")
	}
}

func idOf(p *Provider) string {
	if p == nil {
		return ""
	}
	return p.ID
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// The login form can differ per server: iCloud's IMAP takes the local
// part, its SMTP the full address.
func TestUsernamePerServer(t *testing.T) {
	addr := mailcfg.Address{Local: "alice", Domain: "icloud.com", ASCII: "icloud.com"}
	p := ByID("icloud")
	if p == nil {
		t.Fatal("no icloud")
	}
	if got := p.UsernameForServer(p.Incoming[0], addr); got != "alice" {
		t.Errorf("IMAP user %q, want alice", got)
	}
	if got := p.UsernameForServer(p.Outgoing[0], addr); got != "alice@icloud.com" {
		t.Errorf("SMTP user %q, want alice@icloud.com", got)
	}
	if got := p.UsernameForProtocol(mailcfg.SMTP, addr); got != "alice@icloud.com" {
		t.Errorf("SMTP by protocol %q", got)
	}
	if got := p.UsernameForProtocol(mailcfg.POP3, addr); got != "alice" {
		t.Errorf("no POP3 server: %q, want the provider's form", got)
	}
	if q := ByID("qq"); q.UsernameForServer(q.Incoming[0], addr) != "alice@icloud.com" {
		t.Error("a server without its own form must inherit the provider's")
	}
}

// A name is a name, in every language: not a sentence pasted into the
// wrong field (as once happened to Microsoft 365's Chinese names).
func TestNamesAreNames(t *testing.T) {
	for _, p := range All() {
		for lang, name := range p.Name {
			// Domain names in a name are fine ("Yahoo (ymail.com)"); a
			// sentence's stops and colons are not.
			if n := len([]rune(name)); n == 0 || n > 60 || strings.ContainsAny(name, "。：；;") || strings.Contains(name, ". ") {
				t.Errorf("%s: name in %s is not a name: %q", p.ID, lang, name)
			}
		}
	}
}
