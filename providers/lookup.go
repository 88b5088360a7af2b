package providers

// The lookup API, implemented in table.go over the embedded data file
// (providers.json, checked by Load in load.go):
//
//	All() []*Provider                      every provider, in table order
//	ByID(id string) *Provider              nil when unknown
//	ByDomain(domain string) *Provider      exact domain (punycode, any case); nil when unknown
//	ByMX(host string) *Provider            most specific MX pattern that matches; nil when none
//	StaleByHost(host string) (*Provider, StaleHost, bool)  a host named stale by some provider
//	Load(data []byte) ([]*Provider, error) parse and validate a table
