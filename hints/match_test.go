package hints

import (
	"slices"
	"strings"
	"testing"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// matchCase is one failure as the engine would report it, with the hint
// that must come first and, optionally, hints that must or must not appear.
type matchCase struct {
	name     string
	facts    Facts
	first    string
	also     []string
	not      []string
	lang     string   // default en
	contains []string // substrings of the first hint's text
}

var qqCatchAll = "535 Login fail. Account is abnormal, service is not open, password is incorrect, login frequency limited, or system is busy. More information at https://help.mail.qq.com/detail/108/1023"

var matchCases = []matchCase{
	// QQ Mail.
	{name: "qq smtp 535 authorization code",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp.qq.com", Port: 465, ProviderID: "qq", AuthFailed: true,
			Reply: "535 Login Fail. Please enter your authorization code to login. More information in https://service.mail.qq.com/detail/0/53"},
		first: "qq_auth_code", not: []string{"auth_failed", "auth_code_required"},
		contains: []string{"16-letter authorization code", "Generate authorization code"}},
	{name: "qq reply without provider or host",
		facts: Facts{Stage: StageLogin, Reply: "535 Login Fail. Please enter your authorization code to login. More information in https://service.mail.qq.com/detail/0/53"},
		first: "qq_auth_code"},
	{name: "qq pop3 authorized code",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Host: "pop.qq.com", Port: 995,
			Reply: "-ERR Please using authorized code to login. More information at http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256"},
		first: "qq_auth_code"},
	{name: "qq catch-all names frequency and service",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp.qq.com", Port: 465, ProviderID: "qq", AuthFailed: true, Reply: qqCatchAll},
		first: "qq_login_ambiguous", not: []string{"rate_limited", "service_disabled", "auth_failed", "qq_auth_code", "server_busy"}},
	{name: "qq catch-all in chinese",
		facts: Facts{Stage: StageLogin, Host: "imap.qq.com", Reply: "a1 NO Login fail. Account is abnormal, service is not open, password is incorrect, login frequency limited, or system is busy."},
		first: "qq_login_ambiguous", lang: "zh-CN", contains: []string{"授权码", "15–30 分钟"}},
	{name: "foxmail address uses qq hint",
		facts: Facts{Stage: StageLogin, Host: "imap.qq.com", ProviderID: "qq", AuthFailed: true, Reply: "A2 NO [AUTHENTICATIONFAILED] Authentication failed"},
		first: "qq_auth_code", lang: "zh-Hant", contains: []string{"授權碼", "QQ郵箱"}},
	{name: "exmail is not consumer qq",
		facts: Facts{Stage: StageLogin, Host: "smtp.exmail.qq.com", Port: 465, AuthFailed: true, Reply: "535 Error: authentication failed"},
		first: "exmail_client_password", not: []string{"qq_auth_code"}},

	// NetEase.
	{name: "netease unsafe login",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.IMAP, Host: "imap.163.com", Port: 993, ProviderID: "netease-163",
			Reply: "A3 NO SELECT Unsafe Login. Please contact kefu@188.com for help"},
		first: "netease_unsafe_login", not: []string{"netease_auth_code", "auth_failed"},
		contains: []string{"Unsafe Login", "IMAP ID"}},
	{name: "netease unsafe login bare reply",
		facts: Facts{Reply: "NO Unsafe Login. Please contact kefu@188.com for help"},
		first: "netease_unsafe_login", lang: "zh-Hans", contains: []string{"升级"}},
	{name: "netease smtp 535",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp.163.com", Port: 465, ProviderID: "netease-163", AuthFailed: true,
			Reply: "535 Error: authentication failed"},
		first: "netease_auth_code", not: []string{"auth_failed"}, lang: "zh-Hans", contains: []string{"客户端授权密码", "新增授权密码"}},
	{name: "netease 126 by host",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Host: "pop.126.com", AuthFailed: true, Reply: "-ERR ERR.LOGIN.PASSERR"},
		first: "netease_auth_code"},
	{name: "netease user has no permission",
		facts: Facts{Stage: StageSend, Protocol: mailcfg.SMTP, Host: "smtp.163.com", Reply: "550 User has no permission"},
		first: "netease_auth_code"},
	{name: "netease qiye ip whitelist",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Host: "pop.qiye.163.com", ProviderID: "netease-qiye", Reply: "-ERR ERR.LOGIN.IPDENY"},
		first: "netease_ipdeny", not: []string{"netease_qiye_auth_code", "auth_failed"}, contains: []string{"whitelist"}},
	{name: "netease qiye auth",
		facts: Facts{Stage: StageLogin, Host: "imap.qiye.163.com", ProviderID: "netease-qiye", AuthFailed: true, Reply: "a1 NO LOGIN Login error password error"},
		first: "netease_qiye_auth_code"},

	// Other Chinese providers.
	{name: "139 auth", facts: Facts{Stage: StageLogin, Host: "smtp.139.com", ProviderID: "mail139", AuthFailed: true, Reply: "535 Error: authentication failed"},
		first: "mail139_auth_code"},
	{name: "sina auth", facts: Facts{Stage: StageLogin, Host: "pop.sina.com", ProviderID: "sina", AuthFailed: true, Reply: "-ERR login fail"},
		first: "sina_auth_code"},
	{name: "sohu auth", facts: Facts{Stage: StageLogin, Host: "smtp.sohu.com", AuthFailed: true, Reply: "535 authentication failed"},
		first: "sohu_auth_code"},
	{name: "generic chinese authorization code",
		facts: Facts{Stage: StageLogin, Host: "pop.example.cn", Reply: "-ERR 请使用授权码登录"},
		first: "auth_code_required", lang: "zh-Hans", contains: []string{"你的邮箱要求邮件客户端使用授权码"}},

	// Microsoft.
	{name: "outlook 5.7.139 basic auth disabled",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp-mail.outlook.com", Port: 587, AuthFailed: true,
			Reply: "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BN9PR03CA0040.namprd03.prod.outlook.com 2024-10-01T00:00:00.000Z]"},
		first: "outlook_oauth_only", not: []string{"auth_failed"}, contains: []string{"will never work", "OAuth2"}},
	{name: "outlook code only",
		facts: Facts{Stage: StageLogin, Code: "5.7.139", Reply: "535 Authentication unsuccessful"},
		first: "outlook_oauth_only"},
	{name: "outlook imap authenticate failed",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.IMAP, Host: "outlook.office365.com", Port: 993, Reply: "A1 NO AUTHENTICATE failed."},
		first: "outlook_oauth_only"},
	{name: "outlook BasicAuthBlocked",
		facts: Facts{Stage: StageLogin, Host: "mail.contoso.com", Reply: "NO AUTHENTICATE failed. BasicAuthBlocked"},
		first: "outlook_oauth_only"},
	{name: "microsoft 365 tenant smtp auth off",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp.office365.com", Port: 587, ProviderID: "microsoft365", AuthFailed: true,
			Reply: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."},
		first: "m365_smtp_auth_disabled", not: []string{"outlook_oauth_only", "service_disabled"}},

	// Google.
	{name: "gmail 534 application-specific password",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp.gmail.com", Port: 465,
			Reply: "534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor"},
		first: "gmail_app_password", not: []string{"app_password_required", "auth_failed"}, contains: []string{"myaccount.google.com/apppasswords"}},
	{name: "gmail imap alert application-specific",
		facts: Facts{Stage: StageLogin, Reply: "A1 NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)"},
		first: "gmail_app_password"},
	{name: "gmail bad credentials",
		facts: Facts{Stage: StageLogin, Host: "smtp.gmail.com", Port: 587, AuthFailed: true,
			Reply: "535-5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials"},
		first: "gmail_app_password", lang: "zh-Hant", contains: []string{"應用程式密碼"}},
	{name: "gmail web login required",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Host: "pop.gmail.com", Reply: "-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754"},
		first: "gmail_web_login", not: []string{"gmail_app_password", "auth_failed"}},
	{name: "gmail 5.7.14 browser",
		facts: Facts{Stage: StageLogin, Host: "smtp.gmail.com", Reply: "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1> Please log in via your web browser and then try again."},
		first: "gmail_web_login"},
	{name: "gmail imap disabled",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.IMAP, Host: "imap.gmail.com",
			Reply: "A1 NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)"},
		first: "gmail_service_disabled", not: []string{"gmail_app_password", "service_disabled"}, contains: []string{"IMAP access is turned off"}},
	{name: "gmail pop disabled",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Host: "pop.gmail.com",
			Reply: "-ERR [SYS/PERM] Your account is not enabled for POP access. Please visit your Gmail settings page and enable your account for POP access."},
		first: "gmail_service_disabled", contains: []string{"POP3 access"}},

	// Other app-password providers.
	{name: "yahoo", facts: Facts{Stage: StageLogin, Host: "imap.mail.yahoo.com", AuthFailed: true, Reply: "A1 NO [AUTHENTICATIONFAILED] LOGIN Invalid credentials"},
		first: "yahoo_app_password", not: []string{"auth_failed"}},
	{name: "yahoo japan is not yahoo", facts: Facts{Stage: StageLogin, ProviderID: "yahoo-jp", Host: "imap.mail.yahoo.co.jp", AuthFailed: true},
		first: "auth_failed", not: []string{"yahoo_app_password"}},
	{name: "icloud", facts: Facts{Stage: StageLogin, Host: "imap.mail.me.com", AuthFailed: true, Reply: "A1 NO [AUTHENTICATIONFAILED] Authentication failed."},
		first: "icloud_app_password"},
	{name: "aol", facts: Facts{Stage: StageLogin, Host: "smtp.aol.com", AuthFailed: true, Reply: "535 5.7.0 (#AUTH005) Too many bad auth attempts."},
		first: "aol_app_password"},
	{name: "yandex", facts: Facts{Stage: StageLogin, Host: "imap.yandex.com", ProviderID: "yandex", Reply: "A1 NO [AUTHENTICATIONFAILED] LOGIN Invalid credentials or IMAP is disabled"},
		first: "yandex_app_password"},
	{name: "generic app password",
		facts: Facts{Stage: StageLogin, Host: "mail.example.com", Reply: "A1 NO [AUTHENTICATIONFAILED] Please use an app password"},
		first: "app_password_required", contains: []string{"your mail provider wants an app password"}},

	// Service off.
	{name: "pop3 disabled", facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Host: "pop.example.com", Reply: "-ERR POP3 disabled"},
		first: "service_disabled", not: []string{"auth_failed"}, contains: []string{"POP3 access is turned off"}},
	{name: "imap unavailable not enabled",
		facts: Facts{Stage: StageLogin, Protocol: mailcfg.IMAP, Host: "imap.example.com", Reply: "A1 NO [UNAVAILABLE] IMAP access is not enabled for this account"},
		first: "service_disabled", not: []string{"server_busy"}},
	{name: "please open pop3/smtp", facts: Facts{Stage: StageLogin, Host: "pop.example.com", Reply: "-ERR please open POP3/SMTP service first"},
		first: "service_disabled"},
	{name: "chinese service not open", facts: Facts{Stage: StageLogin, Host: "pop.example.cn", Reply: "-ERR 您的POP3服务未开启"},
		first: "service_disabled"},

	// Generic logins.
	{name: "smtp 535 5.7.8", facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 587,
		Reply: "535 5.7.8 Error: authentication failed: authentication failure"},
		first: "auth_failed"},
	{name: "imap authenticationfailed", facts: Facts{Stage: StageLogin, Reply: "a2 NO [AUTHENTICATIONFAILED] Authentication failed."},
		first: "auth_failed"},
	{name: "pop3 [AUTH]", facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Reply: "-ERR [AUTH] Authentication failed"},
		first: "auth_failed"},
	{name: "auth flag only", facts: Facts{AuthFailed: true}, first: "auth_failed"},
	{name: "account locked", facts: Facts{Stage: StageLogin, Reply: "-ERR Your account has been suspended"},
		first: "account_locked", not: []string{"auth_failed"}},
	{name: "must starttls", facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 25,
		Reply: "530 5.7.0 Must issue a STARTTLS command first"},
		first: "tls_required"},
	{name: "imap logindisabled", facts: Facts{Stage: StageCapabilities, Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 143,
		Error: "login refused", Reply: "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED"},
		first: "tls_required", not: []string{"service_disabled"}},
	{name: "no smtp auth", facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Host: "mx.example.com", Port: 25,
		Error: "smtp: server doesn't support AUTH"},
		first: "smtp_auth_unavailable", contains: []string{"mx.example.com:25", "465"}},

	// Limits.
	{name: "pop3 in-use", facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Reply: "-ERR [IN-USE] Mailbox is locked by another POP3 session"},
		first: "mailbox_in_use", not: []string{"auth_failed", "account_locked"}},
	{name: "pop3 in-use code only", facts: Facts{Stage: StageLogin, Protocol: mailcfg.POP3, Code: "IN-USE", Reply: "-ERR busy"},
		first: "mailbox_in_use"},
	{name: "imap inuse", facts: Facts{Stage: StageLogin, Reply: "a1 NO [INUSE] Mailbox in use"}, first: "mailbox_in_use"},
	{name: "pop3 sys/temp", facts: Facts{Stage: StageLogin, Reply: "-ERR [SYS/TEMP] Temporary system problem. Please try again later."},
		first: "server_busy", not: []string{"auth_failed", "rate_limited"}},
	{name: "pop3 login-delay", facts: Facts{Stage: StageLogin, Reply: "-ERR [LOGIN-DELAY] Minimum time between logins not met"},
		first: "login_delay", not: []string{"auth_failed"}},
	{name: "smtp 421 4.7.0", facts: Facts{Stage: StageLogin, Protocol: mailcfg.SMTP, Reply: "421 4.7.0 Try again later, closing connection."},
		first: "rate_limited", not: []string{"auth_failed", "server_busy"}},
	{name: "smtp 454 too many logins", facts: Facts{Stage: StageLogin, Reply: "454 4.7.0 Too many login attempts, please try again later."},
		first: "rate_limited"},
	{name: "smtp 421 temporary", facts: Facts{Stage: StageGreeting, Reply: "421 4.7.0 Temporary System Problem.  Try again later (10)."},
		first: "server_busy"},
	{name: "smtp 451", facts: Facts{Stage: StageSend, Reply: "451 4.3.0 Error: queue file write error"}, first: "server_busy"},
	{name: "imap unavailable", facts: Facts{Stage: StageLogin, Reply: "a1 NO [UNAVAILABLE] Temporary authentication failure"},
		first: "server_busy", not: []string{"auth_failed"}},
	{name: "too many connections", facts: Facts{Stage: StageLogin, Host: "imap.gmail.com", Reply: "a1 NO [ALERT] Too many simultaneous connections. (Failure)"},
		first: "too_many_connections", not: []string{"gmail_app_password"}},

	// Mailbox and sending.
	{name: "552 mailbox full", facts: Facts{Stage: StageSend, Reply: "552 5.2.2 Mailbox full"}, first: "quota_full"},
	{name: "imap overquota", facts: Facts{Stage: StageLogin, Reply: "a5 NO [OVERQUOTA] Quota exceeded"}, first: "quota_full", not: []string{"auth_failed", "server_busy"}},
	{name: "netease mail from", facts: Facts{Stage: StageSend, Host: "smtp.163.com", Reply: "553 Mail from must equal authorized user"},
		first: "sender_rejected", not: []string{"netease_auth_code"}},
	{name: "relay denied", facts: Facts{Stage: StageSend, Reply: "554 5.7.1 <bob@example.org>: Relay access denied"}, first: "sender_rejected"},
	{name: "qq from mismatch", facts: Facts{Stage: StageSend, Host: "smtp.qq.com", ProviderID: "qq", Reply: "501 mail from address must be same as authorization user"},
		first: "sender_rejected", not: []string{"qq_auth_code"}},
	{name: "microsoft send as", facts: Facts{Stage: StageSend, Reply: "554 5.2.252 SendAsDenied; alice@contoso.com not allowed to send as bob@contoso.com"},
		first: "sender_rejected"},
	{name: "netease spam", facts: Facts{Stage: StageSend, Host: "smtp.163.com", Reply: "554 DT:SPM 163 smtp14,EsCowAC3 1600000000 http://mail.163.com/help/help_spam_16.htm?ip="},
		first: "spam_rejected"},

	// Network.
	{name: "timeout on 25", facts: Facts{Stage: StageConnect, Status: mailcfg.StatusTimeout, Protocol: mailcfg.SMTP, Host: "smtp.example.com", Port: 25,
		Error: "dial tcp 192.0.2.1:25: i/o timeout"},
		first: "port25_blocked", not: []string{"timeout"}, contains: []string{"465", "587", "smtp.example.com"}},
	{name: "timeout on 993", facts: Facts{Stage: StageConnect, Status: mailcfg.StatusTimeout, Protocol: mailcfg.IMAP, Host: "imap.example.com", Port: 993},
		first: "timeout", not: []string{"port25_blocked"}, contains: []string{"imap.example.com:993"}},
	{name: "timeout by error text", facts: Facts{Stage: StageConnect, Host: "pop.example.com", Port: 995, Error: "context deadline exceeded"},
		first: "timeout"},
	{name: "refused", facts: Facts{Stage: StageConnect, Status: mailcfg.StatusRefused, Host: "127.0.0.1", Port: 995,
		Error: "dial tcp 127.0.0.1:995: connect: connection refused"},
		first: "refused", contains: []string{"127.0.0.1:995"}},
	{name: "ipv6 server", facts: Facts{Stage: StageConnect, Status: mailcfg.StatusRefused, Host: "::1", Port: 993},
		first: "refused", contains: []string{"[::1]:993"}},
	{name: "unreachable", facts: Facts{Stage: StageConnect, Status: mailcfg.StatusError, Host: "imap.example.com", Error: "dial tcp [2001:db8::1]:993: connect: network is unreachable"},
		first: "network_unreachable"},
	{name: "reset", facts: Facts{Stage: StageGreeting, Status: mailcfg.StatusError, Host: "imap.example.com", Port: 993, Error: "read tcp: connection reset by peer"},
		first: "connection_reset"},

	// Certificates.
	{name: "cert expired", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusCertInvalid, Host: "mail.example.com", Port: 993,
		CertProblem: CertExpired, CertNotAfter: "2024-03-01T12:00:00Z", CertSHA256: "AA:BB"},
		first: "cert_expired", not: []string{"cert_invalid", "tls_error"}, contains: []string{"expired on 2024-03-01,"}},
	{name: "cert expired from x509 text", facts: Facts{Stage: StageTLS, Host: "mail.example.com",
		Error: "tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-01T00:00:00Z is after 2025-01-01T00:00:00Z"},
		first: "cert_expired", not: []string{"tls_error"}},
	{name: "cert not yet valid", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusCertInvalid, Host: "mail.example.com", CertProblem: CertNotYetValid},
		first: "cert_not_yet_valid", contains: []string{"clock"}},
	{name: "cert not yet valid from x509 text", facts: Facts{Stage: StageTLS, Host: "mail.example.com",
		Error: "x509: certificate has expired or is not yet valid: current time 2020-01-01T00:00:00Z is before 2025-01-01T00:00:00Z"},
		first: "cert_not_yet_valid"},
	{name: "cert name mismatch", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusCertInvalid, Host: "mail.example.com", Port: 995,
		CertProblem: CertNameMismatch, CertNames: "*.hostingco.net, hostingco.net"},
		first: "cert_name_mismatch", contains: []string{"is for *.hostingco.net, hostingco.net, not for mail.example.com"}},
	{name: "cert name mismatch from x509", facts: Facts{Stage: StageTLS, Host: "imap.example.com",
		Error: "x509: certificate is valid for a.example.net, not imap.example.com"},
		first: "cert_name_mismatch"},
	{name: "cert self-signed", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusCertInvalid, Host: "mail.example.com", Port: 993,
		CertProblem: CertSelfSigned, CertSHA256: "12:34:56"},
		first: "cert_self_signed", contains: []string{"--trust 12:34:56"}},
	{name: "cert unknown authority", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusCertInvalid, Host: "mail.example.com",
		CertProblem: CertUnknownAuthority, CertIssuer: "Example Internal CA", CertSHA256: "AB:CD"},
		first: "cert_unknown_authority", contains: []string{"“Example Internal CA”", "--trust AB:CD"}},
	{name: "cert unknown authority from x509", facts: Facts{Stage: StageTLS, Host: "mail.example.com", Error: "x509: certificate signed by unknown authority"},
		first: "cert_unknown_authority"},
	{name: "cert intercepted on qq", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusCertInvalid, Host: "imap.qq.com", Port: 993, ProviderID: "qq",
		CertProblem: CertUnknownAuthority, CertIssuer: "Avast Web/Mail Shield Root"},
		first: "cert_intercepted", not: []string{"cert_unknown_authority"}, contains: []string{"Avast Web/Mail Shield Root", "QQ Mail"}},
	{name: "cert intercepted self-signed on gmail", facts: Facts{Stage: StageTLS, Host: "smtp.gmail.com", CertProblem: CertSelfSigned, CertIssuer: "Fortinet"},
		first: "cert_intercepted", lang: "zh-Hans", contains: []string{"Gmail并不使用这家机构"}},
	{name: "hosted provider on own host is not intercepted", facts: Facts{Stage: StageTLS, Host: "mail.mycompany.example", ProviderID: "exmail",
		CertProblem: CertUnknownAuthority},
		first: "cert_unknown_authority"},
	{name: "cert invalid, no detail", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusCertInvalid, Host: "mail.example.com"},
		first: "cert_invalid", contains: []string{"(fingerprint unknown)"}},

	// Encryption.
	{name: "starttls not offered", facts: Facts{Stage: StageSTARTTLS, Status: mailcfg.StatusInsecure, Protocol: mailcfg.IMAP,
		Host: "mail.example.com", Port: 143, Security: mailcfg.STARTTLS},
		first: "starttls_missing", not: []string{"insecure"}},
	{name: "starttls error text", facts: Facts{Stage: StageCapabilities, Status: mailcfg.StatusError, Host: "mail.example.com", Port: 587,
		Error: "smtp: server doesn't support STARTTLS"},
		first: "starttls_missing"},
	{name: "insecure", facts: Facts{Stage: StageGreeting, Status: mailcfg.StatusInsecure, Host: "mail.example.com", Port: 110, Security: mailcfg.None},
		first: "insecure", contains: []string{"--allow-insecure"}},
	{name: "tls on a plaintext port", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusTLSError, Host: "mail.example.com", Port: 143,
		Error: "tls: first record does not look like a TLS handshake"},
		first: "tls_wrong_mode", not: []string{"tls_error"}},
	{name: "old tls", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusTLSError, Host: "old.example.com", Port: 995,
		Error: "remote error: tls: protocol version not supported"},
		first: "tls_old_server"},
	{name: "tls eof", facts: Facts{Stage: StageTLS, Status: mailcfg.StatusTLSError, Host: "mail.example.com", Port: 995, Error: "EOF"},
		first: "tls_error", not: []string{"connection_reset"}},

	// Names.
	{name: "nxdomain", facts: Facts{Stage: StageDiscover, Host: "qq.con", DNSError: DNSNXDomain},
		first: "nxdomain", contains: []string{"qq.con", "after @"}},
	{name: "nxdomain zh-Hant", facts: Facts{Stage: StageDNS, Host: "qq.con", DNSError: DNSNXDomain},
		first: "nxdomain", lang: "zh-TW", not: []string{"unresolved"}, contains: []string{"網域"}},
	{name: "a server name that does not exist is no address typo", facts: Facts{Stage: StageDNS,
		Status: mailcfg.StatusUnresolved, Host: "pop.qq.com", DNSError: DNSNXDomain},
		first: "unresolved", not: []string{"nxdomain"}},
	{name: "servfail", facts: Facts{Stage: StageDNS, Status: mailcfg.StatusUnresolved, Host: "pop.example.com", DNSError: DNSServFail},
		first: "dns_failure", contains: []string{"--dns 223.5.5.5:53"}},
	{name: "dns timeout is not a connect timeout", facts: Facts{Stage: StageDNS, Host: "pop.example.com", DNSError: DNSTimeout, Error: "i/o timeout"},
		first: "dns_failure", not: []string{"timeout"}},
	{name: "unresolved", facts: Facts{Stage: StageDNS, Status: mailcfg.StatusUnresolved, Host: "pop3.example.com"},
		first: "unresolved"},

	// Something else answers.
	{name: "protocol error", facts: Facts{Stage: StageGreeting, Status: mailcfg.StatusProtocolError, Protocol: mailcfg.IMAP, Host: "mail.example.com", Port: 995},
		first: "protocol_error", contains: []string{"does not speak IMAP"}},

	// Stale and closed.
	{name: "yahoo china", facts: Facts{Stage: StageDNS, Status: mailcfg.StatusUnresolved, Host: "pop.mail.yahoo.com.cn", ProviderID: "yahoo-cn",
		StaleHost: "pop.mail.yahoo.com.cn", StaleReason: "Yahoo China Mail closed on 2013-08-19."},
		first: "yahoo_cn_closed", not: []string{"stale_host", "unresolved"}},
	{name: "stale host", facts: Facts{Stage: StageDNS, Status: mailcfg.StatusUnresolved, Host: "pop3.sina.com.cn",
		StaleHost: "pop3.sina.com.cn", StaleReason: "Pre-2010 guides' POP3 name; Sina now documents pop.sina.com."},
		first: "stale_host", also: []string{"unresolved"},
		contains: []string{"pop3.sina.com.cn comes from an out-of-date guide: Pre-2010 guides' POP3 name; Sina now documents pop.sina.com. Use"}},
	{name: "no client access", facts: Facts{Stage: StageDiscover, ProviderID: "tuta", Status: mailcfg.StatusError}, first: "no_client_access"},
	{name: "proton", facts: Facts{Stage: StageDNS, Status: mailcfg.StatusUnresolved, Host: "imap.proton.me", ProviderID: "proton"},
		first: "proton_bridge_only", also: []string{"unresolved"}},
	{name: "proton bridge not running", facts: Facts{Stage: StageConnect, Status: mailcfg.StatusRefused, Host: "127.0.0.1", Port: 1143, ProviderID: "proton"},
		first: "refused", not: []string{"proton_bridge_only"}},

	// Fallbacks.
	{name: "unknown", facts: Facts{Stage: StageGreeting, Status: mailcfg.StatusError, Host: "mail.example.com", Port: 995, Error: "something odd"},
		first: "unknown_error"},
	{name: "discover found nothing", facts: Facts{Stage: StageDiscover, Status: mailcfg.StatusError, Host: "example.org"},
		first: "no_settings_found", contains: []string{"example.org"}},
}

func TestMatch(t *testing.T) {
	for _, tc := range matchCases {
		t.Run(tc.name, func(t *testing.T) {
			lang := tc.lang
			if lang == "" {
				lang = "en"
			}
			got := Match(tc.facts, lang)
			ids := hintIDs(got)
			if len(got) == 0 || got[0].ID != tc.first {
				t.Fatalf("Match = %v, want %s first", ids, tc.first)
			}
			for _, id := range tc.also {
				if !slices.Contains(ids, id) {
					t.Errorf("Match = %v, want %s too", ids, id)
				}
			}
			for _, id := range tc.not {
				if slices.Contains(ids, id) {
					t.Errorf("Match = %v, must not hold %s", ids, id)
				}
			}
			for _, s := range tc.contains {
				if !strings.Contains(got[0].Text, s) {
					t.Errorf("text %q\nlacks %q", got[0].Text, s)
				}
			}
			checkHints(t, got)
		})
	}
}

// checkHints asserts what must hold of any Match result.
func checkHints(t *testing.T, hs []Hint) {
	t.Helper()
	seen := map[string]bool{}
	for _, h := range hs {
		if seen[h.ID] {
			t.Errorf("hint %s twice", h.ID)
		}
		seen[h.ID] = true
		if _, ok := catalogue.byID[h.ID]; !ok {
			t.Errorf("hint %s is not in the catalogue", h.ID)
		}
		if strings.TrimSpace(h.Text) == "" {
			t.Errorf("hint %s has no text", h.ID)
		}
		if strings.ContainsAny(h.Text, "{}") {
			t.Errorf("hint %s left a placeholder: %q", h.ID, h.Text)
		}
		switch h.Severity {
		case SeverityError, SeverityWarning, SeverityInfo:
		default:
			t.Errorf("hint %s: severity %q", h.ID, h.Severity)
		}
	}
}

func hintIDs(hs []Hint) []string {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}

func TestMatchNoFailure(t *testing.T) {
	for _, f := range []Facts{
		{},
		{Status: mailcfg.StatusOK, Host: "imap.qq.com", Port: 993, ProviderID: "qq"},
		{Status: mailcfg.StatusPending, Host: "imap.qq.com"},
		{Status: mailcfg.StatusAbandoned, Host: "mail.example.com"},
		{Status: mailcfg.StatusOK, Stage: StageLogin, Reply: "+OK Logged in."},
		{Stage: StageLogin, Reply: "A1 OK [CAPABILITY IMAP4rev1] Logged in"},
		{Stage: StageLogin, Reply: "* OK IMAP ready"},
		{Stage: StageLogin, Reply: "235 2.7.0 Authentication successful"},
		{Stage: StageLogin, Reply: "334 UGFzc3dvcmQ6"},
	} {
		if got := Match(f, "en"); got != nil {
			t.Errorf("Match(%+v) = %v, want nil", f, hintIDs(got))
		}
	}
}

// Every case in every language: the same ids, and every text filled.
func TestMatchSameInEveryLanguage(t *testing.T) {
	for _, tc := range matchCases {
		en := hintIDs(Match(tc.facts, "en"))
		for _, lang := range l10n.Languages[1:] {
			got := Match(tc.facts, lang)
			if !slices.Equal(hintIDs(got), en) {
				t.Errorf("%s: %s ids %v, en %v", tc.name, lang, hintIDs(got), en)
			}
			checkHints(t, got)
		}
	}
}

// A certificate field from a hostile server cannot inject terminal escapes,
// placeholders or unbounded text.
func TestMatchCleansFacts(t *testing.T) {
	f := Facts{Stage: StageTLS, Host: "mail.example.com\x1b[31m", CertProblem: CertUnknownAuthority,
		CertIssuer: "Evil\x1b]0;pwned\x07 {sha256} \u202eCA" + strings.Repeat("x", 1000), CertSHA256: "AB"}
	hs := Match(f, "en")
	checkHints(t, hs)
	text := hs[0].Text
	if strings.ContainsAny(text, "\x1b\x07\u202e") {
		t.Errorf("control characters survived: %q", text)
	}
	if !strings.Contains(text, "(sha256)") {
		t.Errorf("braces in a value should become parentheses: %q", text)
	}
	if len([]rune(text)) > 1000 {
		t.Errorf("text not bounded: %d runes", len([]rune(text)))
	}
}

// The Chinese texts must not show a stray space where a fallback word meets
// Chinese text, but must keep spaces around Latin words.
func TestMatchChineseSpacing(t *testing.T) {
	hs := Match(Facts{Status: mailcfg.StatusTimeout}, "zh-Hans")
	if len(hs) == 0 || !strings.HasPrefix(hs[0].Text, "该服务器没有及时响应") {
		t.Fatalf("got %v", hs)
	}
	hs = Match(Facts{Status: mailcfg.StatusTimeout, Host: "imap.qq.com", Port: 993}, "zh-Hans")
	if !strings.HasPrefix(hs[0].Text, "imap.qq.com:993 没有及时响应") {
		t.Fatalf("got %q", hs[0].Text)
	}
}

func TestRender(t *testing.T) {
	h, ok := Render("cert_expired", Facts{Host: "mail.example.com", CertNotAfter: "2025-06-30T23:59:59Z"}, "zh-HK")
	if !ok || h.ID != "cert_expired" || !strings.Contains(h.Text, "2025-06-30") || !strings.Contains(h.Text, "憑證") {
		t.Fatalf("Render = %+v, %v", h, ok)
	}
	if _, ok := Render("no_such_hint", Facts{}, "en"); ok {
		t.Fatal("Render of an unknown id succeeded")
	}
}

// A refused password on a server that offers nothing but OAuth2
// mechanisms names OAuth2, whoever runs it.
func TestOAuthOnlyServer(t *testing.T) {
	f := Facts{Stage: StageLogin, Protocol: mailcfg.IMAP, Host: "imap.corp.example", Port: 993, AuthFailed: true,
		Reply: "NO AUTHENTICATE failed", Mechanisms: []string{"XOAUTH2", "OAUTHBEARER"}}
	if hs := Match(f, "en"); len(hs) == 0 || hs[0].ID != "oauth_only_server" || !strings.Contains(hs[0].Text, "imap.corp.example") {
		t.Errorf("hints %+v", hs)
	}
	f.Mechanisms = []string{"PLAIN", "XOAUTH2"}
	if hs := Match(f, "en"); len(hs) > 0 && hs[0].ID == "oauth_only_server" {
		t.Errorf("a server that takes PLAIN too got %s", hs[0].ID)
	}
}

// A refusal that took seconds says why it was slow, after what explains it.
func TestLoginDelayed(t *testing.T) {
	f := Facts{Stage: StageLogin, Protocol: mailcfg.IMAP, Host: "mail.example.test", Port: 993, AuthFailed: true,
		Reply: "NO [AUTHENTICATIONFAILED] Authentication failed.", Code: "AUTHENTICATIONFAILED", Delayed: true}
	hs := Match(f, "en")
	if len(hs) < 2 || hs[len(hs)-1].ID != "login_delayed" || hs[0].ID == "login_delayed" {
		t.Errorf("hints %v, want the wrong-password hint first, then login_delayed", ids(hs))
	}
	f.Delayed = false
	for _, h := range Match(f, "en") {
		if h.ID == "login_delayed" {
			t.Error("login_delayed for a quick refusal")
		}
	}
}

func ids(hs []Hint) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.ID
	}
	return out
}
