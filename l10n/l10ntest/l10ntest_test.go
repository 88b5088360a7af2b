package l10ntest

import "testing"

func TestEnglishIn(t *testing.T) {
	cases := map[string]bool{ // output → has English left
		"  收信  失败  mail.example.test:993  服务器拒绝了登录，它回复：“NO [AUTHENTICATIONFAILED] Authentication failed.”": false,
		"  发信  SMTP  smtp.qq.com:465  TLS  可用  30ms  内置表、猜测":                                               false,
		"问候语：「220 mail.example.test ESMTP ready」":                                                          false,
		"SHA-256 指纹：0f43c54eca52238082382366ec9e299cc87fdb910bde28603c166c7e83c1208f":                      false,
		"TLS1.3，TLS_AES_128_GCM_SHA256，证书验证通过":                                                             false,
		"用户名 alice@example.test，USER/PASS，0 封邮件":                                                           false,
		"请使用 --password-stdin":                                 false,
		"  收信  POP3  mail.example.test:995  TLS  guess  连接被拒绝": true,
		"证书 expired on 2026-11-07":                             true,
		"服务器功能：PIPELINING SIZE":                                true, // a server's words, unquoted
	}
	for text, want := range cases {
		if got := len(EnglishIn(text)) > 0; got != want {
			t.Errorf("EnglishIn(%q) = %v, want English %v", text, EnglishIn(text), want)
		}
	}
}
