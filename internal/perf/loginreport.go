package perf

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"mailsetup/mailcfg"
)

// resultsOf are the results of mode m for incoming protocol p (any
// protocol when p is "").
func resultsOf(results []Result, m Mode, p mailcfg.Protocol) []Result {
	var out []Result
	for _, r := range results {
		if r.ModeOrDiscover() == m && (p == "" || r.Protocol == p) {
			out = append(out, r)
		}
	}
	return out
}

// protocolsOf lists the incoming protocols of the results, IMAP first.
func protocolsOf(results []Result) []mailcfg.Protocol {
	var out []mailcfg.Protocol
	for _, p := range []mailcfg.Protocol{mailcfg.IMAP, mailcfg.POP3} {
		if len(resultsOf(results, ModeLogin, p)) > 0 || len(resultsOf(results, ModeRejected, p)) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// protocolName is how the page names an incoming protocol.
func protocolName(p mailcfg.Protocol) string { return strings.ToUpper(string(p)) }

// WriteLoginTable prints the results of one login mode as a Markdown
// table, with the before figures and, for verified logins, the issue's
// Delta Chat figure beside each row.
func WriteLoginTable(w io.Writer, results []Result, before *Before) {
	login := len(results) > 0 && results[0].ModeOrDiscover() == ModeLogin
	head := "| case | RTT | runs | floor | p50 | p95 | p50/floor | before p50 | before/floor |"
	rule := "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
	if login {
		head += " target | | Delta Chat p50 (issue) |"
		rule += "--:|---|--:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for _, r := range results {
		bp50, bratio := "–", "–"
		if b, ok := before.ResultLike(r); ok {
			bp50, bratio = ms(b.P50), ratioText(b.Ratio50())
		}
		line := fmt.Sprintf("| %s | %s | %d | %s | %s | %s | %s | %s | %s |", r.Case, ms(r.RTT), r.Runs, floorText(r),
			ms(r.P50), ms(r.P95), ratioText(r.Ratio50()), bp50, bratio)
		if login {
			dc := "–"
			if ref, ok := DeltaChat[r.Case]; ok && r.Protocol == mailcfg.IMAP {
				if t, ok := ref.At(r.RTT); ok {
					dc = fmt.Sprintf("%s = %s× floor", ms(t), ratioText(ratio(t, r.Floor)))
				}
			}
			line += fmt.Sprintf(" %s | %s | %s |", targetText(r), verdict(r), dc)
		}
		fmt.Fprintln(w, line)
	}
}

// WriteRTTTable prints, per case of one mode and protocol, the round
// trips waited (this run, before, and the issue's figures), and the
// connections and DNS queries per run at the largest RTT.
func WriteRTTTable(w io.Writer, all []Result, m Mode, p mailcfg.Protocol, before *Before) {
	issue := m == ModeLogin && p == mailcfg.IMAP
	head := "| case | floor | RTTs waited | p50/RTT | before: RTTs waited | p50/RTT | connections per run (before) | DNS queries per run (before) |"
	rule := "|---|--:|--:|--:|--:|--:|--:|--:|"
	if issue {
		head += " Delta Chat (issue) | mailsetup (issue) |"
		rule += "--:|--:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	var beforeResults []Result
	if before != nil {
		beforeResults = before.Results
	}
	for _, name := range caseNames(resultsOf(all, m, p)) {
		var last Result
		for _, r := range resultsOf(all, m, p) {
			if r.Case == name && r.RTT >= last.RTT {
				last = r
			}
		}
		waited := func(rs []Result) string {
			if n, ok := RTTsWaited(rs, name, m, p); ok {
				return fmt.Sprintf("%.1f", n)
			}
			return "–"
		}
		perRTT := func(r Result, ok bool) string {
			if !ok || r.RTT <= 0 {
				return "–"
			}
			return fmt.Sprintf("%.1f", float64(r.P50)/float64(r.RTT))
		}
		counts := func(now, then int64, ok bool) string {
			if !ok {
				return fmt.Sprint(now)
			}
			return fmt.Sprintf("%d (%d)", now, then)
		}
		b, ok := before.ResultLike(last)
		line := fmt.Sprintf("| %s | %g RTT | %s | %s | %s | %s | %s | %s |", name, last.FloorRTT, waited(all), perRTT(last, true),
			waited(beforeResults), perRTT(b, ok), counts(last.Dials, b.Dials, ok), counts(last.Queries, b.Queries, ok))
		if issue {
			dc, ms := "–", "–"
			if ref, ok := DeltaChat[name]; ok {
				dc = fmt.Sprintf("%.1f", ref.RTTs)
			}
			if ref, ok := IssueMailsetup[name]; ok {
				ms = fmt.Sprintf("%.1f", ref.RTTs)
			}
			line += fmt.Sprintf(" %s | %s |", dc, ms)
		}
		fmt.Fprintln(w, line)
	}
}

// caseNames lists the cases of results in their first order.
func caseNames(results []Result) []string {
	var out []string
	for _, r := range results {
		if !slices.Contains(out, r.Case) {
			out = append(out, r.Case)
		}
	}
	return out
}

// MetMode reports whether every result of mode m meets its target.
func MetMode(results []Result, m Mode) bool {
	return Met(resultsOf(results, m, ""))
}

// writeLogin writes the sections of the login modes.
func (r *Report) writeLogin(p func(string, ...any), w io.Writer) {
	login := resultsOf(r.Results, ModeLogin, "")
	rejected := resultsOf(r.Results, ModeRejected, "")
	if len(login)+len(rejected) == 0 {
		return
	}
	p("## Time to a verified login")
	p("")
	p("What a user waits for in `mailsetup check`, and in the window from \"Find settings\" to \"Login OK\": wall time of")
	p("`Engine.DiscoverAndCheck` with the bed user's password known up front, as `check --password-stdin`, the prompt and")
	p("the window's optional password field give it (each role logs in the moment it settles, on its probe's connection,")
	p("both at once), from the call until it returns; `--protocol` chosen as the row says; a fresh engine per run, runs one")
	p("after another after one uncounted warm-up run. A run counts as right only when the recommendation is the expected one and both logins")
	p("succeed (IMAP: the INBOX opened; POP3: STAT answered). The target is on p50: within **1.15× the floor** at 50 and")
	p("200 ms for the clean cases, **1.5×** for the degraded ones (tarpit, slow), and faster than Delta Chat in every row")
	p("the issue measured.")
	p("")
	if r.Before != nil {
		bm := r.Before.Machine
		p("`before` is %s (%s, commit %s; load average before / after %s / %s%s), read from `%s`.", r.Before.Label,
			bm.Date.Format("2006-01-02 15:04 MST"), bm.Commit, bm.LoadBefore, bm.LoadAfter, roundsText(bm.Rounds), DefaultBeforePath)
		p("")
	}
	p("Delta Chat's figures are the issue's own measurement (Delta Chat core 2.57.0's account configure: discovery, IMAP")
	p("and SMTP login, beside `mailsetup check --protocol imap`, a uniform delay on every packet, DNS included). Delta Chat")
	p("cannot be built here (crates.io is not reachable), so they are quoted, not re-measured; the ratio beside each")
	p("relates it to this page's floor.")
	p("")
	for _, proto := range protocolsOf(login) {
		rs := resultsOf(login, ModeLogin, proto)
		p("### %s preferred", protocolName(proto))
		p("")
		WriteLoginTable(w, rs, r.Before)
		p("")
		if note := FixedCostNote(rs); note != "" {
			p("%s", note)
			p("")
		}
	}
	p("### Round trips waited")
	p("")
	p("How many round trips a run waits for. `RTTs waited` is the slope of p50 between the two largest RTTs measured,")
	p("(p50 at 200 ms − p50 at 50 ms) / 150 ms: the issue's method (its figures follow from its table the same way). The")
	p("engine's and the servers' own work cancels out only if it costs the same in both rounds; on a shared machine whose")
	p("load changes between the 50 ms and the 200 ms round it does not, so `p50/RTT` at the largest RTT stands beside it:")
	p("an upper bound (it also counts the CPU time, a small share at 200 ms), close to the slope on a quiet machine. Both")
	p("compare with the floor. `connections` and `DNS queries` are the medians per run at the largest RTT, counted by the")
	p("latency-injecting dialer (every connect asked for, refused and blackholed ones included) and the DNS proxy (UDP")
	p("datagrams and TCP connections); they count work, not waiting, since most of it runs in parallel.")
	p("")
	for _, proto := range protocolsOf(login) {
		p("%s preferred, verified login:", protocolName(proto))
		p("")
		WriteRTTTable(w, r.Results, ModeLogin, proto, r.Before)
		p("")
	}
	if len(rejected) > 0 {
		p("## Time to a rejected password")
		p("")
		p("The same runs with a wrong password: right when the recommendation is the expected one and both servers refuse")
		p("the credentials (`auth_failed`). Where the provider is not known the engine tries two login names, the address")
		p("and then its local part, so the floor holds two authentications per role. Dovecot answers a refusal about 0.5 s")
		p("late (the bed sets `auth_failure_delay = 0`, but dovecot 2.3 works its failure queue off every 500 ms): server time")
		p("no client can save, 0.5 s per name tried one after the other (the RTT 0 rows are just that: 0.5 s with one name, 1 s")
		p("with two). The floor counts round trips only and leaves it out. No target is set for this figure.")
		p("")
		for _, proto := range protocolsOf(rejected) {
			rs := resultsOf(rejected, ModeRejected, proto)
			if len(rs) == 0 {
				continue
			}
			p("### %s preferred", protocolName(proto))
			p("")
			WriteLoginTable(w, rs, r.Before)
			p("")
			WriteRTTTable(w, r.Results, ModeRejected, proto, r.Before)
			p("")
		}
	}
}

// writeLoginFloor derives the floor of the login modes.
func (r *Report) writeLoginFloor(p func(string, ...any)) {
	if len(r.LoginCases) == 0 {
		return
	}
	p("## The login floor")
	p("")
	p("A verified login's floor is the discovery floor's paths, each extended by the login of its role on the")
	p("recommended server, continuing on the connection the probe opened: what the probe learnt (the capabilities, the")
	p("certificate's verdict) is what the login needs. A login on a new connection would add DNS (cached), TCP, TLS,")
	p("greeting and capabilities again; the network does not demand that, so it is the engine's cost and shows in the")
	p("measured time, not in the floor. The password goes out only once the recommendation can be trusted, so a source")
	p("that must answer first (the SRV answer, the ISPDB's 404 before a guess is trusted) is followed by the slower")
	p("role's login. The two roles run in parallel; the floor is the longest chain.")
	p("")
	p("Round trips after the probe, per protocol and mechanism (the bed's dovecot offers SASL-IR, AUTH=PLAIN and POP3")
	p("PIPELINING, so the floor uses the first row of each protocol):")
	p("")
	p("| protocol | authentication | RTT | mailbox check | RTT | after the probe |")
	p("|---|---|--:|---|--:|--:|")
	p("| IMAP | AUTHENTICATE PLAIN with SASL-IR (RFC 4959), or LOGIN | 1 | EXAMINE INBOX | 1 | 2 |")
	p("| IMAP | AUTHENTICATE PLAIN without SASL-IR (empty challenge first) | 2 | EXAMINE INBOX | 1 | 3 |")
	p("| POP3 | USER, PASS and STAT in one flight (PIPELINING, RFC 2449) | 1 | STAT (same flight) | 0 | 1 |")
	p("| POP3 | AUTH PLAIN with an initial response (RFC 5034) | 1 | STAT | 1 | 2 |")
	p("| POP3 | USER, PASS | 2 | STAT | 1 | 3 |")
	p("| SMTP | AUTH PLAIN with an initial response (RFC 4954) | 1 | – | 0 | 1 |")
	p("| SMTP | AUTH LOGIN (user name, then password) | 3 | – | 0 | 3 |")
	p("")
	p("IMAP ID (which NetEase wants before SELECT) can be pipelined with EXAMINE and LOGOUT/QUIT need not be")
	p("waited for, so neither counts. The probe's own chain is the discovery floor's, with one refinement for IMAP:")
	p("dovecot's greeting carries `[CAPABILITY …]` (as RFC 9051 recommends), so over implicit TLS no CAPABILITY command is")
	p("needed (the engine already uses the greeting's list): an IMAP probe on 993 is DNS + TCP + TLS + greeting = 4 RTT,")
	p("on 143 DNS + TCP + greeting + STARTTLS + TLS + CAPABILITY = 6 RTT. POP3 and SMTP probes ask (CAPA, EHLO): 5 RTT, 7 with STARTTLS.")
	p("A rejected password needs only the authentication, once per login name tried. The chains of each case (verified")
	p("login; the rejected password's critical path after it):")
	p("")
	for _, c := range r.LoginCases {
		p("- **%s**, %s preferred (`%s`): %s", c.Name, protocolName(c.Protocol), c.Email, c.About)
		for _, path := range c.Floor {
			mark := ""
			if path.RTTs() == c.Floor.RTTs() {
				mark = " ← critical"
			}
			p("  - %s%s", path, mark)
		}
		p("  - rejected password: %s", c.Rejected.Critical())
	}
	p("")
	p("What the engine did before (main at 769c1a0, which the \"before\" figures measure): `Check` started after")
	p("`Discover` had returned and opened a new connection per role. IMAP on 993: TCP, TLS, greeting, LOGIN, ID, EXAMINE,")
	p("LOGOUT (waited for) = 7 RTT; SMTP on 465: TCP, TLS, greeting, EHLO (the probe's), EHLO again (go-smtp's Hello),")
	p("AUTH PLAIN, QUIT (waited for) = 7 RTT; on STARTTLS ports STARTTLS, a second handshake and the capabilities again")
	p("came on top. So a verified login cost the discovery's round trips plus about 7-10, where the floor adds 1-2; a")
	p("rejected password tried under two names paid the new connection twice, one after the other.")
	p("")
	p("What it does now: with the password known, each role's login starts the moment the role settles, on the probe's")
	p("connection (kept open, through TLS and capabilities, for the candidates that can still win); EHLO once after")
	p("implicit TLS; AUTHENTICATE with SASL-IR, ID pipelined with EXAMINE; USER, PASS and STAT in one flight where POP3")
	p("offers PIPELINING; LOGOUT and QUIT sent without waiting for their replies; one DNS cache for sources, probes and")
	p("logins; and, when the user chose the protocol, the other protocol's servers probed only once the chosen one has")
	p("settled (or stalled), so they never hold up the answer.")
	p("")
}

// writeLoginUsage writes what a login run costs the process and what it
// leaves behind.
func (r *Report) writeLoginUsage(p func(string, ...any)) {
	var rows []Usage
	for _, u := range r.Usage {
		if u.Mode == ModeLogin || u.Mode == ModeRejected {
			rows = append(rows, u)
		}
	}
	if len(rows) == 0 {
		return
	}
	p("A discover and both logins (`Engine.DiscoverAndCheck`, right or wrong password) at RTT 0, the same way, highest of 3 runs;")
	p("`mailsetup check` is the testhooks binary (`check --json --password-stdin`). `left` is what the engine-only")
	p("process held right when DiscoverAndCheck returned beyond what it held before the engine was made (goroutines / sockets:")
	p("its file descriptors that are sockets); `settled` the same %v later.", LeftoverWait)
	p("The issue asks for nothing left and for peak RSS within ±10 %% of the before figures (in brackets).")
	p("")
	p("| case | mode | protocol | goroutines peak | left | settled | engine peak RSS | `mailsetup check` peak RSS | took |")
	p("|---|---|---|--:|--:|--:|--:|--:|--:|")
	for _, u := range rows {
		peakRSS, binRSS := mib(u.MaxRSSKiB), mib(u.BinaryMaxRSSKiB)
		if b, ok := r.Before.UsageLike(u); ok {
			peakRSS += fmt.Sprintf(" (%s)", mib(b.MaxRSSKiB))
			binRSS += fmt.Sprintf(" (%s)", mib(b.BinaryMaxRSSKiB))
		}
		p("| %s | %s | %s | %d | %d / %d | %d / %d | %s | %s | %s |", u.Case, u.Mode, protocolName(u.Protocol), u.GoroutinesPeak,
			u.GoroutinesLeft, u.SocketsLeft, u.GoroutinesSettled, u.SocketsSettled, peakRSS, binRSS, ms(u.Took))
	}
	p("")
	var any bool
	for _, u := range rows {
		if len(u.Leftovers) == 0 {
			continue
		}
		if !any {
			p("Left when Check returned (real ports shown as the standard port they stand for):")
			p("")
			any = true
		}
		p("- **%s**, %s, %s: %s", u.Case, u.Mode, protocolName(u.Protocol), strings.Join(u.Leftovers, "; "))
	}
	if any {
		p("")
	}
}

// roundsText is the mean load of each round, for a sentence.
func roundsText(rounds []RoundLoad) string {
	var parts []string
	for _, r := range rounds {
		parts = append(parts, fmt.Sprintf("%s round %.1f", ms(r.RTT), r.LoadMean))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", mean during the " + strings.Join(parts, ", ")
}

// verdictLine sums up one mode's targets for the top of the page.
func verdictLine(results []Result, m Mode) string {
	if len(resultsOf(results, m, "")) == 0 {
		return ""
	}
	if MetMode(results, m) {
		return "**met**"
	}
	return "**not met** (see the rows marked in its table)"
}
