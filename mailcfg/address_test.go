package mailcfg

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in                   string
		local, domain, ascii string
	}{
		{"alice@example.com", "alice", "example.com", "example.com"},
		{"  Alice@Example.COM  ", "Alice", "example.com", "example.com"},
		{"mailto:bob@qq.com", "bob", "qq.com", "qq.com"},
		{"carol@example.com.", "carol", "example.com", "example.com"},
		{"dave@bücher.example", "dave", "bücher.example", "xn--bcher-kva.example"},
		{"erin@例子.中国", "erin", "例子.中国", "xn--fsqu00a.xn--fiqs8s"},
		{"first.last+tag@sub.example.org", "first.last+tag", "sub.example.org", "sub.example.org"},
		{"user%x@a.b", "user%x", "a.b", "a.b"},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
			continue
		}
		if a.Local != tt.local || a.Domain != tt.domain || a.ASCII != tt.ascii {
			t.Errorf("ParseAddress(%q) = %+v; want %s @ %s (%s)", tt.in, a, tt.local, tt.domain, tt.ascii)
		}
	}
}

func TestParseAddressRejects(t *testing.T) {
	for _, in := range []string{
		"", "   ", "alice", "@example.com", "alice@", "alice@localhost", "alice@1.2.3.4", "alice@[1.2.3.4]",
		"al ice@example.com", "alice@exa mple.com", ".alice@example.com", "alice.@example.com", "al..ice@example.com",
		"a<b@example.com", "alice@example..com", "alice@-bad-.com", strings.Repeat("a", 65) + "@example.com",
		"alice@" + strings.Repeat("a", 64) + ".com", "alice@" + strings.Repeat("abcdefgh.", 30) + "com", "a\x00b@example.com",
	} {
		if a, err := ParseAddress(in); err == nil {
			t.Errorf("ParseAddress(%q) accepted: %+v", in, a)
		} else if !errors.Is(err, ErrAddress) {
			t.Errorf("ParseAddress(%q): error %v does not wrap ErrAddress", in, err)
		}
	}
}

func TestParseAddressProblem(t *testing.T) {
	tests := map[string]AddressProblem{
		"": AddressEmpty, "alice": AddressNoAt, "@example.com": AddressNoLocal, "alice@": AddressNoDomain,
		"al ice@example.com": AddressCharacter, ".alice@example.com": AddressDot, "alice@localhost": AddressNoDot,
		"alice@1.2.3.4": AddressIP, "alice@example..com": AddressBadDomain, "a\xffb@example.com": AddressEncoding,
		strings.Repeat("a", 65) + "@example.com": AddressTooLong,
	}
	for in, want := range tests {
		_, err := ParseAddress(in)
		var ae *AddressError
		if !errors.As(err, &ae) || ae.Problem != want {
			t.Errorf("ParseAddress(%q) = %v, want problem %s", in, err, want)
		}
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"alice@example.com", "dave@bücher.example", "mailto:x@y.z", "a@b", "@", "a@@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			return
		}
		// Whatever is accepted is usable as DNS name and re-parses to itself.
		if a.ASCII == "" || strings.ContainsAny(a.ASCII, " @") || !utf8.ValidString(a.Domain) {
			t.Fatalf("accepted %q as %+v", s, a)
		}
		b, err := ParseAddress(a.ASCIIString())
		if err != nil || b.ASCII != a.ASCII || b.Local != a.Local {
			t.Fatalf("%q → %q does not re-parse: %+v %v", s, a.ASCIIString(), b, err)
		}
	})
}
