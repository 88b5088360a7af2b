package discover

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailsetup/internal/refdata"
)

// checkServers is what any successful parse must guarantee.
func checkFuzzServers(t *testing.T, servers []ConfigServer) {
	for _, s := range servers {
		if err := s.Validate(); err != nil {
			t.Fatalf("invalid server from a successful parse: %v", err)
		}
		if strings.ContainsAny(s.Host, " /:%@") {
			t.Fatalf("bad host %q", s.Host)
		}
	}
}

func FuzzParseClientConfig(f *testing.F) {
	f.Add([]byte(exampleConfig))
	if data, err := os.ReadFile("testdata/cc_placeholders.xml"); err == nil {
		f.Add(data)
	}
	for _, name := range refdata.ISPDBSample(f, 20) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><clientConfig/>`))
	addr := mustAddress(f, "alice@example.com")
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseClientConfig(bytes.NewReader(data), addr)
		if err != nil {
			if cfg != nil {
				t.Fatal("config returned with an error")
			}
			return
		}
		if len(cfg.Incoming)+len(cfg.Outgoing) == 0 {
			t.Fatal("success without servers")
		}
		checkFuzzServers(t, cfg.Servers())
	})
}

func FuzzParseAutodiscover(f *testing.F) {
	entries, _ := filepath.Glob("testdata/ad_*.xml")
	for _, name := range entries {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<Autodiscover><Response><Account><Protocol><Type>IMAP</Type><Server>a</Server></Protocol></Account></Response></Autodiscover>`))
	addr := mustAddress(f, "alice@example.com")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseAutodiscover(bytes.NewReader(data), addr)
		if err != nil {
			if res != nil {
				t.Fatal("result returned with an error")
			}
			return
		}
		switch res.Action {
		case ActionRedirectAddr:
			if res.RedirectAddr == "" || len(res.Servers) != 0 {
				t.Fatalf("redirectAddr result %+v", res)
			}
			return
		case ActionRedirectURL:
			if res.RedirectURL == "" || len(res.Servers) != 0 {
				t.Fatalf("redirectUrl result %+v", res)
			}
			return
		}
		if len(res.Servers) == 0 {
			t.Fatal("success without servers")
		}
		var list []ConfigServer
		for _, s := range res.Servers {
			list = append(list, ConfigServer{Server: s})
		}
		checkFuzzServers(t, list)
	})
}
