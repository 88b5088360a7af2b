package testbed

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Options configures a Bed made with New.
type Options struct {
	// Dir receives certificates, dovecot configurations, mailboxes and logs.
	// Empty means a new directory under os.TempDir, removed by Close. It is
	// kept short on purpose: dovecot's unix sockets live below it and a
	// socket path may not exceed 107 bytes, which t.TempDir paths can.
	Dir string
	// DovecotPath is the dovecot binary; empty means /usr/sbin/dovecot.
	DovecotPath string
}

// Bed is one test bed: a DNS server, a CA and whatever servers tests add.
// Its methods are safe for concurrent use.
type Bed struct {
	// DNSAddr is the authoritative DNS server, "127.0.0.1:port", on UDP and TCP.
	DNSAddr string
	// CAFile is the PEM file of the test CA; CAPool holds the same CA.
	CAFile string
	CAPool *x509.CertPool
	// Dir holds the bed's files.
	Dir string

	opts    Options
	ownDir  bool
	zone    *zoneDB
	dns     *dnsServer
	deadDNS *deadDNSServer
	ca      *authority

	mu      sync.Mutex
	portMap map[string]string // "ip:std" → "ip:actual" or portmap.Blackhole
	closers []func()
	closed  bool
	seq     int // numbers the bed's sub-directories

	scenarioOnce sync.Once
	scenarios    *Scenarios
	scenarioErr  error
}

// Start makes a Bed whose servers stop when t's test ends.
func Start(t testing.TB) *Bed {
	t.Helper()
	b, err := New(Options{})
	if err != nil {
		t.Fatalf("testbed: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// New makes a Bed; the caller must Close it.
func New(opts Options) (*Bed, error) {
	if opts.DovecotPath == "" {
		opts.DovecotPath = "/usr/sbin/dovecot"
	}
	b := &Bed{opts: opts, portMap: map[string]string{}, zone: newZoneDB()}
	if opts.Dir == "" {
		dir, err := os.MkdirTemp("", "testbed-")
		if err != nil {
			return nil, err
		}
		b.ownDir = true
		opts.Dir = dir
	}
	b.Dir = opts.Dir
	// Dovecot's unprivileged processes must be able to walk down to their
	// mailboxes and sockets, so the tree is world-traversable.
	if err := os.MkdirAll(b.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(b.Dir, 0o755); err != nil {
		b.Close()
		return nil, err
	}

	var err error
	if b.ca, err = newAuthority(filepath.Join(b.Dir, "certs")); err != nil {
		b.Close()
		return nil, fmt.Errorf("test CA: %w", err)
	}
	b.CAFile = b.ca.caFile
	b.CAPool = b.ca.pool

	if b.dns, err = startDNS(b.zone); err != nil {
		b.Close()
		return nil, fmt.Errorf("DNS server: %w", err)
	}
	b.DNSAddr = b.dns.addr
	if b.deadDNS, err = startDeadDNS(); err != nil {
		b.Close()
		return nil, fmt.Errorf("dead DNS server: %w", err)
	}
	return b, nil
}

// Close stops everything the bed started and removes its directory if the
// bed made it. It may be called more than once.
func (b *Bed) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	closers := b.closers
	b.closers = nil
	b.mu.Unlock()

	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
	if b.deadDNS != nil {
		b.deadDNS.Close()
	}
	if b.dns != nil {
		b.dns.Close()
	}
	if b.ownDir && b.Dir != "" {
		os.RemoveAll(b.Dir)
	}
}

// DeadDNSAddr is a DNS server ("127.0.0.1:port", UDP and TCP) that accepts
// queries and never answers.
func (b *Bed) DeadDNSAddr() string { return b.deadDNS.addr }

// ClientTLS is a client configuration that trusts the test CA.
func (b *Bed) ClientTLS(serverName string) *tls.Config {
	return &tls.Config{RootCAs: b.CAPool, ServerName: serverName, MinVersion: tls.VersionTLS12}
}

// own ties stop to t's cleanup when t is given, and always to the bed's
// Close; stop must be safe to call twice.
func (b *Bed) own(t testing.TB, stop func()) {
	if t != nil {
		t.Cleanup(stop)
	}
	b.mu.Lock()
	closed := b.closed
	if !closed {
		b.closers = append(b.closers, stop)
	}
	b.mu.Unlock()
	if closed {
		stop()
	}
}

// fail reports a setup failure to t, or panics without one.
func fail(t testing.TB, err error) {
	if t == nil {
		panic("testbed: " + err.Error())
	}
	t.Helper()
	if errors.Is(err, ErrUnavailable) {
		t.Skipf("testbed: %v", err)
	}
	t.Fatalf("testbed: %v", err)
}

// subdir makes a new numbered, world-traversable directory in the bed.
func (b *Bed) subdir(prefix string) (string, error) {
	b.mu.Lock()
	b.seq++
	n := b.seq
	b.mu.Unlock()
	dir := filepath.Join(b.Dir, fmt.Sprintf("%s%d", prefix, n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.Chmod(dir, 0o755)
}

// mapPort records that ip:stdPort is served at actual ("ip:port" or
// portmap.Blackhole).
func (b *Bed) mapPort(ip string, stdPort int, actual string) {
	b.mu.Lock()
	b.portMap[hostPort(ip, stdPort)] = actual
	b.mu.Unlock()
}

func (b *Bed) unmapPort(ip string, stdPort int, actual string) {
	b.mu.Lock()
	key := hostPort(ip, stdPort)
	if b.portMap[key] == actual {
		delete(b.portMap, key)
	}
	b.mu.Unlock()
}

// PortMap is a copy of the current map, "ip:std" → "ip:actual" or "blackhole".
func (b *Bed) PortMap() map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := make(map[string]string, len(b.portMap))
	for k, v := range b.portMap {
		m[k] = v
	}
	return m
}

// DialMapEnv is the value of MAILSETUP_DIAL_MAP (portmap.Env) that
// reproduces the current map in another process, sorted for stable output.
func (b *Bed) DialMapEnv() string {
	m := b.PortMap()
	pairs := make([]string, 0, len(m))
	for k, v := range m {
		pairs = append(pairs, k+"="+v)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}
