package reliability

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"mailsetup/assistant"
	"mailsetup/dnsx"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
	"mailsetup/probe"
)

// Shorthands for the servers the cases probe.
var (
	pop3s = func(h string) mailcfg.Server { return server(mailcfg.POP3, h, 995, mailcfg.TLS) }
	pop3  = func(h string) mailcfg.Server { return server(mailcfg.POP3, h, 110, mailcfg.STARTTLS) }
	imaps = func(h string) mailcfg.Server { return server(mailcfg.IMAP, h, 993, mailcfg.TLS) }
	imap  = func(h string) mailcfg.Server { return server(mailcfg.IMAP, h, 143, mailcfg.STARTTLS) }
	smtp  = func(h string) mailcfg.Server { return server(mailcfg.SMTP, h, 587, mailcfg.STARTTLS) }
)

// fault is a case against one of the test bed's fault servers.
func fault(kind testbed.FaultKind, srv func(string) mailcfg.Server) func(t *testing.T) serverTarget {
	return func(t *testing.T) serverTarget {
		s := srv(kind.String() + "-" + fmt.Sprint(srv("x").Port) + ".net.rel.test")
		bed.Fault(t, addHost(s.Host), s.Port, kind)
		return serverTarget{srv: s}
	}
}

// own is a case against one of this package's servers.
func own(name string, srv func(string) mailcfg.Server, handle func() func(c netConn)) func(t *testing.T) serverTarget {
	return func(t *testing.T) serverTarget {
		s := srv(name)
		return serverTarget{srv: s, extra: serve(t, addHost(s.Host), s.Port, handle())}
	}
}

// scripted is a case against a scripted server of the test bed that
// speaks what srv expects.
func scripted(name string, srv mailcfg.Server, script testbed.Script) func(t *testing.T) serverTarget {
	return scriptedAs(name, srv, srv.Protocol, srv.Security, script)
}

// scriptedAs probes srv where a scripted server speaks proto with sec.
func scriptedAs(name string, srv mailcfg.Server, proto mailcfg.Protocol, sec mailcfg.Security, script testbed.Script) func(t *testing.T) serverTarget {
	return func(t *testing.T) serverTarget {
		srv.Host = name
		if script.Names == nil && script.Cert != testbed.CertWrongName {
			script.Names = []string{name}
		}
		bed.Scripted(t, addHost(name), srv.Port, sec, proto, script)
		return serverTarget{srv: srv}
	}
}

func matrixCases() []matrixCase {
	var cases []matrixCase
	cases = append(cases, networkCases()...)
	cases = append(cases, tlsCases()...)
	cases = append(cases, dnsCases()...)
	cases = append(cases, httpCases()...)
	return append(cases, oauthCases()...)
}

func networkCases() []matrixCase {
	return []matrixCase{
		{group: "network", name: "connection refused (POP3 995)", want: expect{status: mailcfg.StatusRefused, hint: "refused"},
			server: func(t *testing.T) serverTarget {
				h := "refused.net.rel.test"
				addHost(h) // nothing listens there
				return serverTarget{srv: pop3s(h)}
			}},
		{group: "network", name: "SYN blackhole (POP3 995)", slow: true, want: expect{status: mailcfg.StatusTimeout, hint: "timeout"},
			server: func(t *testing.T) serverTarget {
				h := "blackhole.net.rel.test"
				bed.Blackhole(addHost(h), 995)
				return serverTarget{srv: pop3s(h)}
			}},
		{group: "network", name: "tarpit: accepts, never speaks (POP3 995)", slow: true,
			want: expect{status: mailcfg.StatusTimeout, hint: "timeout"}, server: fault(testbed.Tarpit, pop3s)},
		{group: "network", name: "tarpit: accepts, never speaks (POP3 110)", slow: true,
			want: expect{status: mailcfg.StatusTimeout, hint: "timeout"}, server: fault(testbed.Tarpit, pop3)},
		{group: "network", name: "greeting, then silence (POP3 110)", slow: true,
			want: expect{status: mailcfg.StatusTimeout, hint: "timeout"}, server: fault(testbed.GreetThenSilence, pop3)},
		{group: "network", name: "greeting with capabilities inside TLS, then silence (IMAP 993)",
			want: expect{status: mailcfg.StatusOK}, server: func(t *testing.T) serverTarget {
				st := fault(testbed.GreetThenSilence, imaps)(t)
				st.check = func(context.Context, probe.Result, *assistant.Diagnosis) (string, error) {
					return "the greeting says all a probe needs; the unanswered LOGOUT is not waited for", nil
				}
				return st
			}},
		{group: "network", name: "reset right after accept (POP3 110)",
			want: expect{status: mailcfg.StatusError, hint: "connection_reset"}, server: fault(testbed.ResetAfterAccept, pop3)},
		{group: "network", name: "reset mid-greeting (POP3 110)",
			want:   expect{status: mailcfg.StatusError, hint: "connection_reset"},
			server: own("reset-greeting.net.rel.test", pop3, func() func(netConn) { return ResetAfter([]byte("+OK POP3 ser"), false) })},
		{group: "network", name: "reset mid-TLS-handshake (POP3 995)",
			want: expect{status: mailcfg.StatusTLSError, hint: "tls_error"},
			server: own("reset-tls.net.rel.test", pop3s, func() func(netConn) {
				// The start of a ServerHello record, then RST.
				return ResetAfter([]byte{0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00}, true)
			})},
		{group: "network", name: "reset mid-capabilities (POP3 110)",
			want: expect{status: mailcfg.StatusError, hint: "connection_reset"},
			server: own("reset-capa.net.rel.test", pop3, func() func(netConn) {
				return Dialogue{Greeting: "+OK ready", Answer: func(string) (string, After) {
					return "+OK Capability list follows\nUSER\nTOP", ThenReset
				}}.Serve
			})},
		{group: "network", name: "slow drip, 1 byte/s (POP3 110)", slow: true,
			want: expect{status: mailcfg.StatusTimeout, hint: "timeout"}, server: fault(testbed.SlowDrip, pop3)},
		{group: "network", name: "1 MiB line without end (POP3 110)",
			want: expect{status: mailcfg.StatusProtocolError, hint: "protocol_error"}, server: fault(testbed.HugeLine, pop3)},
		{group: "network", name: "1 MiB line without end, inside TLS (IMAP 993)",
			want: expect{status: mailcfg.StatusProtocolError, hint: "protocol_error"}, server: fault(testbed.HugeLine, imaps)},
		{group: "network", name: "64 KiB of binary garbage (POP3 110)",
			want: expect{status: mailcfg.StatusProtocolError, hint: "protocol_error"}, server: fault(testbed.Garbage, pop3)},
		{group: "network", name: "binary garbage on a TLS port (POP3 995)",
			want: expect{status: mailcfg.StatusTLSError, hint: "tls_wrong_mode"}, server: fault(testbed.Garbage, pop3s)},
		{group: "network", name: "wrong protocol: SMTP greeting on POP3 110",
			want: expect{status: mailcfg.StatusProtocolError, hint: "protocol_error"}, server: fault(testbed.WrongProtocol, pop3)},
		{group: "network", name: "wrong protocol: HTTP server on POP3 995",
			want: expect{status: mailcfg.StatusTLSError, hint: "tls_wrong_mode"}, server: fault(testbed.HTTPOnMailPort, pop3s)},
		{group: "network", name: "wrong protocol: POP3 server on SMTP 587",
			want:   expect{status: mailcfg.StatusProtocolError, hint: "protocol_error"},
			server: scriptedAs("pop3-on-587.net.rel.test", smtp(""), mailcfg.POP3, mailcfg.None, testbed.Script{})},
	}
}

func tlsCases() []matrixCase {
	certCase := func(kind testbed.CertKind, hint string) matrixCase {
		name := kind.String() + ".tls.rel.test"
		return matrixCase{group: "tls", name: "certificate " + kind.String() + " (IMAP 993)",
			want:   expect{status: mailcfg.StatusCertInvalid, hint: hint},
			server: scripted(name, imaps(""), testbed.Script{Cert: kind})}
	}
	return []matrixCase{
		certCase(testbed.CertExpired, "cert_expired"),
		certCase(testbed.CertNotYetValid, "cert_not_yet_valid"),
		certCase(testbed.CertWrongName, "cert_name_mismatch"),
		certCase(testbed.CertSelfSigned, "cert_self_signed"),
		certCase(testbed.CertUnknownCA, "cert_unknown_authority"),
		{group: "tls", name: "1024-bit RSA key, trusted chain (IMAP 993)",
			want: expect{status: mailcfg.StatusOK},
			server: func(t *testing.T) serverTarget {
				h := "rsa1024.tls.rel.test"
				cert, err := ours.IssueRSA(1024, h)
				if err != nil {
					t.Fatal(err)
				}
				cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
				return serverTarget{srv: imaps(h), extra: serve(t, addHost(h), 993, OverTLS(cfg, IMAPServer().Serve)),
					check: func(_ context.Context, res probe.Result, _ *assistant.Diagnosis) (string, error) {
						return "Go accepts 1024 bits; it refuses fewer on both sides (crypto/rsa), so the bed cannot even serve a smaller key", nil
					}}
			}},
		{group: "tls", name: "TLS 1.0 only (IMAP 993)",
			want: expect{status: mailcfg.StatusTLSError, hint: "tls_old_server"},
			server: func(t *testing.T) serverTarget {
				h := "tls10.tls.rel.test"
				cfg := &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10,
					Certificates: []tls.Certificate{bed.TLSCert(testbed.CertValid, h)}}
				return serverTarget{srv: imaps(h), extra: serve(t, addHost(h), 993, OverTLS(cfg, IMAPServer().Serve))}
			}},
		{group: "tls", name: "handshake_failure alert (IMAP 993)",
			want: expect{status: mailcfg.StatusTLSError, hint: "tls_old_server"}, server: fault(testbed.TLSHandshakeFail, imaps)},
		{group: "tls", name: "STARTTLS advertised, then refused with 454 (SMTP 587)",
			want: expect{status: mailcfg.StatusTLSError, hint: "starttls_missing"},
			server: scripted("starttls-454.tls.rel.test", smtp(""), testbed.Script{
				Replies: map[string]string{"STARTTLS": "454 4.7.0 TLS not available due to temporary reason"}})},
		{group: "tls", name: "STLS advertised, then the connection closes (POP3 110)",
			want: expect{status: mailcfg.StatusTLSError, hint: "tls_error"},
			server: own("stls-close.tls.rel.test", pop3, func() func(netConn) {
				return Dialogue{Greeting: "+OK ready", Answer: func(line string) (string, After) {
					switch strings.ToUpper(line) {
					case "CAPA":
						return "+OK\nSTLS\nUSER\n.", ThenContinue
					case "STLS":
						return "", ThenClose
					}
					return "-ERR no", ThenContinue
				}}.Serve
			})},
		{group: "tls", name: "STLS accepted, then the handshake fails (POP3 110)",
			want: expect{status: mailcfg.StatusTLSError, hint: "tls_old_server"}, server: fault(testbed.TLSHandshakeFail, pop3)},
		stripCase(mailcfg.POP3, 110), stripCase(mailcfg.IMAP, 143), stripCase(mailcfg.SMTP, 587),
	}
}

// stripCase puts a man in the middle that removes STARTTLS from a real
// dovecot's capabilities: the probe must call it insecure, and a login
// must not send anything, not even with --allow-insecure.
func stripCase(proto mailcfg.Protocol, port int) matrixCase {
	return matrixCase{group: "tls", name: fmt.Sprintf("STARTTLS stripped by a man in the middle (%s %d, dovecot)", strings.ToUpper(string(proto)), port),
		want: expect{status: mailcfg.StatusInsecure, hint: "starttls_missing"},
		server: func(t *testing.T) serverTarget {
			h := fmt.Sprintf("stripped-%d.tls.rel.test", port)
			p := &StripProxy{Upstream: mail.Addr(port)}
			srv := server(proto, h, port, mailcfg.STARTTLS)
			st := serverTarget{srv: srv, extra: serve(t, addHost(h), port, p.Handle)}
			st.check = func(ctx context.Context, res probe.Result, _ *assistant.Diagnosis) (string, error) {
				srv.Username = "alice@secrets.rel.test"
				login := probe.Login(ctx, srv, probe.Credentials{Password: password}, probe.LoginOptions{
					Options:       probe.Options{Resolver: mustResolver(bed.DNSAddr), Dialer: dialer(st.extra), RootCAs: roots, Timeout: probeTimeout},
					AllowInsecure: true})
				var refused *probe.RefusedError
				if login.OK || !errors.As(login.Err, &refused) {
					return "", fmt.Errorf("login through the stripping proxy: ok=%v err=%v, want a refusal", login.OK, login.Err)
				}
				if line, sent := p.SentCredentials(); sent {
					return "", fmt.Errorf("credentials crossed the stripped connection: %q", line)
				}
				return "login refused even with --allow-insecure; nothing sent", nil
			}
			return st
		}}
}

func mustResolver(server string) *dnsx.Resolver {
	r, err := dnsx.New(dnsx.Options{Server: server})
	if err != nil {
		panic(err)
	}
	return r
}

func dnsCases() []matrixCase {
	return []matrixCase{
		{group: "dns", name: "DNS server never answers (discover)", bound: engineTimeout + time.Second,
			want: expect{words: "nothing recommended", hint: "dns_failure"},
			domain: func(t *testing.T) domainTarget {
				return domainTarget{email: "alice@deaddns.rel.test", dns: bed.DeadDNSAddr(), verify: nothingRecommended}
			}},
		{group: "dns", name: "SERVFAIL for the domain (discover)",
			want: expect{words: "nothing recommended", hint: "dns_failure"},
			domain: func(t *testing.T) domainTarget {
				bed.SetRcode("dnsfail.rel.test", dns.RcodeServerFailure)
				return domainTarget{email: "alice@dnsfail.rel.test", verify: nothingRecommended}
			}},
		{group: "dns", name: "REFUSED for the domain (discover)",
			want: expect{words: "nothing recommended", hint: "dns_failure"},
			domain: func(t *testing.T) domainTarget {
				bed.SetRcode("dnsrefused.rel.test", dns.RcodeRefused)
				return domainTarget{email: "alice@dnsrefused.rel.test", verify: nothingRecommended}
			}},
		{group: "dns", name: "answer truncated over UDP, complete over TCP (IMAP 993)",
			want: expect{status: mailcfg.StatusOK},
			server: func(t *testing.T) serverTarget {
				h := "mail.trunc.rel.test" // the dovecot's address comes first
				for i := 1; i < 100; i++ {
					bed.AddA(h, fmt.Sprintf("127.201.0.%d", i))
				}
				return serverTarget{srv: imaps(h), check: func(ctx context.Context, res probe.Result, _ *assistant.Diagnosis) (string, error) {
					ans, err := mustResolver(bed.DNSAddr).Query(ctx, h, dns.TypeA)
					if err != nil {
						return "", err
					}
					if !ans.Truncated || !ans.UsedTCP || len(ans.Records) != 100 {
						return "", fmt.Errorf("truncated=%v tcp=%v records=%d, want a truncated UDP answer and 100 records over TCP",
							ans.Truncated, ans.UsedTCP, len(ans.Records))
					}
					return "100 A records, retried over TCP", nil
				}}
			}},
		{group: "dns", name: "CNAME loop, server gives up with SERVFAIL (IMAP 993)",
			want: expect{status: mailcfg.StatusUnresolved, hint: "dns_failure"},
			server: func(t *testing.T) serverTarget {
				bed.AddCNAME("mail.loop.rel.test", "mx.loop.rel.test")
				bed.AddCNAME("mx.loop.rel.test", "mail.loop.rel.test")
				return serverTarget{srv: imaps("mail.loop.rel.test")}
			}},
		{group: "dns", name: "CNAME loop, one alias per answer (IMAP 993)",
			want: expect{status: mailcfg.StatusUnresolved, hint: "unresolved"},
			server: func(t *testing.T) serverTarget {
				alias, err := StartAliasServer(map[string]string{
					"mail.hops.rel.test": "a.hops.rel.test", "a.hops.rel.test": "b.hops.rel.test", "b.hops.rel.test": "mail.hops.rel.test"})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(alias.Close)
				return serverTarget{srv: imaps("mail.hops.rel.test"), dns: alias.Addr,
					check: func(_ context.Context, res probe.Result, _ *assistant.Diagnosis) (string, error) {
						if !errors.Is(res.Err, dnsx.ErrCNAMELoop) {
							return "", fmt.Errorf("error %v, want a CNAME loop", res.Err)
						}
						return "the resolver detects the loop", nil
					}}
			}},
		{group: "dns", name: `SRV target "." for every service (discover)`,
			want: expect{words: "no SRV candidate, no SRV error, nothing recommended"},
			domain: func(t *testing.T) domainTarget {
				for _, s := range []string{"submissions", "submission", "imaps", "imap", "pop3s", "pop3"} {
					bed.AddSRV("_"+s+"._tcp.srvdot.rel.test", ".", 0, 0, 0)
				}
				return domainTarget{email: "alice@srvdot.rel.test", verify: func(_ context.Context, _ *assistant.Engine, rep *assistant.Report) (string, error) {
					for _, c := range rep.Candidates {
						if contains(sourceNames(c), "srv") {
							return "", fmt.Errorf("SRV named %s:%d", c.Host, c.Port)
						}
					}
					if e := sourceError(rep, "srv"); e != "" {
						return "", fmt.Errorf("SRV source error %q", e)
					}
					if rep.Recommended.Incoming != nil || rep.Recommended.Outgoing != nil {
						return "", fmt.Errorf("something recommended: %+v", rep.Recommended)
					}
					return "no SRV candidate, no SRV error, nothing recommended", nil
				}}
			}},
		{group: "dns", name: "SRV target outside the domain (discover, then check)",
			want: expect{words: "ok but untrusted; no password sent"},
			domain: func(t *testing.T) domainTarget {
				for s, port := range map[string]int{"pop3s": 995, "imaps": 993, "submissions": 465} {
					bed.AddSRV("_"+s+"._tcp.outside.rel.test", "mail.outside-provider.test", port, 0, 0)
				}
				return domainTarget{email: "alice@outside.rel.test", verify: untrustedAndRefused("mail.outside-provider.test", "srv")}
			}},
	}
}

func httpCases() []matrixCase {
	return []matrixCase{
		{group: "http", name: "autoconfig over plain HTTP only (discover, then check)",
			want: expect{words: "ok but untrusted; no password sent"},
			domain: func(t *testing.T) domainTarget {
				h := "mailhost.httponly.rel.test"
				doc := testbed.AutoconfigXML("httponly.rel.test", pop3s(h), imaps(h), server(mailcfg.SMTP, h, 465, mailcfg.TLS))
				bed.HTTP(t, "", []string{"autoconfig.httponly.rel.test"}, testbed.AutoconfigHandler(doc))
				return domainTarget{email: "alice@httponly.rel.test", verify: untrustedAndRefused(h, "autoconfig")}
			}},
		// Autodiscover follows HTTP redirects itself, at most two in a row.
		hostileWeb("redirect", "redirect loop", "too many HTTP redirects", "a third redirect", redirectLoop(), redirectLoop()),
		hostileWeb("bigbody", "50 MB body (chunked; Content-Length)", "document larger than 1 MiB", "",
			bigBody(50<<20, false), bigBody(50<<20, true)),
		hostileWeb("malformed", "malformed XML", "malformed document", "", fixedBody(malformedConfig), fixedBody(malformedAutodiscover)),
		hostileWeb("bomb", "XML entity bomb", "document declares a DOCTYPE or ENTITY", "", fixedBody(entityBomb), fixedBody(entityBomb)),
		{group: "http", name: "Autodiscover redirects to itself (discover)",
			want: expect{words: "autodiscover: redirect loop; ok via guess"},
			domain: func(t *testing.T) domainTarget {
				bed.HTTPS(t, "", []string{"autodiscover.adloop.rel.test"}, testbed.CertValid,
					fixedBody(redirectAddrDoc("alice@adloop.rel.test")))
				return domainTarget{email: "alice@adloop.rel.test",
					verify: failedSafely("mail.adloop.rel.test", map[string]string{"autodiscover": "redirect loop"})}
			}},
	}
}

// hostileWeb serves a hostile autoconfig and Autodiscover answer for
// <slug>.rel.test, whose mail. host is a working dovecot that guessing
// finds: both sources must fail with want (Autodiscover with adWant when
// it words it differently), and the run still succeed.
func hostileWeb(slug, what, want, adWant string, autoconfig, autodiscover httpHandler) matrixCase {
	domain := slug + ".rel.test"
	words := "autoconfig and autodiscover: " + want
	if adWant == "" {
		adWant = want
	} else {
		words = "autoconfig: " + want + "; autodiscover: " + adWant
	}
	return matrixCase{group: "http", name: what + " (discover)",
		want: expect{words: words + "; ok via guess"},
		domain: func(t *testing.T) domainTarget {
			bed.HTTPS(t, "", []string{"autoconfig." + domain}, testbed.CertValid, autoconfig)
			bed.HTTPS(t, "", []string{"autodiscover." + domain}, testbed.CertValid, autodiscover)
			return domainTarget{email: "alice@" + domain,
				verify: failedSafely("mail."+domain, map[string]string{"autoconfig": want, "autodiscover": adWant})}
		}}
}

// nothingRecommended checks a run that found nothing usable.
func nothingRecommended(_ context.Context, _ *assistant.Engine, rep *assistant.Report) (string, error) {
	if rep.Recommended.Incoming != nil || rep.Recommended.Outgoing != nil {
		return "", fmt.Errorf("something recommended: %+v", rep.Recommended)
	}
	return "nothing recommended; " + statusCounts(rep), nil
}

// untrustedAndRefused checks that host is recommended but flagged
// untrusted (named only by source), and that a check refuses to send it
// the password.
func untrustedAndRefused(host, source string) func(context.Context, *assistant.Engine, *assistant.Report) (string, error) {
	return func(ctx context.Context, eng *assistant.Engine, rep *assistant.Report) (string, error) {
		in := rep.Best(mailcfg.Incoming)
		if in == nil || in.Host != host {
			return "nothing recommended", fmt.Errorf("incoming %+v, want %s", rep.Recommended.Incoming, host)
		}
		obs := fmt.Sprintf("%s %s:%d %s, trusted=%v (%s)", in.Status, in.Host, in.Port, strings.Join(sourceNames(*in), "+"), in.Trusted, in.Why)
		if in.Status != mailcfg.StatusOK || in.Trusted || !contains(sourceNames(*in), source) {
			return obs, fmt.Errorf("want status ok, untrusted, from %s", source)
		}
		eng.Check(ctx, rep, assistant.LoginRequest{Password: password})
		lo := rep.Login.Incoming
		if lo == nil || lo.OK || lo.Mechanism != "" || !strings.Contains(lo.Error, "untrusted") {
			return obs, fmt.Errorf("check: %+v, want a refusal before any login", lo)
		}
		return obs + "; check refused to send the password", nil
	}
}

// failedSafely checks that each named source failed with the wanted error
// and that host, found by guessing, is still recommended.
func failedSafely(host string, wantErrs map[string]string) func(context.Context, *assistant.Engine, *assistant.Report) (string, error) {
	return func(_ context.Context, _ *assistant.Engine, rep *assistant.Report) (string, error) {
		var obs []string
		var problems []string
		for src, want := range wantErrs {
			e := sourceError(rep, src)
			obs = append(obs, src+": "+want)
			if !strings.Contains(e, want) {
				problems = append(problems, fmt.Sprintf("%s error %q, want %q", src, e, want))
			}
		}
		in := rep.Best(mailcfg.Incoming)
		if in == nil || in.Host != host || in.Status != mailcfg.StatusOK {
			problems = append(problems, fmt.Sprintf("incoming %+v, want %s", rep.Recommended.Incoming, host))
		} else {
			obs = append(obs, fmt.Sprintf("ok via %s", strings.Join(sourceNames(*in), "+")))
		}
		if len(problems) > 0 {
			return strings.Join(obs, "; "), errors.New(strings.Join(problems, "; "))
		}
		return strings.Join(obs, "; "), nil
	}
}

func sourceNames(c assistant.Candidate) []string {
	var out []string
	for _, s := range c.Sources {
		out = append(out, string(s))
	}
	return out
}

func sourceError(rep *assistant.Report, name string) string {
	for _, s := range rep.Sources {
		if string(s.Name) == name {
			return s.Error
		}
	}
	return ""
}

// statusCounts sums up the candidates' statuses: "12 unresolved, 2 timeout".
func statusCounts(rep *assistant.Report) string {
	counts := map[mailcfg.Status]int{}
	for _, c := range rep.Candidates {
		counts[c.Status]++
	}
	var parts []string
	for _, s := range mailcfg.AllStatuses {
		if n := counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		return "no candidates"
	}
	return strings.Join(parts, ", ")
}
