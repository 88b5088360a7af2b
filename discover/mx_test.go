package discover

import (
	"context"
	"errors"
	"strings"
	"testing"

	"mailsetup/dnsx"
	"mailsetup/providers"
)

func TestMXSourceISPDBOfMXDomain(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("https://ispdb.test/v1.1/hoster.example", strings.ReplaceAll(exampleConfig, "%EMAILDOMAIN%", "example.com"))
	r := &fakeResolver{mx: map[string][]dnsx.MX{
		"example.com": {{Host: "mx2.hoster.example", Pref: 20}, {Host: "mx1.hoster.example", Pref: 10}},
	}}
	env := NewEnv(r, w.client)
	env.ISPDBURL = "https://ispdb.test/v1.1/"
	cands, lines, err := runSource(t, &MXSource{Env: env}, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, lines, exampleLines(SourceMX, "trusted"))
	if !strings.Contains(cands[0].Detail, "mx1.hoster.example") {
		t.Errorf("detail %q does not name the preferred MX", cands[0].Detail)
	}

	env.Offline = true
	before := len(w.allRequests())
	cands, _, err = runSource(t, &MXSource{Env: env}, "alice@example.com")
	if err != nil || len(cands) != 0 || len(w.allRequests()) != before {
		t.Errorf("offline: %v %v, %d requests", cands, err, len(w.allRequests())-before)
	}
}

func TestMXSourceNoLookup(t *testing.T) {
	tests := []struct {
		name string
		mx   []dnsx.MX
		err  error
	}{
		{"MX in the same domain", []dnsx.MX{{Host: "mx.example.com"}}, nil},
		{"null MX", nil, &dnsx.Error{Kind: dnsx.ServiceNotOffered}},
		{"no MX", nil, &dnsx.Error{Kind: dnsx.NoData}},
		{"NXDOMAIN", nil, &dnsx.Error{Kind: dnsx.NXDomain}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWeb(t)
			r := &fakeResolver{mx: map[string][]dnsx.MX{"example.com": tt.mx}, mxErr: map[string]error{"example.com": tt.err}}
			env := NewEnv(r, w.client)
			env.ISPDBURL = "https://ispdb.test/v1.1/"
			cands, _, err := runSource(t, &MXSource{Env: env}, "alice@example.com")
			if err != nil || len(cands) != 0 {
				t.Errorf("candidates %v err %v", cands, err)
			}
			if n := len(w.allRequests()); n != 0 {
				t.Errorf("%d HTTP requests", n)
			}
		})
	}
}

func TestMXSourceFailure(t *testing.T) {
	r := &fakeResolver{mxErr: map[string]error{"example.com": &dnsx.Error{Kind: dnsx.ServFail}}}
	_, _, err := runSource(t, &MXSource{Env: Env{Resolver: r}}, "alice@example.com")
	if !errors.Is(err, dnsx.ErrServFail) {
		t.Errorf("err = %v", err)
	}
}

// TestMXSourceTencentExmail: mxbiz1.qq.com is Tencent Exmail, not QQ Mail,
// and QQ's ISPDB entry must not be consulted for it.
func TestMXSourceTencentExmail(t *testing.T) {
	qq := providers.ByDomain("qq.com")
	if qq == nil {
		t.Fatal("qq.com is not in the built-in table")
	}
	w := newTestWeb(t)
	r := &fakeResolver{mx: map[string][]dnsx.MX{
		"corp.example": {{Host: "mxbiz2.qq.com", Pref: 10}, {Host: "mxbiz1.qq.com", Pref: 5}},
	}}
	env := NewEnv(r, w.client)
	env.ISPDBURL = "https://ispdb.test/v1.1/"
	cands, _, err := runSource(t, &MXSource{Env: env}, "boss@corp.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) == 0 {
		t.Fatal("no candidates")
	}
	for _, c := range cands {
		if !strings.HasSuffix(c.Host, ".exmail.qq.com") || !c.Trusted {
			t.Errorf("candidate %v (trusted %v) is not Tencent Exmail's", c.Server, c.Trusted)
		}
	}
	if n := len(w.allRequests()); n != 0 {
		t.Errorf("%d HTTP requests: ISPDB asked though the MX named a known provider", n)
	}

	addr := mustAddress(t, "boss@corp.example")
	p, src := FindProvider(context.Background(), env, addr)
	if p == nil || p == qq || src != SourceMX {
		t.Fatalf("FindProvider = %v, %q", p, src)
	}
	if got := p.UsernameFor(addr); cands[0].Username != got {
		t.Errorf("username %q, want %q", cands[0].Username, got)
	}
}
