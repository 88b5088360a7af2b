package reliability

// OAuthGroup is the group of the matrix rows that sign in with OAuth2;
// the report gives them a section of their own.
const OAuthGroup = "oauth2"

// oauthSection renders the OAuth2 cases and the token hunt.
func (r *Results) oauthSection(p func(string, ...any), rows []Row) {
	p("## OAuth2 sign-in")
	p("")
	p("Each case runs `mailsetup check EMAIL --oauth-issuer URL --oauth-client-id ID --oauth-scope \"mail offline_access\"`")
	p("through `cli.Run`, the binary's own code, in the test process (so that goroutines and heap can be")
	p("watched), with `--json`. The sign-in page is the test bed's real authorization server (zitadel/oidc:")
	p("authorization code with PKCE, refresh with rotation, device flow, introspection) at")
	p("`https://auth.oauth.rel.test`, worked through by a headless browser that fills in its login form; the")
	p("accounts' dovecots take its tokens (OAUTHBEARER and XOAUTH2, or XOAUTH2 only) and check each by")
	p("introspection. Broken issuers stand beside it on loopback. An HTTP exchange gives up after %v, as in", probeTimeout)
	p("the fault matrix; the wait for a person to sign in (5 minutes) is never reached.")
	p("")
	p("- **Expected**: exit code (docs/design.md) · the catalogue code of the message (`l10n/catalogue.json`).")
	p("- **Observed**: exit code · the message the user reads (the incoming login's `reason` in the JSON, in")
	p("  English: the human output's words), or on success each role's protocol and SASL mechanism.")
	p("- **Time**, **Bound**, **Leak**, **Heap**: as in the fault matrix.")
	p("")
	p("| Case | Expected | Observed | Time | Bound | Leak | Heap (bound) | Pass |")
	p("|---|---|---|---:|---:|---:|---:|---|")
	passed := 0
	for _, row := range rows {
		if row.Pass {
			passed++
		}
		p("| %s | %s | %s | %s | %s | %d | %s (%s) | %s |", cell(row.Case), cell(row.Expected), cell(row.observed()),
			ms(row.Elapsed), ms(row.Bound), row.Leaked, mib(row.HeapDelta), mib(row.HeapBound), yes(row.Pass))
	}
	p("")
	p("%d of %d cases pass.", passed, len(rows))
	p("")
	p("### The token hunt")
	p("")
	h := r.tokens
	if h == nil {
		p("Not run.")
		p("")
		return
	}
	p("Part of the secrets test: the real binary (`-tags testhooks`) ran `check --oauth…` against the same")
	p("authorization server and dovecots: signing in through `$BROWSER` (`internal/testbed/cmd/oauthbrowser`,")
	p("a stand-in that works the sign-in page over HTTP), through a `--no-browser` address the test opened,")
	p("and through the device flow (`--oauth-device`, the code read from standard error and approved on the")
	p("device page); over POP3, IMAP and SMTP with OAUTHBEARER and XOAUTH2; with `--json`, human output and")
	p("`-v` transcripts; with tokens refused (another application's; servers that quote the client's")
	p("AUTHENTICATE line back), expired at the server and refreshed, and with the refresh token revoked;")
	p("then every export format from a saved report. Each run had a home, configuration, cache and")
	p("temporary folder of its own. The test bed recorded every secret it exchanged with the runs:")
	p("")
	p("| Secret | Exchanged |")
	p("|---|---:|")
	for _, k := range h.Kinds {
		p("| %s | %d |", k, h.Secrets[k])
	}
	p("")
	p("Standard output and standard error of every run, every file the runs wrote, and the dovecots' logs")
	p("were searched for each of them, and for every secret the authorization server handed out before (to")
	p("the cases above):")
	p("")
	for _, s := range h.Shapes {
		p("- %s", s)
	}
	p("")
	p("%d command runs; %d outputs searched: standard output and error, %d files the exports wrote, %d files",
		len(h.Runs), h.Outputs, h.ExportFiles, h.Files)
	p("the sign-in runs wrote in their home, configuration, cache and temporary folders, and 2 dovecot logs;")
	p("%d distinct strings:", h.Forms)
	writeHuntOutcome(p, h.Findings, "no output holds any of them: **pass**.", h.Runs,
		"Every run also had `--dns`, `--ca`, `--offline` and `--timeout 8s`.")
	p("")
}
