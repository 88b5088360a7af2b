package discover

import (
	"context"
	"testing"

	"mailsetup/dnsx"
	"mailsetup/mailcfg"
	"mailsetup/providers"
)

func TestFindProvider(t *testing.T) {
	r := &fakeResolver{mx: map[string][]dnsx.MX{
		"nowhere.example": {{Host: "mx.nowhere.example"}},
	}}
	env := Env{Resolver: r}
	ctx := context.Background()
	if p, src := FindProvider(ctx, env, mustAddress(t, "a@QQ.com")); p == nil || src != SourceBuiltin || p != providers.ByDomain("qq.com") {
		t.Errorf("qq.com: %v %q", p, src)
	}
	if p, src := FindProvider(ctx, env, mustAddress(t, "a@nowhere.example")); p != nil || src != "" {
		t.Errorf("nowhere.example: %v %q", p, src)
	}
	if p, _ := FindProvider(ctx, Env{}, mustAddress(t, "a@nowhere.example")); p != nil {
		t.Errorf("no resolver: %v", p)
	}
}

func TestBuiltinSource(t *testing.T) {
	all := providers.All()
	if len(all) == 0 {
		t.Fatal("empty provider table")
	}
	for _, p := range all {
		if len(p.Domains) == 0 {
			continue
		}
		addr := mustAddress(t, "someone@"+p.Domains[0])
		cands, _, err := runSource(t, &BuiltinSource{Env: Env{Protocols: []mailcfg.Protocol{mailcfg.POP3, mailcfg.IMAP}}}, addr.String())
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) != len(p.Incoming)+len(p.Outgoing) {
			t.Errorf("%s: %d candidates for %d servers", p.ID, len(cands), len(p.Incoming)+len(p.Outgoing))
			continue
		}
		servers := append(append([]providers.Server{}, p.Incoming...), p.Outgoing...)
		for i, c := range cands {
			s := servers[i]
			if c.Host != s.Host || c.Port != s.Port || c.Security != s.Security || c.Protocol != s.Protocol ||
				c.Username != p.UsernameForServer(s, addr) || !c.Trusted {
				t.Errorf("%s: candidate %d = %+v, want %+v", p.ID, i, c, s)
			}
		}
	}
	// iCloud: the IMAP user name is the local part, the SMTP one the address.
	cands, _, err := runSource(t, &BuiltinSource{}, "alice@icloud.com")
	if err != nil || len(cands) != 2 || cands[0].Username != "alice" || cands[1].Username != "alice@icloud.com" {
		t.Errorf("icloud: %+v, %v", cands, err)
	}
	cands, _, err = runSource(t, &BuiltinSource{}, "a@nowhere.example")
	if err != nil || len(cands) != 0 {
		t.Errorf("unknown domain: %v %v", cands, err)
	}
}
