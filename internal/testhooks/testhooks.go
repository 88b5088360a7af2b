// Package testhooks points a binary at the test bed. Only a build with
// -tags testhooks links it (main's testhooks.go): the release binary knows
// neither of the environment variables below, so nothing a user sets can
// redirect its connections.
//
//	MAILSETUP_DIAL_MAP  ip:port=ip:port,… (internal/portmap): reach servers on high ports
//	MAILSETUP_DNS       HOST:PORT: the DNS server when no --dns or setting names one
package testhooks

import (
	"net"
	"os"
	"strings"

	"mailsetup/assistant"
	"mailsetup/dnsx"
	"mailsetup/internal/portmap"
)

// DNSEnv names the DNS server for engines that were given none (the window,
// whose settings have no flag to set it from a script).
const DNSEnv = "MAILSETUP_DNS"

// Wire applies the environment to engine options.
func Wire(o *assistant.Options) error {
	var base dnsx.ContextDialer = o.Dialer
	if base == nil {
		base = &net.Dialer{}
	}
	d, err := portmap.FromEnv(base)
	if err != nil {
		return err
	}
	if d != base {
		o.Dialer = d
	}
	if o.DNS == "" {
		o.DNS = strings.TrimSpace(os.Getenv(DNSEnv))
	}
	return nil
}
