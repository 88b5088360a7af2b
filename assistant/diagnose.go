package assistant

import (
	"context"
	"net/netip"
	"strconv"
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

// Step is one layer of a diagnosis: dns, tcp, greeting, tls, protocol or
// login.
type Step struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Skipped bool   `json:"skipped,omitempty"`
	MS      int64  `json:"elapsed_ms"`
	// Summary and Details are SummaryMessage and DetailMessages in
	// English, for scripts.
	Summary string   `json:"summary"`
	Details []string `json:"details"`
	// SummaryMessage and DetailMessages say the same in any language; the
	// server's words (a greeting, a certificate's subject) stay quoted as
	// its own.
	SummaryMessage l10n.Message   `json:"summary_message,omitzero"`
	DetailMessages []l10n.Message `json:"detail_messages,omitempty"`
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
		out := e.loginRole(ctx, &Report{}, srv.Role(), q, nil)
		st := Step{Name: "login", OK: out.OK, MS: out.ElapsedMS, Details: []string{}}
		if out.OK {
			st.say(l10n.M("diag.logged_in", "user", out.Username, "mechanism", out.Mechanism))
			if srv.Protocol != mailcfg.SMTP {
				st.note(l10n.M("diag.mailbox", "count", strconv.Itoa(out.Messages)))
			}
		} else {
			st.sayReason(out.Reason, out.Error)
			if out.Reply != "" && !strings.Contains(out.Error, out.Reply) {
				st.note(l10n.M("diag.server_said", "reply", out.Reply))
			}
			d.AuthFailed = out.AuthFailed
		}
		hl.list = append(hl.list, out.Hints...)
		d.Steps = append(d.Steps, st)
	} else if srv.Username != "" && req.Password != "" {
		st := Step{Name: "login", Skipped: true, Details: []string{}}
		st.say(l10n.M("diag.skipped"))
		d.Steps = append(d.Steps, st)
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
	st := Step{Name: "dns", Details: []string{}}
	st.note(l10n.M("diag.resolver", "servers", strings.Join(e.resolver.Servers(), ", ")))
	if _, err := netip.ParseAddr(host); err == nil {
		st.OK, st.Skipped = true, true
		st.say(l10n.M("diag.ip_address", "host", host))
		return st
	}
	start := time.Now()
	addrs, err := e.resolver.LookupHost(ctx, host)
	st.MS = time.Since(start).Milliseconds()
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		if ans, qerr := e.resolver.Query(ctx, host, qt); qerr == nil && len(ans.CNAMEs) > 0 {
			st.note(l10n.M("diag.cname_chain", "chain", host+" → "+strings.Join(ans.CNAMEs, " → ")))
			break
		}
	}
	if err != nil {
		st.say(l10n.FromError(err))
		return st
	}
	st.OK = true
	list := make([]string, len(addrs))
	for i, a := range addrs {
		list[i] = a.String()
	}
	st.say(l10n.M("diag.resolved", "host", host, "addresses", strings.Join(list, ", ")))
	return st
}

// connectSteps turns a probe result into the tcp, tls and protocol steps.
func connectSteps(srv mailcfg.Server, res *probe.Result) []Step {
	t := res.Timings
	tcp := Step{Name: "tcp", MS: t.Connect.Milliseconds(), Details: []string{}}
	if res.Addr == "" {
		tcp.sayReason(res.Reason, res.Error)
		return []Step{tcp}
	}
	tcp.OK = true
	tcp.say(l10n.M("diag.connected", "address", res.Addr))

	steps := []Step{tcp}
	proto := Step{Name: "protocol", MS: (t.Greeting + t.Capabilities).Milliseconds(), Details: []string{}}
	// With STARTTLS the greeting is a step of its own, before TLS.
	if res.Greeting != "" && (srv.Security != mailcfg.STARTTLS || res.TLS == nil && res.Status == mailcfg.StatusInsecure) {
		proto.note(l10n.M("diag.greeting", "text", res.Greeting))
	}
	if len(res.CapabilitiesBeforeTLS) > 0 {
		proto.note(l10n.M("diag.capabilities_before_tls", "list", strings.Join(res.CapabilitiesBeforeTLS, " ")))
	}
	if srv.Security == mailcfg.STARTTLS {
		if res.StartTLSOffered {
			proto.note(l10n.M("diag.starttls_offered"))
		} else {
			proto.note(l10n.M("diag.starttls_not_offered"))
		}
	}
	if len(res.Capabilities) > 0 {
		proto.note(l10n.M("diag.capabilities", "list", strings.Join(res.Capabilities, " ")))
	}
	if len(res.AuthMechanisms) > 0 {
		proto.note(l10n.M("diag.login_methods", "list", strings.Join(res.AuthMechanisms, " ")))
	}
	if res.SizeLimit > 0 {
		proto.note(l10n.M("diag.size_limit", "mb", strconv.FormatInt(res.SizeLimit/1_000_000, 10)))
	}

	if srv.Security != mailcfg.None && res.Status != mailcfg.StatusInsecure {
		tl := Step{Name: "tls", MS: t.TLS.Milliseconds(), Details: []string{}}
		if res.TLS == nil {
			tl.sayReason(res.Reason, res.Error)
			steps = append(steps, protoBeforeTLS(proto, res)...)
			return append(steps, tl)
		}
		info := res.TLS
		tl.OK = info.Verified || info.Pinned
		switch {
		case !tl.OK:
			tl.sayReason(info.Reason, info.Error)
		case info.Pinned && info.Problem != "":
			tl.say(l10n.M("diag.tls_pinned", "version", info.Version, "cipher", info.Cipher))
		default:
			tl.say(l10n.M("diag.tls_verified", "version", info.Version, "cipher", info.Cipher))
		}
		tl.note(l10n.M("diag.subject", "subject", info.Subject))
		tl.note(l10n.M("diag.issuer", "issuer", info.Issuer))
		tl.note(l10n.M("diag.names", "names", strings.Join(info.DNSNames, ", ")))
		tl.note(l10n.M("diag.valid", "from", info.NotBefore.UTC().Format(time.DateOnly),
			"until", info.NotAfter.UTC().Format(time.DateOnly)))
		tl.note(l10n.M("diag.sha256", "sha256", info.SHA256))
		if len(info.Chain) > 1 {
			tl.note(l10n.M("diag.chain", "chain", strings.Join(info.Chain, " ← ")))
		}
		if info.Pinned && info.Problem == "" {
			tl.note(l10n.M("diag.also_pinned"))
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
	if proto.OK {
		proto.say(l10n.M("diag.speaks", "protocol", strings.ToUpper(string(srv.Protocol))))
	} else {
		proto.sayReason(res.Reason, res.Error)
	}
	return append(steps, proto)
}

// protoBeforeTLS is the greeting step shown before a STARTTLS upgrade.
func protoBeforeTLS(proto Step, res *probe.Result) []Step {
	if res.Greeting == "" {
		return nil
	}
	st := Step{Name: "greeting", OK: true, MS: res.Timings.Greeting.Milliseconds(), Details: []string{}}
	st.say(l10n.M("diag.greeting_text", "text", res.Greeting))
	return []Step{st}
}
