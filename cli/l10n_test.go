package cli

import (
	"strings"
	"testing"

	"mailsetup/internal/testbed"
	"mailsetup/l10n/l10ntest"
)

// TestChineseOutput runs failing checks and diagnoses against the test bed
// in both Chinese scripts: what a person reads holds no English outside the
// server's quoted words, host names, addresses and technical terms.
func TestChineseOutput(t *testing.T) {
	t.Parallel()
	providerLookAlikes(t)
	domains := loginDomains(t)
	tests := []struct {
		name     string
		password string
		args     []string
		wantCode int
		want     map[string][]string // lang → phrases the output must hold
	}{
		{"wrong password", wrongPassword, []string{"check", domains["imap/tls"].email, "--protocol", "imap"}, ExitAuthFailed,
			map[string][]string{"zh-Hans": {"服务器拒绝了登录", "Authentication failed"}, "zh-Hant": {"伺服器拒絕了登入"}}},
		{"plain text only", testbed.DefaultPassword, []string{"check", scenarios.Plain.Email}, ExitFailed,
			map[string][]string{"zh-Hans": {"不加密", "未加密", "密码没有发送"}, "zh-Hant": {"不加密", "密碼沒有送出"}}},
		{"expired certificate", testbed.DefaultPassword, []string{"check", scenarios.Expired.Email}, ExitFailed,
			map[string][]string{"zh-Hans": {"证书有问题", "过期"}, "zh-Hant": {"過期"}}},
		{"untrusted source", scenarios.SRVOut.Password, []string{"check", scenarios.SRVOut.Email}, ExitFailed,
			map[string][]string{"zh-Hans": {"来源不可信", "SRV 记录"}, "zh-Hant": {"來源不可信"}}},
		{"no such domain", testbed.DefaultPassword, []string{"check", scenarios.NXDomain.Email}, ExitFailed,
			map[string][]string{"zh-Hans": {"未找到可用的服务器"}, "zh-Hant": {"找不到可用的伺服器"}}},
		{"provider reply", "abcdefghijklmnop", []string{"check", "alice@qq.com"}, ExitAuthFailed,
			map[string][]string{"zh-Hans": {"内置表", "授权码"}, "zh-Hant": {"內建表", "授權碼"}}},
		{"tarpit", testbed.DefaultPassword, []string{"check", scenarios.Tarpit.Email}, -1, nil},
		{"send test", testbed.DefaultPassword, []string{"check", domains["pop3/tls"].email, "--send-test"}, ExitOK,
			map[string][]string{"zh-Hans": {"测试邮件", "后收到"}, "zh-Hant": {"測試郵件", "後收到"}}},
		{"diagnose a certificate", "", []string{"diagnose", "mail.expired.test:995"}, ExitFailed,
			map[string][]string{"zh-Hans": {"证书主体", "这一步失败"}, "zh-Hant": {"憑證主體", "這個步驟失敗"}}},
		{"diagnose a login", wrongPassword, []string{"diagnose", "mail.starttls.test:587", "--user", scenarios.STARTTLS.Email},
			ExitAuthFailed, map[string][]string{"zh-Hans": {"问候语", "服务器功能"}, "zh-Hant": {"問候語"}}},
		{"diagnose no STARTTLS", "", []string{"diagnose", "mail.plain.test:143"}, ExitFailed,
			map[string][]string{"zh-Hans": {"服务器不提供 STARTTLS"}}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"zh-Hans", "zh-Hant"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				t.Parallel()
				args := append(tt.args, "--lang", lang)
				if tt.password != "" {
					args = append(args, "--password-stdin")
				}
				code, out, stderr := run(t, tt.password+"\n", bedArgs(args...)...)
				if tt.wantCode >= 0 && code != tt.wantCode {
					t.Errorf("exit %d, want %d\n%s\n%s", code, tt.wantCode, out, stderr)
				}
				for _, p := range tt.want[lang] {
					if !strings.Contains(out, p) {
						t.Errorf("output lacks %q:\n%s", p, out)
					}
				}
				assertChinese(t, out)
			})
		}
	}
}

// TestChineseErrors: usage and its errors speak the language asked for.
func TestChineseErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "用法："},
		{[]string{"check", "not-an-address"}, "不是有效的邮箱地址"},
		{[]string{"discover", "a@b.example", "--nope"}, "没有这个参数"},
		{[]string{"discover", "a@b.example", "--timeout", "soon"}, "的值“soon”无效"},
		{[]string{"diagnose", "mail.example.com:1234"}, "无法判断协议"},
		{[]string{"diagnose", "mail.example.com", "--security", "ssl3"}, "未知的加密方式"},
		{[]string{"discover", "a@b.example", "--trust", "abc"}, "不是 SHA-256 指纹"},
		{[]string{"discover", "a@b.example", "--dns", "not a server"}, "不是 DNS 服务器地址"},
		{[]string{"export", "a@b.example"}, "--format 必须是以下之一"},
		{[]string{"export", "a@b.example", "--format", "msmtp", "--from", "/nonexistent/report.json"}, "不存在"},
		{[]string{"providers", "x"}, "多余的参数"},
		{[]string{"frobnicate"}, "未知命令"},
	} {
		args := append(tt.args, "--lang", "zh-Hans")
		_, stdout, stderr := run(t, "", args...)
		if !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("%v: output lacks %q:\n%s%s", tt.args, tt.want, stdout, stderr)
		}
		assertChinese(t, stdout+stderr)
	}
}

// assertChinese fails on English words in out outside quotes, host names,
// addresses and technical terms.
func assertChinese(t *testing.T, out string) {
	t.Helper()
	var english []string
	for _, line := range strings.Split(out, "\n") {
		// Go's names of flag types in the flag list ("-timeout duration").
		if f := strings.Fields(line); len(f) == 2 && strings.HasPrefix(f[0], "-") {
			continue
		}
		if words := l10ntest.EnglishIn(line); len(words) > 0 {
			english = append(english, strings.Join(words, " ")+"  ← "+strings.TrimSpace(line))
		}
	}
	if len(english) > 0 {
		t.Errorf("English left in the Chinese output:\n%s\n\nthe output:\n%s", strings.Join(english, "\n"), out)
	}
}
