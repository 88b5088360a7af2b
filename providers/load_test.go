package providers

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// testProvider is a minimal valid entry, as a JSON object, for Load tests.
func testProvider(id string) map[string]any {
	return map[string]any{
		"id":       id,
		"name":     map[string]any{"en": "Test " + id, "zh-Hans": "测试" + id, "zh-Hant": "測試" + id},
		"domains":  []any{id + ".test"},
		"incoming": []any{testServer("pop3", "pop."+id+".test", 995, "tls")},
		"outgoing": []any{testServer("smtp", "smtp."+id+".test", 465, "tls")},
		"username": "address",
		"source":   "test data",
		"checked":  "2026-11",
	}
}

func testServer(proto, host string, port int, security string) map[string]any {
	return map[string]any{"protocol": proto, "host": host, "port": port, "security": security}
}

var testNotes = map[string]any{"en": "Note.", "zh-Hans": "说明。", "zh-Hant": "說明。"}

// testEntry is testProvider(id) as JSON with the fields in extra (a JSON
// object body such as `"mx": ["a.b"]`) set over it.
func testEntry(id, extra string) string {
	p := testProvider(id)
	if extra != "" {
		var over map[string]any
		if err := json.Unmarshal([]byte("{"+extra+"}"), &over); err != nil {
			panic(err)
		}
		for k, v := range over {
			p[k] = v
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func marshalDoc(t *testing.T, providers ...map[string]any) []byte {
	t.Helper()
	list := make([]any, len(providers))
	for i, p := range providers {
		list[i] = p
	}
	b, err := json.Marshal(map[string]any{"schema": 1, "providers": list})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadAcceptsMinimalTable(t *testing.T) {
	ps, err := Load(marshalDoc(t, testProvider("alpha"), testProvider("beta")))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].ID != "alpha" || ps[1].ID != "beta" {
		t.Fatalf("Load = %v, want alpha and beta in order", ps)
	}
}

// TestLoadRejects breaks a valid two-entry table in one way per case.
func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(a, b map[string]any) // a and b are the two entries
		want   string                    // text the error must contain
	}{
		{"unknown protocol", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("pop4", "pop.alpha.test", 995, "tls")}
		}, `incoming[0].protocol: unknown protocol "pop4"`},
		{"unknown security", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("pop3", "pop.alpha.test", 995, "ssl")}
		}, `incoming[0].security: unknown security "ssl"`},
		{"unknown server user name form", func(a, _ map[string]any) {
			srv := testServer("imap", "imap.alpha.test", 993, "tls")
			srv["username"] = "upn"
			a["incoming"] = []any{srv}
		}, `incoming[0].username: is "upn"`},
		{"port zero", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("imap", "imap.alpha.test", 0, "tls")}
		}, "incoming[0].port: 0 is out of range"},
		{"port too big", func(a, _ map[string]any) {
			a["outgoing"] = []any{testServer("smtp", "smtp.alpha.test", 70000, "tls")}
		}, "outgoing[0].port: 70000 is out of range"},
		{"995 with starttls", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("pop3", "pop.alpha.test", 995, "starttls")}
		}, "port 995 speaks implicit TLS"},
		{"465 with none", func(a, _ map[string]any) {
			a["outgoing"] = []any{testServer("smtp", "smtp.alpha.test", 465, "none")}
		}, "port 465 speaks implicit TLS"},
		{"110 with tls", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("pop3", "pop.alpha.test", 110, "tls")}
		}, "port 110 starts in plain text"},
		{"587 with tls", func(a, _ map[string]any) {
			a["outgoing"] = []any{testServer("smtp", "smtp.alpha.test", 587, "tls")}
		}, "port 587 starts in plain text"},
		{"imap on the pop3 port", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("imap", "imap.alpha.test", 995, "tls")}
		}, "port 995 belongs to pop3, not imap"},
		{"incoming smtp", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("smtp", "smtp.alpha.test", 465, "tls")}
		}, "smtp is not an incoming protocol"},
		{"outgoing imap", func(a, _ map[string]any) {
			a["outgoing"] = []any{testServer("imap", "imap.alpha.test", 993, "tls")}
		}, "imap is not an outgoing protocol"},
		{"duplicate server", func(a, _ map[string]any) {
			s := testServer("imap", "imap.alpha.test", 993, "tls")
			a["incoming"] = []any{s, s}
		}, "incoming[1]: duplicate server"},
		{"upper-case host", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("imap", "IMAP.alpha.test", 993, "tls")}
		}, `incoming[0].host: "IMAP.alpha.test" is not a lower-case host name`},
		{"single-label host", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("imap", "localhost", 993, "tls")}
		}, `incoming[0].host: "localhost"`},
		{"loopback host without bridge", func(a, _ map[string]any) {
			a["incoming"] = []any{testServer("imap", "127.0.0.1", 1143, "starttls")}
		}, "allowed only for bridge_only providers"},
		{"bridge with a public host", func(a, _ map[string]any) {
			a["auth"] = []any{"bridge_only"}
			a["notes"] = testNotes
		}, "reached on the local machine only"},
		{"no incoming server", func(a, _ map[string]any) { a["incoming"] = []any{} }, "incoming: no incoming server"},
		{"no outgoing server", func(a, _ map[string]any) { delete(a, "outgoing") }, "outgoing: no outgoing server"},
		{"empty zh-Hant name", func(a, _ map[string]any) {
			a["name"] = map[string]any{"en": "A", "zh-Hans": "甲", "zh-Hant": ""}
		}, "name.zh-Hant: empty"},
		{"missing en name", func(a, _ map[string]any) {
			a["name"] = map[string]any{"zh-Hans": "甲", "zh-Hant": "甲"}
		}, "name.en: empty"},
		{"blank zh-Hans name", func(a, _ map[string]any) {
			a["name"] = map[string]any{"en": "A", "zh-Hans": "  ", "zh-Hant": "甲"}
		}, "name.zh-Hans: empty"},
		{"no name at all", func(a, _ map[string]any) { delete(a, "name") }, "name.en: empty"},
		{"misspelt language", func(a, _ map[string]any) {
			a["name"] = map[string]any{"en": "A", "zh-Hans": "甲", "zh-Hant": "甲", "zh-hans": "甲"}
		}, "name.zh-hans: unknown language"},
		{"note missing a language", func(a, _ map[string]any) {
			a["notes"] = map[string]any{"en": "Note.", "zh-Hant": "說明。"}
		}, "notes.zh-Hans: empty"},
		{"duplicate domain across providers", func(_, b map[string]any) {
			b["domains"] = []any{"beta.test", "alpha.test"}
		}, `domains[1]: "alpha.test" is already served by alpha`},
		{"duplicate ID", func(_, b map[string]any) { b["id"] = "alpha" }, "id: duplicate of entry alpha"},
		{"bad ID", func(a, _ map[string]any) { a["id"] = "Alpha One" }, `id: "Alpha One"`},
		{"upper-case domain", func(a, _ map[string]any) { a["domains"] = []any{"Alpha.test"} }, `domains[0]: "Alpha.test"`},
		{"domain without a dot", func(a, _ map[string]any) { a["domains"] = []any{"alpha"} }, `domains[0]: "alpha"`},
		{"username email", func(a, _ map[string]any) { a["username"] = "email" }, `username: is "email"`},
		{"username missing", func(a, _ map[string]any) { delete(a, "username") }, `username: is ""`},
		{"unknown auth", func(a, _ map[string]any) {
			a["auth"] = []any{"sms"}
			a["notes"] = testNotes
		}, `auth[0]: unknown requirement "sms"`},
		{"auth without a note", func(a, _ map[string]any) { a["auth"] = []any{"app_password"} }, "notes: login requirements"},
		{"hosted without MX", func(a, _ map[string]any) { a["hosted"] = true }, "mx: a hosted provider needs MX patterns"},
		{"no domains, not hosted", func(a, _ map[string]any) { a["domains"] = []any{} }, "domains: a provider that is not hosted"},
		{"MX wildcard on a TLD", func(a, _ map[string]any) { a["mx"] = []any{"*.com"} }, `mx[0]: "*.com"`},
		{"MX inner wildcard", func(a, _ map[string]any) { a["mx"] = []any{"mx.*.example.com"} }, `mx[0]: "mx.*.example.com"`},
		{"duplicate MX across providers", func(a, b map[string]any) {
			a["mx"] = []any{"*.mx.example.com"}
			b["mx"] = []any{"*.mx.example.com"}
		}, `mx[0]: pattern "*.mx.example.com" already belongs to alpha`},
		{"unknown service", func(a, _ map[string]any) { a["service"] = "paused" }, `service: unknown value "paused"`},
		{"closed with servers", func(a, _ map[string]any) {
			a["service"] = "closed"
			a["notes"] = testNotes
		}, `service: "closed" but servers are listed`},
		{"closed without a note", func(a, _ map[string]any) {
			a["service"] = "closed"
			a["incoming"], a["outgoing"] = []any{}, []any{}
		}, `notes: service "closed" needs a note`},
		{"stale without reason", func(a, _ map[string]any) {
			a["stale"] = []any{map[string]any{"host": "pop3.alpha.test", "reason": " "}}
		}, "stale[0].reason: empty"},
		{"stale host is live", func(a, b map[string]any) {
			b["stale"] = []any{map[string]any{"host": "pop.alpha.test", "reason": "old"}}
		}, `stale[0]: "pop.alpha.test" is a live server of alpha`},
		{"stale host twice", func(a, b map[string]any) {
			a["stale"] = []any{map[string]any{"host": "old.example.com", "reason": "old"}}
			b["stale"] = []any{map[string]any{"host": "old.example.com", "reason": "old"}}
		}, `stale[0]: "old.example.com" is already listed by alpha`},
		{"empty source", func(a, _ map[string]any) { a["source"] = "" }, "source: empty"},
		{"month 13", func(a, _ map[string]any) { a["checked"] = "2026-13" }, `checked: "2026-13"`},
		{"checked in words", func(a, _ map[string]any) { a["checked"] = "Nov 2026" }, `checked: "Nov 2026"`},
		{"plain-HTTP help URL", func(a, _ map[string]any) { a["help_url"] = "http://help.alpha.test/" }, "help_url:"},
		{"unknown field", func(a, _ map[string]any) { a["hostname"] = "x" }, `unknown field "hostname"`},
		{"port as text", func(a, _ map[string]any) {
			a["incoming"] = []any{map[string]any{"protocol": "imap", "host": "imap.alpha.test", "port": "993", "security": "tls"}}
		}, "bad JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := testProvider("alpha"), testProvider("beta")
			tt.break_(a, b)
			expectLoadError(t, marshalDoc(t, a, b), tt.want)
		})
	}
}

func TestLoadRejectsBrokenFiles(t *testing.T) {
	good := testEntry("alpha", "")
	tests := []struct {
		name, data, want string
	}{
		{"empty", ``, "bad JSON"},
		{"not JSON", `providers:`, "bad JSON"},
		{"array at top", `[` + good + `]`, "bad JSON"},
		{"truncated", `{"schema": 1, "providers": [` + good, "bad JSON"},
		{"trailing data", `{"schema": 1, "providers": [` + good + `]} {}`, "data after the top-level object"},
		{"no schema", `{"providers": [` + good + `]}`, "schema: is 0, want 1"},
		{"future schema", `{"schema": 2, "providers": [` + good + `]}`, "schema: is 2, want 1"},
		{"no providers", `{"schema": 1, "providers": []}`, "providers: no providers"},
		{"null entry", `{"schema": 1, "providers": [` + good + `, null]}`, "entry #2: null entry"},
		{"unknown top-level field", `{"schema": 1, "version": 3, "providers": [` + good + `]}`, `unknown field "version"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectLoadError(t, []byte(tt.data), tt.want) })
	}
}

// TestLoadReportsEveryProblem: one Load names all problems, not only the first.
func TestLoadReportsEveryProblem(t *testing.T) {
	a, b := testProvider("alpha"), testProvider("beta")
	a["username"] = "email"
	b["checked"] = "soon"
	err := expectLoadError(t, marshalDoc(t, a, b), "entry alpha: username")
	if !strings.Contains(err.Error(), "entry beta: checked") {
		t.Errorf("error %q does not report the second problem", err)
	}
}

func expectLoadError(t *testing.T, data []byte, want string) error {
	t.Helper()
	ps, err := Load(data)
	if err == nil {
		t.Fatalf("Load accepted the data (%d providers), want an error containing %q", len(ps), want)
	}
	var de *DataError
	if !errors.As(err, &de) {
		t.Errorf("error %T is not a *DataError", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
	if ps != nil {
		t.Errorf("Load returned %d providers along with an error", len(ps))
	}
	return err
}
