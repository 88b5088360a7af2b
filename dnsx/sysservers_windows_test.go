package dnsx

import (
	"net/netip"
	"testing"
)

// Windows has no resolv.conf: the servers come from the network adapters.
// Wine reports the host's resolv.conf servers through the same call.
func TestSystemServersFromAdapters(t *testing.T) {
	servers, err := SystemServers()
	if err != nil {
		t.Fatalf("SystemServers: %v", err)
	}
	for _, s := range servers {
		if _, err := netip.ParseAddrPort(s); err != nil {
			t.Errorf("server %q is not IP:PORT: %v", s, err)
		}
	}
	t.Logf("servers: %v", servers)
	if _, err := New(Options{}); err != nil {
		t.Errorf("New with the system's servers: %v", err)
	}
}
