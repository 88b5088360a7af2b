package reliability

import (
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mailsetup/assistant"
	"mailsetup/cli"
	"mailsetup/dnsx"
	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
)

// write names the Markdown file the results go to (make reliability).
var write = flag.String("write", "", "rewrite this Markdown file (docs/reliability.md) with the results")

// Shared by every test of the package: one test bed, one dovecot serving
// every host name a test needs, and a CA file trusting both the bed's CA
// and ours.
var (
	bed     *testbed.Bed
	mail    *testbed.Dovecot
	ours    *Authority
	caFile  string
	roots   *x509.CertPool
	results = &Results{}
)

// password is the one the secrets test hunts for; dovecot knows it for
// every user. "&" and "<" make JSON, XML and HTML escape it, so that the
// escaped forms are searched for too.
const password = "Rel1ab-pw&<7q!Zx"

// dovecotHosts are the names the shared dovecot answers for (certificate
// and A records); the tests add theirs before TestMain starts it.
func dovecotHosts() []string {
	hosts := []string{
		"mail.trunc.rel.test", "mail.outside-provider.test", "mailhost.httponly.rel.test",
		"mail.redirect.rel.test", "mail.bigbody.rel.test", "mail.malformed.rel.test", "mail.bomb.rel.test",
		"mail.adloop.rel.test",
		"mail.secrets.rel.test",
	}
	return hosts
}

func dovecotUsers() map[string]string {
	return map[string]string{
		"alice@secrets.rel.test":  password,
		"alice@outside.rel.test":  password,
		"alice@httponly.rel.test": password,
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	var err error
	bed, err = testbed.New(testbed.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "test bed:", err)
		return 1
	}
	defer bed.Close()
	if ours, err = NewAuthority("reliability test CA"); err != nil {
		fmt.Fprintln(os.Stderr, "CA:", err)
		return 1
	}
	bedCA, err := os.ReadFile(bed.CAFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	caFile = filepath.Join(bed.Dir, "reliability-ca.pem")
	if err := os.WriteFile(caFile, append(bedCA, ours.PEM...), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// The OAuth2 cases run the command line in process: no client ID may
	// come from this machine's environment or settings.
	os.Unsetenv(cli.ClientIDEnv)
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(bed.Dir, "config"))
	roots = x509.NewCertPool()
	roots.AppendCertsFromPEM(bedCA)
	roots.AppendCertsFromPEM(ours.PEM)
	mail, err = bed.StartDovecot(testbed.DovecotOptions{Hosts: dovecotHosts(), Users: dovecotUsers()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "dovecot:", err)
		return 1
	}
	code := m.Run()
	if *write != "" {
		if err := os.WriteFile(*write, results.Markdown(time.Now()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "writing the report:", err)
			return 1
		}
		fmt.Fprintln(os.Stderr, "wrote", *write)
	}
	return code
}

// engineOptions are the options every engine of these tests starts from.
func engineOptions(dns string, dialer dnsx.ContextDialer) assistant.Options {
	if dns == "" {
		dns = bed.DNSAddr
	}
	return assistant.Options{DNS: dns, Dialer: dialer, CAFile: caFile, Offline: true,
		Timeout: engineTimeout, ProbeTimeout: probeTimeout, Lang: "en"}
}

// dialer is the bed's dialer plus extra "ip:std → ip:actual" entries for
// the servers of this package.
func dialer(extra map[string]string) *portmap.PortMap {
	d := bed.Dialer()
	for k, v := range extra {
		d.Map[k] = v
	}
	return d
}
