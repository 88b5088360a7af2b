package perf

import (
	"fmt"
	"strings"
	"time"
)

// Step is one network exchange on a critical path, in round trips.
type Step struct {
	What string
	RTTs float64
}

// Path is a chain of exchanges that must happen one after the other
// before the recommendation can be trusted: the probe of a recommended
// server, or a source that has to answer first.
type Path struct {
	Label string
	Steps []Step
}

// RTTs is the length of the path in round trips.
func (p Path) RTTs() float64 {
	var n float64
	for _, s := range p.Steps {
		n += s.RTTs
	}
	return n
}

func (p Path) String() string {
	parts := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		parts[i] = fmt.Sprintf("%s %g", s.What, s.RTTs)
	}
	return fmt.Sprintf("%s: %s = %g RTT", p.Label, strings.Join(parts, " + "), p.RTTs())
}

// Floor is the critical path: the longest of the paths, since they run in
// parallel and all must end.
type Floor []Path

// RTTs is the floor in round trips.
func (f Floor) RTTs() float64 {
	var m float64
	for _, p := range f {
		m = max(m, p.RTTs())
	}
	return m
}

// At is the floor on a link of the given round-trip time.
func (f Floor) At(rtt time.Duration) time.Duration {
	return time.Duration(f.RTTs() * float64(rtt))
}

// Critical is the longest path.
func (f Floor) Critical() Path {
	var best Path
	for _, p := range f {
		if p.RTTs() > best.RTTs() {
			best = p
		}
	}
	return best
}

// The exchanges a probe makes, per the engine's phases. DNS asks A and
// AAAA in parallel (one round trip); TLS 1.3 takes one round trip; a
// server speaks first, but only once the connection (or the TLS
// handshake) is complete on its side, so the greeting costs a round trip
// too; every command (CAPA, EHLO, STARTTLS) costs one.
var (
	stepDNS      = Step{"DNS A+AAAA", 1}
	stepTCP      = Step{"TCP", 1}
	stepTLS      = Step{"TLS 1.3", 1}
	stepGreeting = Step{"greeting", 1}
	stepCaps     = Step{"capabilities", 1}
	stepSTARTTLS = Step{"STARTTLS", 1}
	stepHTTP     = Step{"HTTP", 1}
	stepSRV      = Step{"SRV", 1}
)

// probeTLS is an implicit-TLS probe (995, 993, 465).
func probeTLS(label string, before ...Step) Path {
	return Path{label, append(before, stepDNS, stepTCP, stepTLS, stepGreeting, stepCaps)}
}

// probeSTARTTLS is a STARTTLS probe (110, 143, 587): capabilities before
// and after the upgrade.
func probeSTARTTLS(label string, before ...Step) Path {
	return Path{label, append(before, stepDNS, stepTCP, stepGreeting, stepCaps, stepSTARTTLS, stepTLS, stepCaps)}
}

// httpsFetch is one HTTPS document (autoconfig, ISPDB, Autodiscover).
func httpsFetch(label string) Path {
	return Path{label, []Step{stepDNS, stepTCP, stepTLS, stepHTTP}}
}

// httpsSteps are the steps of httpsFetch, to put before a probe that
// depends on the document.
func httpsSteps(what string) Step {
	return Step{what + " (DNS+TCP+TLS+HTTP)", 4}
}
