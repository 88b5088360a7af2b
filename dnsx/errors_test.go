package dnsx

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"
)

func TestErrorMessages(t *testing.T) {
	const srv = "127.0.0.1:5353"
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Name: "example.test", Qtype: "A", Server: srv, Kind: NXDomain, Rcode: 3},
			"example.test: no such domain (NXDOMAIN) from 127.0.0.1:5353"},
		{&Error{Name: "example.test", Qtype: "MX", Server: srv, Kind: NoData},
			"example.test: no MX records (NODATA) from 127.0.0.1:5353"},
		{&Error{Name: "example.test", Qtype: "A", Server: srv, Kind: ServFail, Rcode: 2},
			"example.test: the DNS server could not answer (SERVFAIL) from 127.0.0.1:5353"},
		{&Error{Name: "example.test", Qtype: "A", Server: srv, Kind: Refused, Rcode: 5},
			"example.test: the DNS server refused to answer (REFUSED) from 127.0.0.1:5353"},
		{&Error{Name: "example.test", Qtype: "A", Server: srv, Kind: Timeout, Err: context.DeadlineExceeded},
			"example.test: no answer in time (timeout) from 127.0.0.1:5353"},
		{&Error{Name: "example.test", Qtype: "A", Server: srv, Kind: Network, Err: syscall.ECONNREFUSED},
			"example.test: cannot reach DNS server 127.0.0.1:5353: connection refused"},
		{&Error{Name: "example.test", Qtype: "A", Server: srv, Kind: Malformed, Err: errors.New("answer carries 2 questions")},
			"example.test: unusable DNS answer from 127.0.0.1:5353: answer carries 2 questions"},
		{&Error{Name: "a.test", Qtype: "A", Kind: CNAMELoop, Err: errors.New("a.test → b.test → a.test")},
			"a.test: CNAME chain loops or is too long: a.test → b.test → a.test"},
		{&Error{Name: "_imaps._tcp.example.test", Qtype: "SRV", Kind: ServiceNotOffered},
			"_imaps._tcp.example.test: the domain states that it offers no such service"},
		{&Error{Name: "example.test", Kind: Canceled, Err: context.Canceled},
			"example.test: lookup canceled"},
		{&Error{Name: "bad..name", Kind: BadName},
			`"bad..name" is not a valid domain name`},
		{&Error{Name: "bad..name", Kind: BadName, Err: errors.New("an empty label")},
			`"bad..name" is not a valid domain name: an empty label`},
		{&Error{Name: "example.test", Server: srv, Kind: OtherRcode, Rcode: 4},
			"example.test: DNS error NOTIMP from 127.0.0.1:5353"},
		{ErrNXDomain, "no such domain (NXDOMAIN)"},
		{ErrTimeout, "no answer in time (timeout)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}

func TestErrorsIs(t *testing.T) {
	sentinels := []*Error{ErrNXDomain, ErrNoData, ErrServFail, ErrRefused, ErrTimeout, ErrNetwork,
		ErrMalformed, ErrCNAMELoop, ErrServiceNotOffered, ErrCanceled, ErrBadName}
	for _, s := range sentinels {
		err := fmt.Errorf("discover: %w", &Error{Name: "example.test", Kind: s.Kind, Err: context.Canceled})
		for _, other := range sentinels {
			if got := errors.Is(err, other); got != (other == s) {
				t.Errorf("errors.Is(%v error, %v) = %v", s.Kind, other.Kind, got)
			}
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%v error does not unwrap to its cause", s.Kind)
		}
		if got, want := IsNotFound(err), s == ErrNXDomain || s == ErrNoData; got != want {
			t.Errorf("IsNotFound(%v) = %v", s.Kind, got)
		}
	}
	if IsNotFound(nil) || IsNotFound(errors.New("other")) {
		t.Error("IsNotFound true for a non-DNS error")
	}
	if (&Error{Kind: Timeout}).Timeout() != true || (&Error{Kind: Refused}).Timeout() {
		t.Error("Timeout() wrong")
	}
}

func TestKindString(t *testing.T) {
	for k := NXDomain; k <= OtherRcode; k++ {
		if s := k.String(); s == "" || s[0] == 'k' {
			t.Errorf("Kind %d has no name: %q", int(k), s)
		}
	}
	if got := Kind(99).String(); got != "kind(99)" {
		t.Errorf("unknown kind: %q", got)
	}
}
