package testbed

import (
	"net"
	"net/netip"
	"strconv"
	"sync/atomic"

	"mailsetup/internal/portmap"
)

// nextIP numbers the loopback addresses handed out in this process, so beds
// that live side by side in one test binary never share an address.
var nextIP atomic.Uint32

// firstIP is the first address handed out: 127.0.0.1 stays free for the DNS
// server and for clients, and dovecot treats a client whose address equals
// the server's as secure, which would let plaintext logins through.
const firstIP = 0x7f00000a // 127.0.0.10

// NewIP returns a loopback address no other server of this process uses.
// Addresses run 127.0.0.10 … 127.0.0.254, then 127.0.1.1 … and so on.
func (b *Bed) NewIP() string {
	for {
		n := firstIP + nextIP.Add(1) - 1
		last := n & 0xff
		if last == 0 || last == 255 {
			continue
		}
		if n>>24 != 127 {
			panic("testbed: out of loopback addresses")
		}
		return netip.AddrFrom4([4]byte{127, byte(n >> 16), byte(n >> 8), byte(last)}).String()
	}
}

// Blackhole makes ip:stdPort a destination that never connects, as behind a
// firewall that drops packets.
func (b *Bed) Blackhole(ip string, stdPort int) {
	b.mapPort(ip, stdPort, portmap.Blackhole)
}

// ipOrNew returns ip, or a fresh address when ip is empty.
func (b *Bed) ipOrNew(ip string) string {
	if ip == "" {
		return b.NewIP()
	}
	return ip
}

func hostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

// freePorts finds n distinct free ports at ip: it holds every probe
// listener open until all are chosen, since a port just closed may be
// handed out again at once.
func freePorts(ip string, n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", hostPort(ip, 0))
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
