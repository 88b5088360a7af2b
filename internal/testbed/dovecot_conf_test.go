package testbed

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func TestDovecotConfGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts DovecotOptions
	}{
		{"dovecot-tls.conf", DovecotOptions{}},
		{"dovecot-plaintext.conf", DovecotOptions{PlaintextOnly: true}},
		{"dovecot-pop3s-only.conf", DovecotOptions{Services: listeners(995)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			if err := o.normalize(); err != nil {
				t.Fatal(err)
			}
			ports := map[int]int{}
			for i, l := range o.Services {
				ports[l.StdPort] = 40000 + i
			}
			c := &dovecotConf{dir: "/tmp/testbed-X/dovecot1", instance: "tb1-1", ip: "127.0.0.10",
				hostname: "mail.example.test", certFile: "/tmp/testbed-X/certs/valid.crt", keyFile: "/tmp/testbed-X/certs/valid.key",
				usersFile: "/tmp/testbed-X/dovecot1/users", plaintextOnly: o.PlaintextOnly, uid: 103, gid: 105,
				sinkPort: 2525, listeners: o.Services, ports: ports}
			got := c.render()
			golden := filepath.Join("testdata", tt.name)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("configuration differs from %s (run with -update to accept):\n%s", golden, got)
			}
		})
	}
}
