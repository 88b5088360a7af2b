package hints

import (
	"net"
	"regexp"
	"strconv"
	"strings"

	"mailsetup/mailcfg"
	"mailsetup/providers"
)

// maxMatchText bounds how much server text the rules look at.
const maxMatchText = 4096

// view is Facts prepared for matching: lower-case text, every code found,
// and the derived classes several rules share.
type view struct {
	f       *Facts
	prov    *providers.Provider // the table entry for f.ProviderID, or nil
	text    string              // reply and error, lower case, bounded
	codes   map[string]bool     // upper case: "5.7.139", "AUTHENTICATIONFAILED", "IN-USE"
	smtp    int                 // three-digit SMTP reply code at the start of the reply, or 0
	fam     string              // provider family from id or host
	hostFam string              // provider family from the host alone
	cert    string              // certificate problem, from the facts or the error text
	dnsErr  string              // DNS failure, from the facts or the error text

	transient bool // the server says "later", not "no"
	auth      bool // the credentials were rejected
	timeout   bool
	refused   bool
}

var (
	enhancedCodeRE = regexp.MustCompile(`\b[245]\.[0-9]{1,3}\.[0-9]{1,3}\b`)
	bracketCodeRE  = regexp.MustCompile(`\[([a-zA-Z][a-zA-Z0-9/_-]{1,40})[\] ]`)
	smtpCodeRE     = regexp.MustCompile(`^\s*([2-5][0-9]{2})[\s-]`)
)

func newView(f *Facts) *view {
	v := &view{f: f, codes: map[string]bool{}}
	text := f.Reply + "\n" + f.Error
	if len(text) > maxMatchText {
		text = text[:maxMatchText]
	}
	v.text = strings.ToLower(text)

	if c := strings.ToUpper(strings.Trim(strings.TrimSpace(f.Code), "[]")); c != "" && len(c) <= 64 {
		v.codes[c] = true
	}
	for _, c := range enhancedCodeRE.FindAllString(text, 8) {
		v.codes[c] = true
	}
	for _, m := range bracketCodeRE.FindAllStringSubmatch(text, 8) {
		v.codes[strings.ToUpper(m[1])] = true
	}
	reply := f.Reply
	if len(reply) > maxMatchText {
		reply = reply[:maxMatchText]
	}
	if m := smtpCodeRE.FindStringSubmatch(reply); m != nil {
		v.smtp, _ = strconv.Atoi(m[1])
	}

	v.prov = lookupProvider(f.ProviderID)
	v.hostFam = familyByHost(f.Host)
	v.fam = familyByID(f.ProviderID)
	if v.fam == "" && v.prov != nil {
		v.fam = providerFamily(v.prov)
	}
	if v.fam == "" {
		v.fam = v.hostFam
	}
	v.cert = certProblem(f, v.text)
	v.dnsErr = dnsProblem(f, v.text)

	v.transient = v.anyCode("IN-USE", "INUSE", "SYS/TEMP", "LOGIN-DELAY", "UNAVAILABLE", "LIMIT", "OVERQUOTA") ||
		(v.smtp >= 400 && v.smtp < 500) || hasCodePrefix(v.codes, "4.")
	// A refusal of LOGIN counts as bad credentials only when nothing says
	// "busy" or "too many": then it is a limit, not a wrong password.
	busyText := reTooMany.MatchString(v.text) || reInUse.MatchString(v.text) ||
		reRate.MatchString(v.text) || reBusy.MatchString(v.text)
	v.auth = !v.transient && (f.AuthFailed ||
		v.anyCode("AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "AUTH", "5.7.8", "5.7.3", "5.7.9", "5.7.139", "5.7.14") ||
		v.smtp == 535 || authTextRE.MatchString(v.text) ||
		(!busyText && f.Stage == StageLogin && loginNoRE.MatchString(strings.ToLower(reply))))
	v.timeout = v.dnsErr == "" && (f.Status == mailcfg.StatusTimeout || timeoutRE.MatchString(v.text))
	v.refused = f.Status == mailcfg.StatusRefused || refusedRE.MatchString(v.text)
	return v
}

var (
	authTextRE = regexp.MustCompile(`authentication (failed|unsuccessful|failure)|auth(entication)? failed|invalid credentials|` +
		`login fail|logon failure|login failed|authenticate failed|password (incorrect|is incorrect|not accepted|error|wrong)|` +
		`bad password|username and password not accepted|incorrect (username|user name|password)|err\.login\.(passerr|reqcode)|` +
		`密码错误|密碼錯誤|认证失败|認證失敗|登录失败|登入失敗`)
	// loginNoRE is a refusal line answering LOGIN, AUTH, USER or PASS.
	loginNoRE = regexp.MustCompile(`^\s*(-err|no\b|[a-z0-9.]+ no\b)`)
	// positiveReplyRE is a success line: +OK, * OK, a tagged OK, 2xx or 3xx.
	positiveReplyRE = regexp.MustCompile(`(?i)^\s*(\+ok\b|\* ok\b|[a-z0-9.]+ ok\b|[23][0-9]{2}([\s-]|$))`)
	timeoutRE       = regexp.MustCompile(`i/o timeout|timed out|timeout|deadline exceeded`)
	refusedRE       = regexp.MustCompile(`connection refused|actively refused`)
)

func (v *view) anyCode(codes ...string) bool {
	for _, c := range codes {
		if v.codes[c] {
			return true
		}
	}
	return false
}

func hasCodePrefix(codes map[string]bool, prefix string) bool {
	for c := range codes {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

func (v *view) has(re *regexp.Regexp) bool { return re.MatchString(v.text) }

// failed reports whether f describes a failure at all.
func (v *view) failed() bool {
	f := v.f
	return f.AuthFailed || (f.Reply != "" && !positiveReplyRE.MatchString(f.Reply)) || f.Error != "" ||
		f.DNSError != "" || f.CertProblem != "" ||
		f.StaleHost != "" || (f.Status.Settled() && f.Status != mailcfg.StatusOK && f.Status != mailcfg.StatusAbandoned)
}

// certProblem is f.CertProblem, or what Go's x509 errors say.
func certProblem(f *Facts, text string) string {
	if f.CertProblem != "" {
		return strings.ToLower(f.CertProblem)
	}
	switch {
	case strings.Contains(text, "certificate has expired or is not yet valid"):
		if strings.Contains(text, "is before") {
			return CertNotYetValid
		}
		return CertExpired
	case strings.Contains(text, "certificate has expired"), strings.Contains(text, "certificate expired"):
		return CertExpired
	case strings.Contains(text, "not yet valid"):
		return CertNotYetValid
	case strings.Contains(text, "certificate is valid for"), strings.Contains(text, "certificate is not valid for any names"),
		strings.Contains(text, "hostname mismatch"):
		return CertNameMismatch
	case strings.Contains(text, "self-signed"), strings.Contains(text, "self signed"):
		return CertSelfSigned
	case strings.Contains(text, "signed by unknown authority"), strings.Contains(text, "unknown certificate authority"),
		strings.Contains(text, "unable to get local issuer"):
		return CertUnknownAuthority
	}
	return ""
}

// dnsProblem is f.DNSError, or what a resolver error says.
func dnsProblem(f *Facts, text string) string {
	if f.DNSError != "" {
		return strings.ToLower(f.DNSError)
	}
	switch {
	case strings.Contains(text, "nxdomain"), strings.Contains(text, "no such host"):
		return DNSNXDomain
	case strings.Contains(text, "servfail"), strings.Contains(text, "server misbehaving"):
		return DNSServFail
	}
	return ""
}

// lookupProvider finds a table entry by id; ids are short, anything else is
// not worth a look-up.
func lookupProvider(id string) *providers.Provider {
	if id == "" || len(id) > 64 {
		return nil
	}
	return providers.ByID(id)
}

// wellKnownHost reports whether host is one of the provider's own servers,
// whose certificates come from a public authority.
func (v *view) wellKnownHost() bool {
	if v.hostFam != "" {
		return true
	}
	if v.prov == nil || v.f.Host == "" {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(v.f.Host), ".")
	for _, list := range [][]providers.Server{v.prov.Incoming, v.prov.Outgoing} {
		for _, s := range list {
			if strings.EqualFold(s.Host, host) {
				return !isLoopbackHost(host)
			}
		}
	}
	return false
}

// isLoopbackHost reports whether host is this computer (a local bridge).
func isLoopbackHost(host string) bool {
	host = strings.Trim(strings.ToLower(host), "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// onlyOAuthMechanisms reports a server whose SASL mechanisms are all
// OAuth2 ones (XOAUTH2, OAUTHBEARER): no password can work there.
func (v *view) onlyOAuthMechanisms() bool {
	if len(v.f.Mechanisms) == 0 {
		return false
	}
	for _, m := range v.f.Mechanisms {
		if m = strings.ToUpper(m); m != "XOAUTH2" && m != "OAUTHBEARER" {
			return false
		}
	}
	return true
}
