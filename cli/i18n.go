package cli

// words are the command line's own labels in each language; hints and
// provider notes come translated from their own packages.
var words = map[string]map[string]string{
	"en": {
		"provider": "Provider", "unknown": "unknown", "recommended": "Recommended settings", "candidates": "Servers tried",
		"incoming": "Incoming", "outgoing": "Outgoing", "none-found": "nothing usable found", "notes": "Notes",
		"user": "user", "insecure": "WARNING: no encrypted server answers; the recommendation sends your password in plain text.",
		"login": "Login test", "ok": "OK", "failed": "FAILED", "messages": "messages", "elapsed": "took",
		"untrusted": "untrusted source", "send": "Test message",
		"hidden-guesses": "(and %d guessed host names that do not exist; -v lists them)",
	},
	"zh-Hans": {
		"provider": "服务商", "unknown": "未知", "recommended": "推荐设置", "candidates": "已测试的服务器",
		"incoming": "收信", "outgoing": "发信", "none-found": "未找到可用的服务器", "notes": "提示",
		"user": "用户名", "insecure": "警告：没有加密的服务器应答；推荐的设置会以明文发送密码。",
		"login": "登录测试", "ok": "成功", "failed": "失败", "messages": "封邮件", "elapsed": "用时",
		"untrusted": "来源不可信", "send": "测试邮件",
		"hidden-guesses": "（另有 %d 个猜测的主机名不存在；加 -v 可列出）",
	},
	"zh-Hant": {
		"provider": "服務商", "unknown": "未知", "recommended": "建議設定", "candidates": "已測試的伺服器",
		"incoming": "收信", "outgoing": "寄信", "none-found": "找不到可用的伺服器", "notes": "提示",
		"user": "使用者名稱", "insecure": "警告：沒有加密的伺服器回應；建議的設定會以明文傳送密碼。",
		"login": "登入測試", "ok": "成功", "failed": "失敗", "messages": "封郵件", "elapsed": "耗時",
		"untrusted": "來源不可信", "send": "測試郵件",
		"hidden-guesses": "（另有 %d 個猜測的主機名稱不存在；加 -v 可列出）",
	},
}

func word(lang, key string) string {
	if w, ok := words[lang][key]; ok {
		return w
	}
	return words["en"][key]
}
