package assistant

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"

	"mailsetup/hints"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
	"mailsetup/probe"
	"mailsetup/providers"
)

// Diagnosis is the step-by-step examination of one server.
type Diagnosis struct {
	Target mailcfg.Server `json:"target"`
	OK     bool           `json:"ok"`
	Steps  []Step         `json:"steps"`
	Hints  []hints.Hint   `json:"hints"`
	// AuthFailed is set when the only failure is rejected credentials.
	AuthFailed bool `json:"auth_failed"`
}

// Step is one layer of a diagnosis: dns, tcp, tls, protocol or login.
type Step struct {
	Name    string   `json:"name"`
	OK      bool     `json:"ok"`
	Skipped bool     `json:"skipped,omitempty"`
	MS      int64    `json:"elapsed_ms"`
	Summary string   `json:"summary"`
	Details []string `json:"details"`
}

// DiagnoseRequest names the server and, optionally, credentials.
type DiagnoseRequest struct {
	Server   mailcfg.Server // Username optional
	Password string         // with Username: also test the login
	Grants   Grants         // what the user agreed to for that login
}

// Diagnose runs DNS, TCP, TLS, protocol and login in order and reports
// each with its time and outcome; it stops at the first layer that fails.
func (e *Engine) Diagnose(ctx context.Context, req DiagnoseRequest) *Diagnosis {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	srv := req.Server
	d := &Diagnosis{Target: srv, Steps: []Step{}, Hints: []hints.Hint{}}
	lang := l10n.Normalize(e.opts.Lang)
	var hl hintList
	if p, stale, ok := providers.StaleByHost(srv.Host); ok && p != nil {
		hl.add(hints.Match(hints.Facts{Stage: "dns", Host: srv.Host, StaleHost: stale.Host, StaleReason: stale.Reason,
			ProviderID: p.ID}, lang)...)
	}

	dnsStep := e.dnsStep(ctx, srv.Host)
	d.Steps = append(d.Steps, dnsStep)

	res := probe.Probe(ctx, srv, e.probeOptions())
	if dnsStep.OK || res.Status != mailcfg.StatusUnresolved {
		d.Steps = append(d.Steps, connectSteps(srv, &res)...)
	}
	failed := !allOK(d.Steps)
	if failed {
		f := hints.Facts{Stage: stageOf(res.Status), Status: res.Status, Protocol: srv.Protocol, Host: srv.Host, Port: srv.Port,
			Security: srv.Security, Error: res.Error}
		if res.TLS != nil {
			addCertFacts(&f, res.TLS)
		}
		if res.Status == mailcfg.StatusUnresolved {
			f.DNSError = dnsKind(res.Err)
		}
		hl.add(hints.Match(f, lang)...)
	}

	if srv.Username != "" && req.Password != "" && !failed {
		// The one login path, on a report that knows only this server.
		q := LoginRequest{Password: req.Password, Grants: req.Grants, Incoming: &srv, Outgoing: &srv}
		out := e.loginRole(ctx, &Report{}, srv.Role(), q)
		st := Step{Name: "login", OK: out.OK, MS: out.ElapsedMS, Details: []string{}}
		if out.OK {
			st.Summary = fmt.Sprintf("logged in as %s with %s", out.Username, out.Mechanism)
			if srv.Protocol != mailcfg.SMTP {
				st.Details = append(st.Details, fmt.Sprintf("%d messages in the mailbox", out.Messages))
			}
		} else {
			st.Summary = out.Error
			if out.Reply != "" && !strings.Contains(out.Error, out.Reply) {
				st.Details = append(st.Details, "server said: "+out.Reply)
			}
			d.AuthFailed = out.AuthFailed
		}
		hl.list = append(hl.list, out.Hints...)
		d.Steps = append(d.Steps, st)
	} else if srv.Username != "" && req.Password != "" {
		d.Steps = append(d.Steps, Step{Name: "login", Skipped: true, Summary: "skipped: an earlier step failed", Details: []string{}})
	}
	d.OK = allOK(d.Steps)
	if hl.list != nil {
		d.Hints = hl.list
	}
	return d
}

func (e *Engine) probeOptions() probe.Options {
	return e.loginOptions().Options
}

func allOK(steps []Step) bool {
	for _, s := range steps {
		if !s.OK && !s.Skipped {
			return false
		}
	}
	return true
}

// dnsStep reports the resolver used, the A/AAAA records and any CNAMEs.
func (e *Engine) dnsStep(ctx context.Context, host string) Step {
	st := Step{Name: "dns", Details: []string{"resolver: " + strings.Join(e.resolver.Servers(), ", ")}}
	if _, err := netip.ParseAddr(host); err == nil {
		st.OK, st.Skipped, st.Summary = true, true, host+" is an IP address"
		return st
	}
	start := time.Now()
	addrs, err := e.resolver.LookupHost(ctx, host)
	st.MS = time.Since(start).Milliseconds()
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		if ans, qerr := e.resolver.Query(ctx, host, qt); qerr == nil && len(ans.CNAMEs) > 0 {
			st.Details = append(st.Details, "CNAME chain: "+host+" → "+strings.Join(ans.CNAMEs, " → "))
			break
		}
	}
	if err != nil {
		st.Summary = err.Error()
		return st
	}
	st.OK = true
	list := make([]string, len(addrs))
	for i, a := range addrs {
		list[i] = a.String()
	}
	st.Summary = host + " → " + strings.Join(list, ", ")
	return st
}

// connectSteps turns a probe result into the tcp, tls and protocol steps.
func connectSteps(srv mailcfg.Server, res *probe.Result) []Step {
	t := res.Timings
	tcp := Step{Name: "tcp", MS: t.Connect.Milliseconds(), Details: []string{}}
	if res.Addr == "" {
		tcp.Summary = res.Error
		return []Step{tcp}
	}
	tcp.OK, tcp.Summary = true, "connected to "+res.Addr

	steps := []Step{tcp}
	proto := Step{Name: "protocol", MS: (t.Greeting + t.Capabilities).Milliseconds(), Details: []string{}}
	// With STARTTLS the greeting is a step of its own, before TLS.
	if res.Greeting != "" && (srv.Security != mailcfg.STARTTLS || res.TLS == nil && res.Status == mailcfg.StatusInsecure) {
		proto.Details = append(proto.Details, "greeting: "+res.Greeting)
	}
	if len(res.CapabilitiesBeforeTLS) > 0 {
		proto.Details = append(proto.Details, "capabilities before TLS: "+strings.Join(res.CapabilitiesBeforeTLS, " "))
	}
	if srv.Security == mailcfg.STARTTLS {
		proto.Details = append(proto.Details, fmt.Sprintf("STARTTLS offered: %v", res.StartTLSOffered))
	}
	if len(res.Capabilities) > 0 {
		proto.Details = append(proto.Details, "capabilities: "+strings.Join(res.Capabilities, " "))
	}
	if len(res.AuthMechanisms) > 0 {
		proto.Details = append(proto.Details, "login methods: "+strings.Join(res.AuthMechanisms, " "))
	}
	if res.SizeLimit > 0 {
		proto.Details = append(proto.Details, fmt.Sprintf("largest message: %d MB", res.SizeLimit/1_000_000))
	}

	if srv.Security != mailcfg.None && res.Status != mailcfg.StatusInsecure {
		tl := Step{Name: "tls", MS: t.TLS.Milliseconds(), Details: []string{}}
		if res.TLS == nil {
			tl.Summary = res.Error
			steps = append(steps, protoBeforeTLS(proto, res)...)
			return append(steps, tl)
		}
		info := res.TLS
		tl.OK = info.Verified || info.Pinned
		tl.Summary = fmt.Sprintf("%s, %s, certificate verified", info.Version, info.Cipher)
		if info.Pinned && info.Problem != "" {
			tl.Summary = fmt.Sprintf("%s, %s, certificate accepted by its pinned fingerprint", info.Version, info.Cipher)
		}
		if !tl.OK {
			tl.Summary = info.Error
		}
		tl.Details = append(tl.Details, "subject: "+info.Subject, "issuer: "+info.Issuer,
			"names: "+strings.Join(info.DNSNames, ", "),
			"valid: "+info.NotBefore.UTC().Format(time.DateOnly)+" – "+info.NotAfter.UTC().Format(time.DateOnly),
			"SHA-256: "+info.SHA256)
		if len(info.Chain) > 1 {
			tl.Details = append(tl.Details, "chain: "+strings.Join(info.Chain, " ← "))
		}
		if info.Pinned && info.Problem == "" {
			tl.Details = append(tl.Details, "its fingerprint is also pinned (--trust)")
		}
		if srv.Security == mailcfg.STARTTLS {
			steps = append(steps, protoBeforeTLS(proto, res)...)
		}
		steps = append(steps, tl)
		if !tl.OK {
			return steps
		}
	}
	proto.OK = res.Status == mailcfg.StatusOK || (res.Status == mailcfg.StatusInsecure && srv.Security == mailcfg.None)
	proto.Summary = "speaks " + strings.ToUpper(string(srv.Protocol))
	if !proto.OK {
		proto.Summary = res.Error
	}
	return append(steps, proto)
}

// protoBeforeTLS is the greeting step shown before a STARTTLS upgrade.
func protoBeforeTLS(proto Step, res *probe.Result) []Step {
	if res.Greeting == "" {
		return nil
	}
	return []Step{{Name: "greeting", OK: true, MS: res.Timings.Greeting.Milliseconds(), Summary: res.Greeting,
		Details: []string{}}}
}
