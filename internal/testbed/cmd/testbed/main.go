// Command testbed runs the standard test-bed scenarios (see
// internal/testbed/README.md) for tests that drive the mailsetup binary
// and for screenshots. It prints shell-style lines
//
//	DNS=127.0.0.1:PORT
//	DEAD_DNS=127.0.0.1:PORT
//	MAILSETUP_DIAL_MAP=127.0.0.10:995=127.0.0.10:40001,…
//	SSL_CERT_FILE=/tmp/testbed-…/certs/ca.pem
//	READY=1
//
// then serves until SIGINT or SIGTERM, or until its standard input closes
// (unless standard input is /dev/null). With -json FILE it also writes the
// scenarios and their expected results as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
	"mailsetup/mailcfg"
)

// scenarioJSON is a scenario as written by -json.
type scenarioJSON struct {
	Name         string              `json:"name"`
	Domain       string              `json:"domain"`
	Email        string              `json:"email"`
	Password     string              `json:"password"`
	About        string              `json:"about"`
	DNS          string              `json:"dns"`
	ProviderID   string              `json:"provider_id,omitempty"`
	Incoming     *mailcfg.Server     `json:"incoming"`
	IncomingIMAP *mailcfg.Server     `json:"incoming_imap"`
	Outgoing     *mailcfg.Server     `json:"outgoing"`
	Sources      []string            `json:"sources,omitempty"`
	Status       mailcfg.Status      `json:"status"`
	Untrusted    bool                `json:"untrusted"`
	LoginOK      bool                `json:"login_ok"`
	IPs          []string            `json:"ips,omitempty"`
	SharedIPs    []string            `json:"shared_ips,omitempty"`
	Route        string              `json:"route,omitempty"`
	SourceNotes  map[string][]string `json:"source_notes,omitempty"`
}

func main() {
	jsonFile := flag.String("json", "", "also write the scenarios and expected results to this `file` as JSON")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if !stdinIsDevNull() {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}
	if err := serve(ctx, os.Stdout, os.Stderr, *jsonFile); err != nil {
		fmt.Fprintln(os.Stderr, "testbed:", err)
		os.Exit(1)
	}
}

// serve starts the scenarios, prints the environment to out and a
// description to info, and stops everything when ctx ends.
func serve(ctx context.Context, out, info io.Writer, jsonFile string) error {
	bed, err := testbed.New(testbed.Options{})
	if err != nil {
		return err
	}
	defer bed.Close()
	scenarios, err := bed.StartStandard()
	if err != nil {
		return err
	}
	if jsonFile != "" {
		if err := writeJSON(jsonFile, scenarios); err != nil {
			return err
		}
	}
	for _, sc := range scenarios.All() {
		fmt.Fprintf(info, "# %-18s %-24s %s\n", sc.Domain, sc.Email, sc.About)
	}
	fmt.Fprintf(info, "# password for every user: %s\n", testbed.DefaultPassword)
	fmt.Fprintf(out, "DNS=%s\n", bed.DNSAddr)
	fmt.Fprintf(out, "DEAD_DNS=%s\n", bed.DeadDNSAddr())
	fmt.Fprintf(out, "%s=%s\n", portmap.Env, bed.DialMapEnv())
	fmt.Fprintf(out, "SSL_CERT_FILE=%s\n", bed.CAFile)
	fmt.Fprintf(out, "OAUTH_ISSUER=%s\n", scenarios.OAuth.OAuth.Issuer)
	fmt.Fprintf(out, "OAUTH_CLIENT_ID=%s\n", testbed.OAuthClientID)
	// Quoted: the scripts source these lines, and the scopes hold a space.
	fmt.Fprintf(out, "OAUTH_SCOPE='%s'\n", strings.Join(testbed.OAuthScopes, " "))
	fmt.Fprintf(out, "READY=1\n")
	if f, ok := out.(*os.File); ok {
		f.Sync()
	}
	<-ctx.Done()
	return nil
}

// stdinIsDevNull is true for background jobs of non-interactive shells,
// whose standard input reads as closed at once.
func stdinIsDevNull() bool {
	in, err1 := os.Stdin.Stat()
	null, err2 := os.Stat(os.DevNull)
	return err1 == nil && err2 == nil && os.SameFile(in, null)
}

func writeJSON(file string, s *testbed.Scenarios) error {
	var out []scenarioJSON
	for _, sc := range s.All() {
		out = append(out, scenarioJSON{
			Name: sc.Name, Domain: sc.Domain, Email: sc.Email, Password: sc.Password, About: sc.About,
			DNS: sc.DNS, ProviderID: sc.ProviderID, Incoming: sc.Incoming, IncomingIMAP: sc.IncomingIMAP,
			Outgoing: sc.Outgoing, Sources: sc.Sources, Status: sc.Status, Untrusted: sc.Untrusted,
			LoginOK: sc.LoginOK, IPs: sc.IPs, SharedIPs: sc.SharedIPs, Route: sc.Route, SourceNotes: sc.SourceNotes,
		})
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(data, '\n'), 0o644)
}
