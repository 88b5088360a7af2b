package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/netip"
	"time"

	"mailsetup/dnsx"
)

// Resolver turns a host name into addresses; dnsx's resolver satisfies it.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]netip.Addr, error)
}

// Phase names a step of a probe, for progress reports.
type Phase string

const (
	PhaseResolve      Phase = "resolve"
	PhaseConnect      Phase = "connect"
	PhaseTLS          Phase = "tls"
	PhaseGreeting     Phase = "greeting"
	PhaseCapabilities Phase = "capabilities"
	PhaseStartTLS     Phase = "starttls"
	PhaseLogin        Phase = "login"
)

// DefaultTimeout bounds a probe when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// DefaultLoginTimeout bounds a login, a send or a search when
// Options.Timeout is zero: they do more round trips than a probe.
const DefaultLoginTimeout = 30 * time.Second

// MaxRead is the byte budget of one connection: everything read from the
// server, TLS records included. A probe needs a few kilobytes.
const MaxRead = 1 << 20

// maxLine bounds one protocol line. RFC 5321 allows 512 bytes, go-smtp
// accepts 2000; IMAP capability lines of big servers reach a few kilobytes.
const maxLine = 16 << 10

// Options configure Probe; LoginOptions embeds them.
type Options struct {
	// Resolver resolves host names. Required unless Host is an IP literal.
	Resolver Resolver
	// Dialer opens TCP connections; nil means a plain net.Dialer.
	Dialer dnsx.ContextDialer
	// RootCAs verifies certificates; nil means the system roots.
	RootCAs *x509.CertPool
	// Trusted holds SHA-256 fingerprints of leaf certificates the user has
	// pinned (hex, any case, colons allowed). A pinned certificate is
	// accepted whatever its problem.
	Trusted []string
	// Timeout bounds the whole exchange; zero means DefaultTimeout for a
	// probe and DefaultLoginTimeout for a login.
	Timeout time.Duration
	// Transcript receives the protocol conversation, passwords redacted:
	// "[host:port] C: …" for what we send, "S: …" for what the server sends.
	Transcript io.Writer
	// OnPhase reports progress; it is called from the probing goroutine.
	OnPhase func(Phase)
	// EHLOName is the name we give in EHLO; default "localhost".
	EHLOName string
	// ServerName overrides the name used for SNI and certificate checks;
	// default the server's host.
	ServerName string
	// SessionCache, when set, lets TLS sessions be resumed: it is keyed by
	// server name, so a host serving several ports, or a login after a
	// probe, can skip the full handshake where the server allows it. The
	// certificate is judged the same either way.
	SessionCache tls.ClientSessionCache
}

func (o *Options) dialer() dnsx.ContextDialer {
	if o.Dialer == nil {
		return &net.Dialer{}
	}
	return o.Dialer
}

func (o *Options) ehloName() string {
	if o.EHLOName == "" {
		return "localhost"
	}
	return o.EHLOName
}

func (o *Options) phase(p Phase) {
	if o.OnPhase != nil {
		o.OnPhase(p)
	}
}

func (o *Options) timeout(def time.Duration) time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return def
}
