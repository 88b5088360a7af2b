package probe

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"mailsetup/internal/portmap"
	"mailsetup/mailcfg"
)

var popCaps = []string{"TOP", "USER", "SASL PLAIN LOGIN CRAM-MD5", "UIDL"}

func TestProbePOP3(t *testing.T) {
	pki := certs(t)
	tests := []struct {
		name     string
		script   *pop3Script
		security mailcfg.Security
		status   mailcfg.Status
		errWords string
		check    func(t *testing.T, r Result)
	}{
		{
			name:     "implicit TLS",
			script:   &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)},
			security: mailcfg.TLS, status: mailcfg.StatusOK,
			check: func(t *testing.T, r Result) {
				if r.TLS == nil || !r.TLS.Verified || r.TLS.Version == "" || r.TLS.SHA256 != certSHA256(pki.valid.Certificate[0]) {
					t.Errorf("TLS = %+v", r.TLS)
				}
				if !r.APOP || strings.Join(r.AuthMechanisms, " ") != "PLAIN LOGIN CRAM-MD5" {
					t.Errorf("APOP %v, mechanisms %v", r.APOP, r.AuthMechanisms)
				}
				if !strings.HasPrefix(r.Greeting, "+OK POP3 ready") || len(r.Capabilities) != len(popCaps) {
					t.Errorf("greeting %q, capabilities %q", r.Greeting, r.Capabilities)
				}
			},
		},
		{
			name:     "STLS offered",
			script:   &pop3Script{capa: append([]string{"STLS"}, popCaps...), stls: serverTLS(pki.valid)},
			security: mailcfg.STARTTLS, status: mailcfg.StatusOK,
			check: func(t *testing.T, r Result) {
				if !r.StartTLSOffered || !hasWord(r.CapabilitiesBeforeTLS, "STLS") || r.TLS == nil || !r.TLS.Verified {
					t.Errorf("before %q, offered %v, TLS %+v", r.CapabilitiesBeforeTLS, r.StartTLSOffered, r.TLS)
				}
			},
		},
		{
			name:     "STLS works though CAPA is unknown",
			script:   &pop3Script{stls: serverTLS(pki.valid)},
			security: mailcfg.STARTTLS, status: mailcfg.StatusOK,
		},
		{
			name:     "STLS not offered",
			script:   &pop3Script{capa: popCaps},
			security: mailcfg.STARTTLS, status: mailcfg.StatusInsecure, errWords: "server does not offer STARTTLS",
		},
		{
			name:     "no CAPA and no STLS",
			script:   &pop3Script{},
			security: mailcfg.STARTTLS, status: mailcfg.StatusInsecure, errWords: "server does not offer STARTTLS",
		},
		{
			name:     "plain on purpose",
			script:   &pop3Script{capa: append([]string{"STLS"}, popCaps...)},
			security: mailcfg.None, status: mailcfg.StatusInsecure, errWords: "not encrypted (the server offers STARTTLS)",
		},
		{
			name:     "refusing greeting",
			script:   &pop3Script{greeting: "-ERR too many connections from your IP"},
			security: mailcfg.None, status: mailcfg.StatusError, errWords: "server refused the session: -ERR too many connections",
		},
		{
			name:     "SMTP greeting",
			script:   &pop3Script{greeting: "220 mx.example.test ESMTP Postfix"},
			security: mailcfg.STARTTLS, status: mailcfg.StatusProtocolError,
			errWords: "expected a POP3 greeting, got an SMTP one: 220 mx.example.test ESMTP Postfix",
		},
		{
			name:     "IMAP greeting",
			script:   &pop3Script{greeting: "* OK [CAPABILITY IMAP4rev1] Dovecot ready."},
			security: mailcfg.None, status: mailcfg.StatusProtocolError,
			errWords: "expected a POP3 greeting, got an IMAP one: * OK",
		},
		{
			name:     "HTTP",
			script:   &pop3Script{greeting: "HTTP/1.1 400 Bad Request"},
			security: mailcfg.None, status: mailcfg.StatusProtocolError,
			errWords: "got an HTTP response: HTTP/1.1 400 Bad Request",
		},
		{
			name:     "plain server on a TLS port",
			script:   &pop3Script{capa: popCaps},
			security: mailcfg.TLS, status: mailcfg.StatusTLSError,
			errWords: "did not answer with TLS",
		},
		{
			name:     "TLS server on a plain port",
			script:   &pop3Script{capa: popCaps, implicitTLS: serverTLS(pki.valid)},
			security: mailcfg.STARTTLS, status: mailcfg.StatusTimeout,
			errWords: "no greeting",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := tt.script.start(t)
			o := testOptions(t)
			if tt.status == mailcfg.StatusTimeout {
				o.Timeout = 300 * time.Millisecond
			}
			r := Probe(context.Background(), server(mailcfg.POP3, port, tt.security), o)
			if r.Status != tt.status || !strings.Contains(r.Error, tt.errWords) {
				t.Fatalf("status %s, error %q; want %s, %q", r.Status, r.Error, tt.status, tt.errWords)
			}
			if tt.status == mailcfg.StatusOK && r.Error != "" {
				t.Errorf("ok with error %q", r.Error)
			}
			if r.Addr == "" || len(r.Addrs) != 1 || r.Timings.Total <= 0 {
				t.Errorf("addr %q, addrs %v, total %v", r.Addr, r.Addrs, r.Timings.Total)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// rawServer answers every connection with fixed bytes, then waits for the
// client to leave.
func rawServer(t *testing.T, data []byte) int {
	return listen(t, func(c net.Conn) {
		c.Write(data)
		io.Copy(io.Discard, c)
	})
}

func TestProbeNotMail(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		proto mailcfg.Protocol
		words string
	}{
		{"binary garbage", []byte{0x00, 0x01, 0xfe, 0xff, 0x42}, mailcfg.POP3, "expected a POP3 greeting, got binary data: 5 bytes: 00 01 fe ff 42"},
		{"TLS record on a plain port", []byte{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46}, mailcfg.IMAP, "got TLS data"},
		{"SSH", []byte("SSH-2.0-OpenSSH_9.2\r\n"), mailcfg.SMTP, "expected an SMTP greeting, got an SSH banner: SSH-2.0-OpenSSH_9.2"},
		{"POP3 on an SMTP probe", []byte("+OK ready\r\n"), mailcfg.SMTP, "expected an SMTP greeting, got a POP3 one: +OK ready"},
		{"unknown text", []byte("hello there\r\n"), mailcfg.IMAP, "expected an IMAP greeting, got: hello there"},
		{"endless line", []byte(strings.Repeat("A", maxLine+10)), mailcfg.SMTP, "longer than 16384 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := rawServer(t, tt.data)
			r := Probe(context.Background(), server(tt.proto, port, mailcfg.None), testOptions(t))
			if r.Status != mailcfg.StatusProtocolError || !strings.Contains(r.Error, tt.words) {
				t.Fatalf("status %s, error %q; want protocol_error, %q", r.Status, r.Error, tt.words)
			}
		})
	}
}

func TestProbeUnreachable(t *testing.T) {
	t.Run("tarpit", func(t *testing.T) {
		port := listen(t, func(c net.Conn) { io.Copy(io.Discard, c) }) // accepts, never speaks
		o := testOptions(t)
		o.Timeout = 200 * time.Millisecond
		r := Probe(context.Background(), server(mailcfg.IMAP, port, mailcfg.TLS), o)
		if r.Status != mailcfg.StatusTimeout || !strings.Contains(r.Error, "TLS handshake did not finish") {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		r := Probe(context.Background(), server(mailcfg.POP3, port, mailcfg.TLS), testOptions(t))
		if r.Status != mailcfg.StatusRefused || !strings.Contains(r.Error, "refused") {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("unresolved", func(t *testing.T) {
		srv := server(mailcfg.POP3, 995, mailcfg.TLS)
		srv.Host = "pop.nowhere.test"
		r := Probe(context.Background(), srv, testOptions(t))
		if r.Status != mailcfg.StatusUnresolved || !strings.Contains(r.Error, "pop.nowhere.test does not resolve") {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("no resolver", func(t *testing.T) {
		o := testOptions(t)
		o.Resolver = nil
		r := Probe(context.Background(), server(mailcfg.POP3, 995, mailcfg.TLS), o)
		if r.Status != mailcfg.StatusUnresolved {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("port 25 blocked", func(t *testing.T) {
		o := testOptions(t)
		o.Timeout = 200 * time.Millisecond
		o.Dialer = &portmap.PortMap{Map: map[string]string{"127.0.0.1:25": portmap.Blackhole}}
		r := Probe(context.Background(), server(mailcfg.SMTP, 25, mailcfg.STARTTLS), o)
		if r.Status != mailcfg.StatusTimeout || r.Error != "no answer on port 25 — probably blocked by your network or ISP" {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		port := listen(t, func(c net.Conn) { cancel(); io.Copy(io.Discard, c) })
		r := Probe(ctx, server(mailcfg.POP3, port, mailcfg.None), testOptions(t))
		if r.Status != mailcfg.StatusAbandoned {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
	t.Run("invalid server", func(t *testing.T) {
		r := Probe(context.Background(), mailcfg.Server{Protocol: "nntp", Host: testHost, Port: 119, Security: mailcfg.None}, testOptions(t))
		if r.Status != mailcfg.StatusError {
			t.Fatalf("status %s, error %q", r.Status, r.Error)
		}
	})
}

func TestProbeByteBudget(t *testing.T) {
	// A server that sends capability lines without end.
	port := listen(t, func(c net.Conn) {
		s := newScriptConn(c, nil)
		s.send("+OK ready")
		s.read()
		s.send("+OK")
		line := strings.Repeat("X", 1000)
		for {
			if _, err := io.WriteString(c, line+"\r\n"); err != nil {
				return
			}
		}
	})
	r := Probe(context.Background(), server(mailcfg.POP3, port, mailcfg.None), testOptions(t))
	if r.Status != mailcfg.StatusProtocolError {
		t.Fatalf("status %s, error %q", r.Status, r.Error)
	}
}

func TestProbeCertificates(t *testing.T) {
	pki := certs(t)
	tests := []struct {
		name    string
		cert    tls.Certificate
		problem CertProblem
		words   string
	}{
		{"valid", pki.valid, CertOK, ""},
		{"expired", pki.expired, CertExpired, "certificate expired on 2026-01-02"},
		{"wrong name", pki.wrongName, CertNameMismatch, "certificate is for mail.other.test, not mail.example.test"},
		{"self-signed", pki.selfSigned, CertSelfSigned, "self-signed certificate"},
		{"unknown CA", pki.unknownCA, CertUnknownAuthority, "certificate signed by an unknown authority (issuer Other CA)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := (&pop3Script{capa: popCaps, implicitTLS: serverTLS(tt.cert)}).start(t)
			srv := server(mailcfg.POP3, port, mailcfg.TLS)
			r := Probe(context.Background(), srv, testOptions(t))
			want := mailcfg.StatusCertInvalid
			if tt.problem == CertOK {
				want = mailcfg.StatusOK
			}
			if r.Status != want || r.TLS == nil || r.TLS.Problem != tt.problem || r.TLS.Error != tt.words || r.Error != tt.words {
				t.Fatalf("status %s, error %q, TLS %+v", r.Status, r.Error, r.TLS)
			}
			if r.TLS.Verified != (tt.problem == CertOK) || r.TLS.Pinned {
				t.Errorf("verified %v, pinned %v", r.TLS.Verified, r.TLS.Pinned)
			}
			// The facts are there, to be shown and pinned.
			if r.TLS.SHA256 != certSHA256(tt.cert.Certificate[0]) || r.TLS.Subject == "" || r.TLS.NotAfter.IsZero() || len(r.TLS.Chain) != 1 {
				t.Errorf("facts %+v", r.TLS)
			}
			// Pinning the certificate makes it acceptable.
			o := testOptions(t)
			o.Trusted = []string{"0000", fingerprint(tt.cert)}
			r = Probe(context.Background(), srv, o)
			if r.Status != mailcfg.StatusOK || !r.TLS.Pinned || !r.TLS.Verified || r.TLS.Problem != tt.problem {
				t.Fatalf("pinned: status %s, error %q, TLS %+v", r.Status, r.Error, r.TLS)
			}
		})
	}
}

func TestProbePhasesAndTranscript(t *testing.T) {
	pki := certs(t)
	port := (&pop3Script{capa: append([]string{"STLS"}, popCaps...), stls: serverTLS(pki.valid)}).start(t)
	o := testOptions(t)
	var phases []string
	o.OnPhase = func(p Phase) { phases = append(phases, string(p)) }
	var log syncBuffer
	o.Transcript = &log
	r := Probe(context.Background(), server(mailcfg.POP3, port, mailcfg.STARTTLS), o)
	if r.Status != mailcfg.StatusOK {
		t.Fatalf("status %s, error %q", r.Status, r.Error)
	}
	if got := strings.Join(phases, " "); got != "resolve connect greeting capabilities starttls capabilities" {
		t.Errorf("phases %q", got)
	}
	label := "[" + server(mailcfg.POP3, port, mailcfg.STARTTLS).HostPort() + "] "
	for _, want := range []string{"S: +OK POP3 ready", "C: CAPA", "S: STLS", "C: STLS", "S: +OK begin TLS", "* TLS1.3", "C: QUIT"} {
		if !strings.Contains(log.String(), label+want) {
			t.Errorf("transcript lacks %q:\n%s", label+want, log.String())
		}
	}
}
