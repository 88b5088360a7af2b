package testbed

import (
	"fmt"
	"sort"
	"strings"

	"mailsetup/mailcfg"
)

// dovecotConf is what a dovecot configuration is rendered from.
type dovecotConf struct {
	dir, instance, ip, hostname string
	certFile, keyFile           string
	usersFile                   string
	plaintextOnly               bool
	penalty                     bool // dovecot's own delays of failed logins
	uid, gid                    int
	sinkPort                    int
	listeners                   []Listener
	ports                       map[int]int // std → actual
	oauthConf                   string      // dovecot-oauth2.conf.ext path; empty: no OAuth2
	oauthMechanisms             []string    // xoauth2, oauthbearer
}

// loginService is the dovecot service that serves a protocol, and the
// listener names it defines by default (plain, TLS). Every default name is
// always written, with port 0 when unused, or dovecot would bind 110, 995 …
var loginService = map[mailcfg.Protocol]struct{ service, plain, tls string }{
	mailcfg.POP3: {"pop3-login", "pop3", "pop3s"},
	mailcfg.IMAP: {"imap-login", "imap", "imaps"},
	mailcfg.SMTP: {"submission-login", "submission", ""},
}

var dovecotProtocol = map[mailcfg.Protocol]string{mailcfg.POP3: "pop3", mailcfg.IMAP: "imap", mailcfg.SMTP: "submission"}

// render writes the configuration. Inet listener blocks span several lines:
// dovecot 2.3 rejects one-line blocks.
func (c *dovecotConf) render() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	var protocols []string
	for _, proto := range []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP, mailcfg.SMTP} {
		for _, l := range c.listeners {
			if l.Protocol == proto {
				protocols = append(protocols, dovecotProtocol[proto])
				break
			}
		}
	}

	p("# Written by mailsetup's test bed (internal/testbed); one instance per server.")
	p("base_dir = %s/run", c.dir)
	p("state_dir = %s/state", c.dir)
	p("instance_name = %s", c.instance)
	p("log_path = %s/dovecot.log", c.dir)
	p("listen = %s", c.ip)
	p("protocols = %s", strings.Join(protocols, " "))
	p("hostname = %s", c.hostname)
	p("login_greeting = Dovecot ready.")
	// No login_trusted_networks: every client is remote and untrusted, so
	// the plaintext-auth rules below apply to the tests' connections.
	p("login_trusted_networks =")
	if c.plaintextOnly {
		p("ssl = no")
		p("disable_plaintext_auth = no")
	} else {
		// ECDHE only: no ssl_dh is set, so no slow dhparam generation.
		p("ssl = required")
		p("ssl_cert = <%s", c.certFile)
		p("ssl_key = <%s", c.keyFile)
		p("ssl_min_protocol = TLSv1.2")
		p("disable_plaintext_auth = yes")
	}
	if c.oauthConf != "" {
		p("auth_mechanisms = plain login %s", strings.Join(c.oauthMechanisms, " "))
	} else {
		p("auth_mechanisms = plain login")
	}
	p("auth_verbose = yes")
	if !c.penalty {
		// Wrong passwords then answer within dovecot 2.3's 0.5 s check interval, not 2 s.
		p("auth_failure_delay = 0")
		// No brute-force penalty either: every test client comes from
		// 127.0.0.1, and one wrong password would slow the next login by 2-15 s.
		// Credentials are still checked the same way.
		p("service anvil {")
		p("  unix_listener anvil-auth-penalty {")
		p("    mode = 0")
		p("  }")
		p("}")
	}
	p("first_valid_uid = %d", min(c.uid, 100))
	p("first_valid_gid = %d", min(c.gid, 100))
	p("mail_location = maildir:~/Maildir")
	p("submission_relay_host = 127.0.0.1")
	p("submission_relay_port = %d", c.sinkPort)
	if c.oauthConf != "" {
		// Tokens are checked by introspection at the test authorization
		// server; passwords still go to the passwd-file.
		p("passdb {")
		p("  driver = oauth2")
		p("  mechanisms = %s", strings.Join(c.oauthMechanisms, " "))
		p("  args = %s", c.oauthConf)
		p("}")
	}
	p("passdb {")
	p("  driver = passwd-file")
	if c.oauthConf != "" {
		p("  mechanisms = plain login")
	}
	p("  args = scheme=PLAIN username_format=%%u %s", c.usersFile)
	p("}")
	p("userdb {")
	p("  driver = static")
	p("  args = uid=%d gid=%d home=%s/home/%%u", c.uid, c.gid, c.dir)
	p("}")

	byProto := map[mailcfg.Protocol][]Listener{}
	for _, l := range c.listeners {
		byProto[l.Protocol] = append(byProto[l.Protocol], l)
	}
	for _, proto := range []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP, mailcfg.SMTP} {
		svc := loginService[proto]
		ls := byProto[proto]
		sort.Slice(ls, func(i, j int) bool { return ls[i].StdPort < ls[j].StdPort })
		p("service %s {", svc.service)
		for _, def := range []string{svc.plain, svc.tls} {
			if def != "" {
				p("  inet_listener %s {", def)
				p("    port = 0")
				p("  }")
			}
		}
		for _, l := range ls {
			p("  inet_listener %s_%d {", dovecotProtocol[proto], l.StdPort)
			p("    port = %d", c.ports[l.StdPort])
			if l.Security == mailcfg.TLS {
				p("    ssl = yes")
			}
			p("  }")
		}
		p("}")
	}
	return b.String()
}

// oauth2Conf is the oauth2 passdb's configuration: every token is
// introspected (RFC 7662) at the test authorization server, which answers
// "active" only for a live token whose audience names the mail servers;
// dovecot then requires the mail scope and the address as user name.
func oauth2Conf(s *OAuthServer) string {
	return strings.Join([]string{
		"introspection_mode = post",
		"introspection_url = " + s.IntrospectURL,
		"force_introspection = yes",
		"username_attribute = username",
		"active_attribute = active",
		"active_value = true",
		"scope = " + OAuthMailScope,
		"openid_configuration_url = " + s.Issuer + "/.well-known/openid-configuration",
		"timeout_msecs = 5000",
		"",
	}, "\n")
}
