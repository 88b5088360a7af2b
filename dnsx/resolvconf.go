package dnsx

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
)

// DefaultResolvConf is read when Options names neither a server nor a file.
const DefaultResolvConf = "/etc/resolv.conf"

// maxResolvConfBytes bounds how much of a resolv.conf is read; real ones
// are a few hundred bytes.
const maxResolvConfBytes = 64 << 10

// ParseResolvConf returns the "nameserver" entries of a resolv.conf(5) as
// "IP:53" addresses, in file order. Lines that are comments, other
// keywords or not IP addresses are skipped, as the C library does.
func ParseResolvConf(r io.Reader) ([]string, error) {
	var servers []string
	sc := bufio.NewScanner(io.LimitReader(r, maxResolvConfBytes))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "nameserver" {
			continue
		}
		ip, err := netip.ParseAddr(f[1])
		if err != nil {
			continue
		}
		servers = append(servers, net.JoinHostPort(ip.String(), "53"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return servers, nil
}

func readResolvConf(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dns: reading resolver configuration: %w", err)
	}
	defer f.Close()
	servers, err := ParseResolvConf(f)
	if err != nil {
		return nil, fmt.Errorf("dns: reading %s: %w", path, err)
	}
	if len(servers) == 0 {
		return nil, fmt.Errorf("dns: %s names no nameserver; choose a DNS server (HOST:PORT)", path)
	}
	return servers, nil
}

// parseServers accepts "IP", "IP:PORT" or "[IPv6]:PORT", several separated
// by commas. Names are refused: resolving the resolver would need a resolver.
func parseServers(s string) ([]string, error) {
	var out []string
	for _, one := range strings.Split(s, ",") {
		one = strings.TrimSpace(one)
		if one == "" {
			continue
		}
		addr, err := parseServer(one)
		if err != nil {
			return nil, err
		}
		out = append(out, addr)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dns: %q names no DNS server", s)
	}
	return out, nil
}

func parseServer(s string) (string, error) {
	if ip, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return net.JoinHostPort(ip.String(), "53"), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return "", fmt.Errorf("dns: server %q is not IP or IP:PORT", s)
	}
	if ap.Port() == 0 {
		return "", fmt.Errorf("dns: server %q: port 0", s)
	}
	return ap.String(), nil
}
