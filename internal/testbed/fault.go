package testbed

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"mailsetup/mailcfg"
)

// FaultKind is how a fault server misbehaves. The protocol and security
// come from the standard port (995 POP3 over TLS, 110 POP3 with STARTTLS,
// …; other ports count as POP3 without TLS).
type FaultKind int

const (
	// Tarpit accepts and never sends a byte (on TLS ports: no ServerHello).
	Tarpit FaultKind = iota + 1
	// GreetThenSilence sends the protocol's greeting (inside TLS on
	// implicit-TLS ports), then never answers.
	GreetThenSilence
	// Garbage sends 64 KiB of binary noise at once (before any TLS).
	Garbage
	// HugeLine sends a greeting line that never ends: 1 MiB without a
	// newline (inside TLS on implicit-TLS ports).
	HugeLine
	// SlowDrip sends the greeting one byte per SlowDripInterval (inside TLS
	// on implicit-TLS ports).
	SlowDrip
	// WrongProtocol greets in another protocol (inside TLS on implicit-TLS
	// ports): SMTP's on POP3 ports, POP3's on IMAP ports, IMAP's on SMTP ports.
	WrongProtocol
	// ResetAfterAccept accepts and resets the connection (RST) at once.
	ResetAfterAccept
	// TLSHandshakeFail answers the ClientHello with a handshake_failure
	// alert; on STARTTLS ports it greets, accepts STARTTLS/STLS, then fails.
	TLSHandshakeFail
	// HTTPOnMailPort is a web server on a mail port: it waits for the client
	// to speak and answers anything (a ClientHello too) with HTTP 400.
	HTTPOnMailPort
)

var faultNames = map[FaultKind]string{
	Tarpit: "tarpit", GreetThenSilence: "greet-then-silence", Garbage: "garbage", HugeLine: "huge-line",
	SlowDrip: "slow-drip", WrongProtocol: "wrong-protocol", ResetAfterAccept: "reset-after-accept",
	TLSHandshakeFail: "tls-handshake-fail", HTTPOnMailPort: "http-on-mail-port",
}

func (k FaultKind) String() string {
	if s, ok := faultNames[k]; ok {
		return s
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// SlowDripInterval is the pause between bytes of a SlowDrip server.
const SlowDripInterval = time.Second

// HugeLineSize is how many bytes a HugeLine server sends without a newline.
const HugeLineSize = 1 << 20

// FaultServer is a running fault server.
type FaultServer struct {
	IP       string
	StdPort  int
	Kind     FaultKind
	Addr     string // actual "ip:port"
	Protocol mailcfg.Protocol
	Security mailcfg.Security

	bed      *Bed
	tls      *tls.Config
	srv      *TCPServer
	scripted *ScriptedServer // TLSHandshakeFail on a STARTTLS port
}

// Fault starts a fault server on ip (empty: a new address) as ip:stdPort;
// it stops when t's test ends. TLS certificates are valid for whatever
// name the client asks for.
func (b *Bed) Fault(t testing.TB, ip string, stdPort int, kind FaultKind) *FaultServer {
	if t != nil {
		t.Helper()
	}
	f, err := b.StartFault(ip, stdPort, kind)
	if err != nil {
		fail(t, err)
	}
	if t != nil {
		t.Cleanup(f.Close)
	}
	return f
}

// StartFault is Fault for callers without a testing.TB.
func (b *Bed) StartFault(ip string, stdPort int, kind FaultKind) (*FaultServer, error) {
	if _, ok := faultNames[kind]; !ok {
		return nil, fmt.Errorf("unknown fault kind %d", int(kind))
	}
	ip = b.ipOrNew(ip)
	proto, sec, ok := mailcfg.InferFromPort(stdPort)
	if !ok {
		proto, sec = mailcfg.POP3, mailcfg.None
	}
	f := &FaultServer{IP: ip, StdPort: stdPort, Kind: kind, Protocol: proto, Security: sec, bed: b, tls: b.serverTLS(CertValid, nil)}
	if kind == TLSHandshakeFail && sec == mailcfg.STARTTLS {
		s, err := b.StartScripted(ip, stdPort, sec, proto, Script{BrokenTLS: true})
		if err != nil {
			return nil, err
		}
		f.scripted, f.Addr = s, s.Addr
		return f, nil
	}
	srv, err := ServeTCP(hostPort(ip, 0), f.serve)
	if err != nil {
		return nil, err
	}
	f.srv, f.Addr = srv, srv.Addr()
	b.mapPort(ip, stdPort, f.Addr)
	b.own(nil, f.Close)
	return f, nil
}

// Close stops the server and removes its map entry.
func (f *FaultServer) Close() {
	if f.scripted != nil {
		f.scripted.Close()
		return
	}
	f.srv.Close()
	f.bed.unmapPort(f.IP, f.StdPort, f.Addr)
}

// Accepted counts the connections accepted so far.
func (f *FaultServer) Accepted() int {
	if f.scripted != nil {
		return f.scripted.Accepted()
	}
	return int(f.srv.accepted.Load())
}

// greeting is a plausible first line of proto, without its line ending.
func greeting(proto mailcfg.Protocol) string {
	switch proto {
	case mailcfg.IMAP:
		return "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] IMAP server ready."
	case mailcfg.SMTP:
		return "220 mail.testbed.invalid ESMTP ready"
	}
	return "+OK POP3 server ready."
}

// wrongProtocol is the protocol a WrongProtocol server greets in.
var wrongProtocol = map[mailcfg.Protocol]mailcfg.Protocol{
	mailcfg.POP3: mailcfg.SMTP, mailcfg.IMAP: mailcfg.POP3, mailcfg.SMTP: mailcfg.IMAP,
}

func (f *FaultServer) serve(c net.Conn, done <-chan struct{}) {
	switch f.Kind {
	case Tarpit:
		holdSilently(c)
		return
	case ResetAfterAccept:
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		return // the deferred Close sends the RST
	case Garbage:
		noise := make([]byte, 64<<10)
		rng := rand.New(rand.NewChaCha8([32]byte{'t', 'e', 's', 't', 'b', 'e', 'd'}))
		for i := range noise {
			noise[i] = byte(rng.Uint32())
		}
		c.SetWriteDeadline(time.Now().Add(idleTimeout))
		c.Write(noise)
		holdSilently(c)
		return
	case TLSHandshakeFail:
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		c.Read(make([]byte, 4096))
		c.Write(handshakeFailureAlert)
		return
	case HTTPOnMailPort:
		c.SetReadDeadline(time.Now().Add(idleTimeout))
		if _, err := c.Read(make([]byte, 4096)); err != nil {
			return
		}
		c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nBad Request\n"))
		return
	}

	// The rest speak (or fail to) inside TLS on implicit-TLS ports.
	if f.Security == mailcfg.TLS {
		tc := tls.Server(c, f.tls)
		tc.SetDeadline(time.Now().Add(idleTimeout))
		if tc.Handshake() != nil {
			return
		}
		tc.SetDeadline(time.Time{})
		c = tc
	}
	c.SetWriteDeadline(time.Now().Add(idleTimeout))
	switch f.Kind {
	case GreetThenSilence:
		c.Write([]byte(greeting(f.Protocol) + "\r\n"))
	case WrongProtocol:
		c.Write([]byte(greeting(wrongProtocol[f.Protocol]) + "\r\n"))
	case HugeLine:
		line := append([]byte(greeting(f.Protocol)), bytes.Repeat([]byte{'x'}, HugeLineSize)...)
		c.Write(line[:HugeLineSize])
	case SlowDrip:
		ticker := time.NewTicker(SlowDripInterval)
		defer ticker.Stop()
		for _, ch := range []byte(greeting(f.Protocol) + "\r\n") {
			c.SetWriteDeadline(time.Now().Add(idleTimeout))
			if _, err := c.Write([]byte{ch}); err != nil {
				return
			}
			select {
			case <-ticker.C:
			case <-done:
				return
			}
		}
	}
	holdSilently(c)
}
