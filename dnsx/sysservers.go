package dnsx

import "net/netip"

// isUnconfiguredSiteLocal spots fec0:0:0:ffff::1 to ::3, the deprecated
// well-known addresses Windows lists for an IPv6 adapter nobody configured
// (RFC 3879 retired site-local addresses); nothing answers there.
func isUnconfiguredSiteLocal(ip netip.Addr) bool {
	b := ip.As16()
	if !ip.Is6() || b[0] != 0xfe || b[1] != 0xc0 || b[6] != 0xff || b[7] != 0xff {
		return false
	}
	for _, x := range b[2:6] {
		if x != 0 {
			return false
		}
	}
	for _, x := range b[8:15] {
		if x != 0 {
			return false
		}
	}
	return b[15] >= 1 && b[15] <= 3
}
