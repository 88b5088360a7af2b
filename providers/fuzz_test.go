package providers

import (
	"encoding/json"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load: it must never panic, and whatever
// it accepts must survive a round trip through JSON unchanged in validity.
func FuzzLoad(f *testing.F) {
	f.Add(builtinData)
	f.Add([]byte(`{"schema": 1, "providers": [` + testEntry("alpha", "") + `]}`))
	f.Add([]byte(`{"schema": 1, "providers": [` + testEntry("alpha", `"mx": ["*.mx.example.net"], "hosted": true`) + `, null]}`))
	f.Add([]byte(`{"schema": 1, "providers": []}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := Load(data)
		if err != nil {
			if ps != nil {
				t.Fatalf("Load returned providers with error %v", err)
			}
			return
		}
		if len(ps) == 0 {
			t.Fatal("Load accepted a table without providers")
		}
		tab, err := newTable(data)
		if err != nil {
			t.Fatalf("Load accepted what newTable refuses: %v", err)
		}
		again, err := json.Marshal(file{Schema: schemaVersion, OAuthIssuers: tab.issuerList, Providers: ps})
		if err != nil {
			t.Fatalf("marshal accepted table: %v", err)
		}
		if _, err := Load(again); err != nil {
			t.Fatalf("accepted table no longer loads after a round trip: %v", err)
		}
	})
}
