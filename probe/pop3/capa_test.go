package pop3

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCapa(t *testing.T) {
	tests := []struct {
		name    string
		reply   []any // server lines after "C: CAPA"
		want    []string
		errCode *string // want *Error
		proto   string  // want *ProtocolError containing this
	}{
		{
			name: "dovecot",
			reply: []any{"S: +OK", "S: CAPA", "S: TOP", "S: UIDL", "S: RESP-CODES", "S: PIPELINING",
				"S: AUTH-RESP-CODE", "S: STLS", "S: USER", "S: SASL PLAIN LOGIN", "S: ."},
			want: []string{"CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "STLS", "USER", "SASL PLAIN LOGIN"},
		},
		{
			name:  "with text, trailing space and dot-stuffing",
			reply: []any{"S: +OK Capability list follows", "S: IMPLEMENTATION Shlemazle-Plotz-v302 ", "S: ..odd", "S: EXPIRE 60", "S: ."},
			want:  []string{"IMPLEMENTATION Shlemazle-Plotz-v302", ".odd", "EXPIRE 60"},
		},
		{name: "empty list", reply: []any{"S: +OK", "S: ."}, want: nil},
		{name: "no CAPA", reply: []any{"S: -ERR unknown command"}, errCode: new(string)},
		{name: "garbage status", reply: []any{"S: what?"}, proto: "neither +OK nor -ERR"},
		{name: "endless", reply: []any{"S: +OK", "RAW:" + strings.Repeat("USER\r\n", 20000)}, proto: "multi-line reply longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := append([]any{"S: +OK hi", "C: CAPA"}, tt.reply...)
			c := connect(t, nil, script...)
			got, err := c.Capa(testCtx(t))
			var rerr *Error
			var perr *ProtocolError
			switch {
			case tt.errCode != nil:
				if !errors.As(err, &rerr) || rerr.Command != "CAPA" || got != nil {
					t.Fatalf("Capa() = %q, %v; want nil, *Error", got, err)
				}
			case tt.proto != "":
				if !errors.As(err, &perr) || !strings.Contains(perr.Reason, tt.proto) {
					t.Fatalf("Capa() err = %v, want *ProtocolError %q", err, tt.proto)
				}
				if _, _, err := c.Stat(testCtx(t)); err == nil {
					t.Error("client still usable after a protocol error")
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Capa() = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestCapabilityHelpers(t *testing.T) {
	capa := []string{"TOP", "USER", "SASL PLAIN login", "sasl CRAM-MD5 PLAIN", "STLS"}
	if got, want := SASLMechanisms(capa), []string{"PLAIN", "LOGIN", "CRAM-MD5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SASLMechanisms = %q, want %q", got, want)
	}
	if SASLMechanisms([]string{"USER"}) != nil {
		t.Error("SASLMechanisms without SASL line is not nil")
	}
	for name, want := range map[string]bool{"stls": true, "USER": true, "SASL": true, "UIDL": false, "ST": false} {
		if got := HasCapability(capa, name); got != want {
			t.Errorf("HasCapability(%q) = %v, want %v", name, got, want)
		}
	}
}
