package reliability

import "time"

// The bounds every matrix case runs under: a probe gives up after
// probeTimeout, a whole discovery or diagnosis after engineTimeout.
const (
	probeTimeout  = 2 * time.Second
	engineTimeout = 4 * time.Second
)
