// Package assistant is the orchestrator: it runs every discovery source at
// once, probes each candidate the moment it appears, ranks the results,
// returns as soon as the answer is settled, tests logins and explains
// failures. The command line and the window both drive it.
package assistant

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/net/proxy"

	"mailsetup/discover"
	"mailsetup/dnsx"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// Options configure an Engine. The zero value works: system DNS, POP3
// preferred, 20 s bound, online look-ups on.
type Options struct {
	Protocol mailcfg.Protocol // preferred incoming protocol; default POP3
	// ProtocolChosen says the user chose Protocol (not the default): the
	// other incoming protocol's servers are then probed only once the
	// chosen one has nothing usable or pending, so they never slow the
	// answer; they are still listed.
	ProtocolChosen bool
	DNS            string        // "HOST:PORT" of the DNS server; empty = /etc/resolv.conf
	Timeout        time.Duration // bound for a whole discover; default 20 s
	ProbeTimeout   time.Duration // bound for one probe; default 10 s
	Offline        bool          // no ISPDB or other third-party look-ups
	Trust          mailcfg.Pins  // pinned SHA-256 certificate fingerprints
	CAFile         string        // extra trusted CA certificates (PEM)
	SOCKS5         string        // "HOST:PORT" of a SOCKS5 proxy for every connection
	ISPDBURL       string        // base URL of the ISP database; default Thunderbird's
	Lang           string        // en, zh-Hans or zh-Hant, for hints
	Concurrency    int           // probes at once; default 32
	// Grace bounds the wait for better-ranked candidates once a usable one
	// exists; zero derives it from observed round trips.
	Grace time.Duration
	// Dialer replaces the network dialer (tests, fault injection). When nil,
	// a net.Dialer is used, or the SOCKS5 proxy.
	Dialer dnsx.ContextDialer
	// Transcript receives the redacted protocol conversation (-v).
	Transcript io.Writer
	// OnEvent receives progress; it is called from engine goroutines, one
	// call at a time, and must not block for long.
	OnEvent func(Event)
	// OAuthRedirectPort fixes the loopback port OAuth2 sign-in answers
	// come to, for an issuer that takes only the registered one; zero
	// picks a free port (RFC 8252 section 7.3), which issuers expect.
	OAuthRedirectPort int
}

// Engine runs discoveries, checks and diagnoses. It is safe for concurrent use.
type Engine struct {
	opts     Options
	resolver *dnsx.Resolver
	dialer   dnsx.ContextDialer
	roots    *x509.CertPool
	http     *http.Client
	sessions tls.ClientSessionCache // TLS sessions of this engine's probes, by server name

	eventMu sync.Mutex // OnEvent is called one at a time
}

// The defaults every face shares.
const (
	// DefaultTimeout bounds a whole discovery.
	DefaultTimeout = 20 * time.Second
	// DefaultProtocol is the incoming protocol preferred when none is asked for.
	DefaultProtocol = mailcfg.POP3
)

const (
	defaultProbeTimeout = 10 * time.Second
	// defaultConcurrency lets every candidate of a discovery (guessing
	// alone names over twenty) be probed at once.
	defaultConcurrency = 32
	// sessionCacheSize holds a discovery's server names with room to spare.
	sessionCacheSize = 64
)

// New checks the options and builds an Engine.
func New(o Options) (*Engine, error) {
	if o.Protocol == "" {
		o.Protocol = DefaultProtocol
	}
	if o.Protocol != mailcfg.POP3 && o.Protocol != mailcfg.IMAP {
		return nil, optionError(l10n.M("options.protocol", "value", string(o.Protocol)), nil)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = defaultProbeTimeout
	}
	if o.ProbeTimeout > o.Timeout {
		o.ProbeTimeout = o.Timeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = defaultConcurrency
	}
	res, err := dnsx.New(dnsx.Options{Server: o.DNS})
	if err != nil {
		if o.DNS != "" {
			return nil, optionError(l10n.M("options.dns_server", "value", o.DNS), err)
		}
		return nil, optionError(l10n.M("options.resolv_conf").Because(l10n.FromError(err)), err)
	}
	dialer, err := buildDialer(o)
	if err != nil {
		return nil, err
	}
	roots, err := loadRoots(o.CAFile)
	if err != nil {
		return nil, err
	}
	e := &Engine{opts: o, resolver: res, dialer: dialer, roots: roots,
		sessions: tls.NewLRUClientSessionCache(sessionCacheSize)}
	e.http = discover.NewHTTPClient(res.Dialer(dialer), roots, httpTimeout(o))
	return e, nil
}

func httpTimeout(o Options) time.Duration {
	if o.ProbeTimeout < 8*time.Second {
		return o.ProbeTimeout
	}
	return 8 * time.Second
}

// buildDialer picks the network dialer: the injected one, a SOCKS5 proxy
// or a plain net.Dialer.
func buildDialer(o Options) (dnsx.ContextDialer, error) {
	if o.Dialer != nil {
		return o.Dialer, nil
	}
	var base dnsx.ContextDialer = &net.Dialer{KeepAlive: -1}
	if o.SOCKS5 != "" {
		if _, _, err := mailcfg.ParseHostPort(o.SOCKS5); err != nil {
			return nil, optionError(l10n.M("options.socks5").Because(l10n.FromError(err)), err)
		}
		d, err := proxy.SOCKS5("tcp", o.SOCKS5, nil, &net.Dialer{})
		if err != nil {
			return nil, optionError(l10n.M("options.socks5").Because(l10n.FromError(err)), err)
		}
		cd, ok := d.(proxy.ContextDialer)
		if !ok {
			return nil, optionError(l10n.M("options.socks5").Because(l10n.Verbatim("dialer without context support")), nil)
		}
		base = cd
	}
	return base, nil
}

// loadRoots returns the system roots (which honour SSL_CERT_FILE) plus the
// certificates of caFile.
func loadRoots(caFile string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if caFile == "" {
		return pool, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, optionError(l10n.M("options.ca_missing", "file", caFile), err)
		}
		return nil, optionError(l10n.M("options.ca_read", "file", caFile, "detail", err.Error()), err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, optionError(l10n.M("options.ca_empty", "file", caFile), nil)
	}
	return pool, nil
}

// emit hands ev to OnEvent, one event at a time.
func (e *Engine) emit(ev Event) {
	if e.opts.OnEvent == nil {
		return
	}
	e.eventMu.Lock()
	defer e.eventMu.Unlock()
	e.opts.OnEvent(ev)
}
