package dnsx

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"unsafe"

	"golang.org/x/sys/windows"
)

// SystemServers returns the DNS servers the system uses, as "IP:PORT":
// on Windows those of the network adapters that are up, in adapter order
// (Windows has no resolv.conf), elsewhere the nameserver lines of
// DefaultResolvConf.
func SystemServers() ([]string, error) {
	adapters, err := adapterAddresses()
	if err != nil {
		return nil, fmt.Errorf("dns: reading the network adapters' DNS servers: %w", err)
	}
	var servers []string
	seen := map[string]bool{}
	for aa := adapters; aa != nil; aa = aa.Next {
		if aa.OperStatus != windows.IfOperStatusUp {
			continue
		}
		for d := aa.FirstDnsServerAddress; d != nil; d = d.Next {
			ip, ok := netip.AddrFromSlice(d.Address.IP())
			if !ok || isUnconfiguredSiteLocal(ip) {
				continue
			}
			ip = ip.Unmap()
			if ip.Is6() && ip.IsLinkLocalUnicast() {
				ip = ip.WithZone(strconv.FormatUint(uint64(aa.Ipv6IfIndex), 10))
			}
			addr := net.JoinHostPort(ip.String(), "53")
			if !seen[addr] {
				seen[addr] = true
				servers = append(servers, addr)
			}
		}
	}
	if len(servers) == 0 {
		return nil, errors.New("dns: no network adapter names a DNS server; choose a DNS server (HOST:PORT)")
	}
	return servers, nil
}

// adapterAddresses asks GetAdaptersAddresses, growing the buffer as told.
func adapterAddresses() (*windows.IpAdapterAddresses, error) {
	size := uint32(15 << 10) // Microsoft's suggested first try
	for try := 0; try < 4; try++ {
		buf := make([]byte, size)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		const flags = windows.GAA_FLAG_SKIP_UNICAST | windows.GAA_FLAG_SKIP_ANYCAST | windows.GAA_FLAG_SKIP_MULTICAST
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, flags, 0, first, &size)
		switch {
		case err == nil:
			return first, nil
		case errors.Is(err, windows.ERROR_BUFFER_OVERFLOW):
			continue // size now holds what is needed
		case errors.Is(err, windows.ERROR_NO_DATA):
			return nil, nil
		default:
			return nil, err
		}
	}
	return nil, errors.New("the adapter list kept growing")
}
