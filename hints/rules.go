package hints

import (
	"regexp"

	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// A rule recognises one failure class. Rules are ordered most specific
// first; a rule is skipped once a rule before it has claimed one of its
// classes, so a QQ-specific login hint hides the generic "wrong password",
// and "port 25 blocked" hides the generic timeout.
type rule struct {
	id      string
	classes []string
	final   bool // nothing else is worth saying once this matched
	when    func(v *view) bool
}

// Classes: at most one hint per class.
const (
	clsStale    = "stale"
	clsProvider = "provider"
	clsAuth     = "auth"
	clsClient   = "client"
	clsLimit    = "limit"
	clsMailbox  = "mailbox"
	clsSend     = "send"
	clsCert     = "cert"
	clsTLS      = "tls"
	clsNetwork  = "network"
	clsDNS      = "dns"
	clsProtocol = "protocol"
	clsDelay    = "delay"
)

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// Patterns over the lower-cased reply and error text.
var (
	reIPDeny          = re(`ipdeny`)
	reTenantSMTPAuth  = re(`smtpclientauthentication is disabled|smtp auth(entication)? is disabled for the (tenant|mailbox)`)
	reBasicAuthOff    = re(`basic auth(entication)? is disabled|basicauthblocked|basic authentication is not supported`)
	reGmailDisabled   = re(`not enabled for (imap|pop)|(imap|pop) access is disabled`)
	reWebLogin        = re(`web login required|log ?in via your web browser`)
	reGmailASP        = re(`application-specific password required|invalidsecondfactor`)
	reQQCatchAll      = re(`account is abnormal|login frequency limited`)
	reQQBusy          = re(`system is busy|系统繁忙`)
	reQQCode          = re(`authori[sz]ed code|weixin token|service\.mail\.qq\.com`)
	reUnsafeLogin     = re(`unsafe login`)
	reNeteaseCode     = re(`err\.login\.(passerr|reqcode)|user has no permission`)
	reServiceDisabled = re(`\b(pop3?|imap|smtp)[^\n]{0,40}\b(disabled|not (enabled|open|opened|activated)|turned off)|` +
		`please (open|enable|turn on|activate)[^\n]{0,40}(pop3?|imap|smtp)|` +
		`(pop3?|imap|smtp)[^\n]{0,20}(未开启|未开通|没有开启|未开放|已关闭|未開啟|未啟用|已關閉)|` +
		`(未开启|未开通|没有开启|请开启|請開啟|未開啟|未啟用)[^\n]{0,20}(pop3?|imap|smtp)`)
	reAuthCode    = re(`授权码|授權碼|authorization code|authori[sz]ed code|客户端授权密码`)
	reAppPassword = re(`app(lication)?[- ]?(specific )?password|应用专用密码|應用程式專用密碼`)
	reLocked      = re(`account (is |has been )?(locked|suspended|disabled|blocked|frozen|deactivated)|` +
		`user (is )?(suspended|locked|disabled)|err\.login\.userstatus|冻结|凍結|被锁|被鎖`)
	reTLSRequired = re(`must issue a starttls|secure connection is requi|(starttls|tls|ssl|encryption) (is )?required|` +
		`logindisabled|plaintext auth(entication)? (disallowed|not allowed)|privacyrequired`)
	reSMTPNoAuth = re(`(doesn't|does not) support auth|authentication not enabled|auth(entication)? not (available|supported|enabled)|` +
		`unrecognized authentication type|no auth(entication)? mechanism`)
	reTooMany = re(`too many (simultaneous |concurrent |open )?connections|maximum number of connections|连接数过多|連線數過多`)
	reInUse   = re(`mailbox (is )?(in use|locked|busy)|already (connected|in use)|another (session|client)`)
	reRate    = re(`too many (login|logins|auth|failed|bad|invalid|attempts|requests|messages|recipients|commands|errors)|` +
		`rate limit|ratelimit|frequen|频繁|頻繁|exceeded the (login|rate)`)
	reBusy   = re(`system busy|system is busy|server busy|server is busy|temporar|服务器繁忙|系统繁忙|系統繁忙|伺服器忙碌`)
	reQuota  = re(`quota|mailbox (is )?full|storage (is )?full|空间已满|容量已满|空間已滿|容量不足|空间不足|空間不足`)
	reSpam   = re(`dt:spm|\bspam\b|垃圾邮件|垃圾郵件`)
	reSender = re(`relay(ing)? (access )?(denied|not permitted|prohibited|not allowed)|mail from must equal|must be (the )?same as|` +
		`send ?as|sender address rejected|not owned by (the )?user|sender (is )?not (allowed|authori[sz]ed|permitted)`)
	reNoSTARTTLS = re(`(starttls|stls)[^\n]{0,20}not (offered|supported|advertised|available)|` +
		`(doesn't|does not) support (starttls|stls)|no starttls`)
	reWrongMode = re(`first record does not look like a tls handshake|wrong version number|unknown record type|http request to an https server|` +
		`did not answer with tls`)
	reOldTLS      = re(`protocol version|unsupported protocol|no supported versions|no cipher|insufficient security|handshake failure|no mutual`)
	reTLSText     = re(`\btls\b|\bssl\b|handshake`)
	reUnreachable = re(`network is unreachable|no route to host|host is unreachable`)
	reReset       = re(`connection reset|reset the connection|closed the connection|broken pipe|unexpected eof|\beof\b|forcibly closed`)
)

func famAuth(fam string) func(v *view) bool {
	return func(v *view) bool { return v.fam == fam && v.auth }
}

func certIs(problem string) func(v *view) bool {
	return func(v *view) bool { return v.cert == problem }
}

// rules, most specific first. Every id must be in catalogue.json.
var rules = []rule{
	// The account or the whole provider.
	{"yahoo_cn_closed", nil, true, func(v *view) bool { return v.fam == famYahooCN }},
	{"provider_closed", nil, true, func(v *view) bool {
		return v.prov != nil && v.prov.Service == providers.ServiceClosed
	}},
	{"no_client_access", nil, true, func(v *view) bool {
		return v.prov != nil && v.prov.Service == providers.ServiceNoClientAccess
	}},
	{"proton_bridge_only", []string{clsProvider, clsAuth}, false, func(v *view) bool {
		return v.fam == famProton && !isLoopbackHost(v.f.Host) // on loopback the user already runs Bridge
	}},
	{"stale_host", []string{clsStale}, false, func(v *view) bool { return v.f.StaleHost != "" }},

	// Logins, provider by provider.
	{"netease_ipdeny", []string{clsAuth}, false, func(v *view) bool { return v.has(reIPDeny) }},
	{"m365_smtp_auth_disabled", []string{clsAuth}, false, func(v *view) bool { return v.has(reTenantSMTPAuth) }},
	{"outlook_oauth_only", []string{clsAuth}, false, func(v *view) bool {
		return v.codes["5.7.139"] || v.has(reBasicAuthOff) || (v.fam == famOutlook && v.auth)
	}},
	{"oauth_only_server", []string{clsAuth}, false, func(v *view) bool { return v.auth && v.onlyOAuthMechanisms() }},
	{"gmail_service_disabled", []string{clsAuth, clsLimit}, false, func(v *view) bool { return v.has(reGmailDisabled) }},
	{"gmail_web_login", []string{clsAuth}, false, func(v *view) bool {
		return v.has(reWebLogin) || (v.fam == famGmail && v.codes["5.7.14"])
	}},
	{"gmail_app_password", []string{clsAuth}, false, func(v *view) bool {
		return v.has(reGmailASP) || (v.fam == famGmail && (v.auth || v.codes["5.7.9"]))
	}},
	{"yahoo_app_password", []string{clsAuth}, false, famAuth(famYahoo)},
	{"icloud_app_password", []string{clsAuth}, false, famAuth(famICloud)},
	{"aol_app_password", []string{clsAuth}, false, famAuth(famAOL)},
	{"yandex_app_password", []string{clsAuth}, false, famAuth(famYandex)},
	{"qq_login_ambiguous", []string{clsAuth, clsLimit}, false, func(v *view) bool {
		return v.has(reQQCatchAll) || ((v.fam == famQQ || v.fam == famExmail) && v.has(reQQBusy))
	}},
	{"qq_auth_code", []string{clsAuth}, false, func(v *view) bool {
		if v.fam == famQQ {
			return v.auth || v.has(reQQCode) || v.has(reAuthCode)
		}
		return v.fam == "" && v.has(reQQCode)
	}},
	{"exmail_client_password", []string{clsAuth}, false, famAuth(famExmail)},
	// The password was accepted: "Unsafe Login" is no login failure, so it
	// also claims the auth class and hides "wrong password".
	{"netease_unsafe_login", []string{clsClient, clsAuth}, false, func(v *view) bool { return v.has(reUnsafeLogin) }},
	{"netease_qiye_auth_code", []string{clsAuth}, false, func(v *view) bool {
		return v.fam == famNeteaseQiye && (v.auth || v.has(reNeteaseCode) || v.has(reAuthCode))
	}},
	{"netease_auth_code", []string{clsAuth}, false, func(v *view) bool {
		if v.fam == famNetease {
			return v.auth || v.has(reNeteaseCode) || v.has(reAuthCode)
		}
		return v.fam == "" && v.has(reNeteaseCode)
	}},
	{"mail139_auth_code", []string{clsAuth}, false, famAuth(fam139)},
	{"sina_auth_code", []string{clsAuth}, false, famAuth(famSina)},
	{"sohu_auth_code", []string{clsAuth}, false, famAuth(famSohu)},

	// Logins, any provider.
	{"service_disabled", []string{clsAuth, clsLimit}, false, func(v *view) bool { return v.has(reServiceDisabled) }},
	{"auth_code_required", []string{clsAuth}, false, func(v *view) bool { return v.has(reAuthCode) }},
	{"app_password_required", []string{clsAuth}, false, func(v *view) bool { return v.has(reAppPassword) }},
	{"account_locked", []string{clsAuth}, false, func(v *view) bool { return v.has(reLocked) }},
	{"tls_required", []string{clsAuth}, false, func(v *view) bool {
		return v.has(reTLSRequired) || v.anyCode("PRIVACYREQUIRED", "5.7.11")
	}},
	{"smtp_auth_unavailable", []string{clsAuth}, false, func(v *view) bool {
		return (v.f.Protocol == mailcfg.SMTP || v.smtp != 0) && v.has(reSMTPNoAuth)
	}},
	{"auth_failed", []string{clsAuth}, false, func(v *view) bool { return v.auth }},

	// Limits and temporary refusals; a full mailbox first, as it is
	// reported with the same temporary codes.
	{"quota_full", []string{clsMailbox, clsLimit}, false, func(v *view) bool {
		return v.anyCode("5.2.2", "4.2.2", "OVERQUOTA") || v.has(reQuota)
	}},
	{"too_many_connections", []string{clsLimit}, false, func(v *view) bool { return v.has(reTooMany) }},
	{"login_delay", []string{clsLimit}, false, func(v *view) bool { return v.codes["LOGIN-DELAY"] }},
	{"mailbox_in_use", []string{clsLimit}, false, func(v *view) bool {
		return v.anyCode("IN-USE", "INUSE") || v.has(reInUse)
	}},
	{"rate_limited", []string{clsLimit}, false, func(v *view) bool {
		return v.has(reRate) || v.codes["LIMIT"] || (v.codes["4.7.0"] && !v.has(reBusy))
	}},
	{"server_busy", []string{clsLimit}, false, func(v *view) bool {
		return v.transient || v.has(reBusy) || v.anyCode("SYS/TEMP", "UNAVAILABLE")
	}},

	// The mailbox and sending.
	{"spam_rejected", []string{clsSend}, false, func(v *view) bool { return v.has(reSpam) }},
	{"sender_rejected", []string{clsSend}, false, func(v *view) bool {
		return v.has(reSender) || v.codes["5.7.60"] || (v.smtp == 553 && v.f.Stage == StageSend)
	}},

	// Certificates.
	{"cert_intercepted", []string{clsCert}, false, func(v *view) bool {
		return (v.cert == CertUnknownAuthority || v.cert == CertSelfSigned) && v.wellKnownHost()
	}},
	{"cert_expired", []string{clsCert}, false, certIs(CertExpired)},
	{"cert_not_yet_valid", []string{clsCert}, false, certIs(CertNotYetValid)},
	{"cert_name_mismatch", []string{clsCert}, false, certIs(CertNameMismatch)},
	{"cert_self_signed", []string{clsCert}, false, certIs(CertSelfSigned)},
	{"cert_unknown_authority", []string{clsCert}, false, certIs(CertUnknownAuthority)},
	{"cert_invalid", []string{clsCert}, false, func(v *view) bool { return v.f.Status == mailcfg.StatusCertInvalid }},

	// Encryption.
	{"starttls_missing", []string{clsTLS}, false, func(v *view) bool {
		return v.has(reNoSTARTTLS) || ((v.f.Stage == StageSTARTTLS || v.f.Security == mailcfg.STARTTLS) && v.f.Status == mailcfg.StatusInsecure)
	}},
	{"insecure", []string{clsTLS}, false, func(v *view) bool { return v.f.Status == mailcfg.StatusInsecure }},
	{"tls_wrong_mode", []string{clsTLS}, false, func(v *view) bool { return v.has(reWrongMode) }},
	{"tls_old_server", []string{clsTLS}, false, func(v *view) bool { return v.cert == "" && v.has(reOldTLS) }},
	{"tls_error", []string{clsTLS}, false, func(v *view) bool {
		if v.cert != "" || v.f.Status == mailcfg.StatusCertInvalid {
			return false
		}
		return v.f.Status == mailcfg.StatusTLSError ||
			((v.f.Stage == StageTLS || v.f.Stage == StageSTARTTLS) && v.has(reTLSText))
	}},

	// The network.
	{"port25_blocked", []string{clsNetwork}, false, func(v *view) bool {
		return v.f.Port == 25 && v.timeout && (v.f.Protocol == mailcfg.SMTP || v.f.Protocol == "")
	}},
	{"network_unreachable", []string{clsNetwork}, false, func(v *view) bool { return v.has(reUnreachable) }},
	{"timeout", []string{clsNetwork}, false, func(v *view) bool { return v.timeout }},
	{"refused", []string{clsNetwork}, false, func(v *view) bool { return v.refused }},
	{"connection_reset", []string{clsNetwork}, false, func(v *view) bool {
		switch v.f.Stage {
		case "", StageConnect, StageTLS, StageGreeting, StageSTARTTLS, StageCapabilities:
			return v.f.Reply == "" && v.f.Status != mailcfg.StatusTLSError && v.has(reReset)
		}
		return false
	}},

	// Names.
	// nxdomain speaks of the address's domain; a server name that does not
	// exist (a probe's status unresolved) gets "unresolved" below.
	{"nxdomain", []string{clsDNS}, false, func(v *view) bool {
		return v.dnsErr == DNSNXDomain && v.f.Status != mailcfg.StatusUnresolved
	}},
	{"dns_failure", []string{clsDNS}, false, func(v *view) bool {
		return v.dnsErr == DNSServFail || v.dnsErr == DNSRefused || v.dnsErr == DNSTimeout
	}},
	{"unresolved", []string{clsDNS}, false, func(v *view) bool { return v.f.Status == mailcfg.StatusUnresolved }},

	// Something else answers.
	{"protocol_error", []string{clsProtocol}, false, func(v *view) bool { return v.f.Status == mailcfg.StatusProtocolError }},
	// After what explains the failure: why it was slow to come.
	{"login_delayed", []string{clsDelay}, false, func(v *view) bool { return v.auth && v.f.Delayed }},
}

// Fallbacks, used only when no rule matched.
const (
	idNoSettings = "no_settings_found"
	idUnknown    = "unknown_error"
)
