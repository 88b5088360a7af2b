//go:build !windows

package dnsx

// SystemServers returns the DNS servers the system uses, as "IP:PORT":
// on Windows those of the network adapters that are up, elsewhere the
// nameserver lines of DefaultResolvConf.
func SystemServers() ([]string, error) {
	return readResolvConf(DefaultResolvConf)
}
