package dnsx

import (
	"context"
	"net"
	"sync/atomic"
	"time"
)

// Options configure a Resolver. The zero value reads /etc/resolv.conf.
type Options struct {
	// Server is the DNS server to ask, "HOST:PORT" (HOST an IP address;
	// ":53" may be left out). Several may be given separated by commas and
	// are tried in order. Empty means the system's servers: those of
	// ResolvConf, or on Windows, when ResolvConf is empty, those of the
	// network adapters (see SystemServers).
	Server string
	// ResolvConf is the resolv.conf(5) file read when Server is empty
	// (default DefaultResolvConf; not read on Windows unless named).
	ResolvConf string
	// Timeout bounds one query to one server (default 2s).
	Timeout time.Duration
	// Attempts is how many rounds through the server list a query may take
	// (default 2).
	Attempts int
	// DeadAfter is how many queries in a row a server may leave unanswered
	// before it is declared not answering (default 3); DeadFor is how long
	// it is then skipped (default 10s, or until ResetHealth).
	DeadAfter int
	DeadFor   time.Duration
}

// Defaults for Options.
const (
	DefaultTimeout  = 2 * time.Second
	DefaultAttempts = 2
)

// EDNSBufSize is the UDP payload size we advertise (DNS Flag Day 2020):
// large enough for most answers, small enough to avoid IP fragmentation.
const EDNSBufSize = 1232

// Resolver asks DNS servers directly, shares answers through a TTL cache
// and merges concurrent identical questions. It is safe for concurrent use.
type Resolver struct {
	servers  []string
	timeout  time.Duration
	attempts int

	cache   *cache
	flights flights
	health  *health
	now     func() time.Time // the cache's clock; tests replace it

	// dial opens the connection for one query; tests replace it to make
	// sockets fail as some systems do.
	dial func(ctx context.Context, network, address string) (net.Conn, error)
	// udpUnusable is set once this system refused us a UDP socket: every
	// later query goes straight to TCP (see udpfallback.go).
	udpUnusable atomic.Bool

	queries, cacheHits, shared atomic.Uint64
}

// New returns a Resolver for opts. It fails when Server is not an IP
// address with an optional port, or when Server is empty and the
// resolv.conf cannot be read or names no server.
func New(opts Options) (*Resolver, error) {
	r := &Resolver{
		timeout:  opts.Timeout,
		attempts: opts.Attempts,
		cache:    newCache(maxCacheEntries),
		health:   newHealth(opts.DeadAfter, opts.DeadFor),
		now:      time.Now,
		dial:     (&net.Dialer{}).DialContext,
	}
	if r.timeout <= 0 {
		r.timeout = DefaultTimeout
	}
	if r.attempts <= 0 {
		r.attempts = DefaultAttempts
	}
	var err error
	switch {
	case opts.Server != "":
		r.servers, err = parseServers(opts.Server)
	case opts.ResolvConf != "":
		r.servers, err = readResolvConf(opts.ResolvConf)
	default:
		r.servers, err = SystemServers()
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Servers returns the servers asked, in order, as "IP:PORT".
func (r *Resolver) Servers() []string {
	return append([]string(nil), r.servers...)
}

// Stats counts the resolver's work since it was created.
type Stats struct {
	Queries   uint64 // messages sent to servers (each UDP or TCP try)
	CacheHits uint64 // answers taken from the cache
	Shared    uint64 // questions that joined an identical one in flight
}

// Stats returns the counters so far.
func (r *Resolver) Stats() Stats {
	return Stats{
		Queries:   r.queries.Load(),
		CacheHits: r.cacheHits.Load(),
		Shared:    r.shared.Load(),
	}
}

// budget bounds a whole question: every attempt at every server, each
// possibly retried over TCP.
func (r *Resolver) budget() time.Duration {
	return 2*time.Duration(r.attempts*len(r.servers))*r.timeout + time.Second
}
