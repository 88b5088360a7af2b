package dnsx

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestLookupSRVOrder(t *testing.T) {
	s := startServer(t,
		"_imaps._tcp.example.test. 300 IN SRV 20 0 993 Backup.Example.TEST.",
		"_imaps._tcp.example.test. 300 IN SRV 10 5 993 b.example.test.",
		"_imaps._tcp.example.test. 300 IN SRV 10 60 993 c.example.test.",
		"_imaps._tcp.example.test. 300 IN SRV 10 5 993 a.example.test.",
		"_imaps._tcp.example.test. 300 IN SRV 10 5 10993 a.example.test.",
	)
	r := newTestResolver(t, s.Addr)
	got, err := r.LookupSRV(testContext(t), "imaps", "tcp", "example.test")
	if err != nil {
		t.Fatal(err)
	}
	want := []SRV{
		{Target: "c.example.test", Port: 993, Priority: 10, Weight: 60},
		{Target: "a.example.test", Port: 993, Priority: 10, Weight: 5},
		{Target: "a.example.test", Port: 10993, Priority: 10, Weight: 5},
		{Target: "b.example.test", Port: 993, Priority: 10, Weight: 5},
		{Target: "backup.example.test", Port: 993, Priority: 20, Weight: 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestLookupSRVNotOffered(t *testing.T) {
	s := startServer(t, "_pop3._tcp.example.test. 300 IN SRV 0 0 0 .")
	r := newTestResolver(t, s.Addr)
	got, err := r.LookupSRV(testContext(t), "pop3", "tcp", "example.test")
	if !errors.Is(err, ErrServiceNotOffered) {
		t.Fatalf("err = %v, want ErrServiceNotOffered", err)
	}
	if len(got) != 0 {
		t.Errorf("got %v, want nothing", got)
	}
	if IsNotFound(err) {
		t.Error("IsNotFound is true for a service explicitly not offered")
	}
	var de *Error
	if !errors.As(err, &de) || de.Name != "_pop3._tcp.example.test" || de.Qtype != "SRV" {
		t.Errorf("error fields = %+v", de)
	}
}

func TestLookupSRVMissing(t *testing.T) {
	s := startServer(t, "example.test. 300 IN A 192.0.2.1")
	r := newTestResolver(t, s.Addr)
	_, err := r.LookupSRV(testContext(t), "submissions", "tcp", "example.test")
	if !errors.Is(err, ErrNXDomain) || !IsNotFound(err) {
		t.Fatalf("err = %v, want NXDOMAIN", err)
	}
}

func TestLookupMX(t *testing.T) {
	tests := []struct {
		name    string
		records []string
		want    []MX
		wantErr error
	}{
		{
			name: "ordered by preference then host",
			records: []string{
				"example.test. 300 IN MX 20 MX2.example.test.",
				"example.test. 300 IN MX 10 mx1.example.test.",
				"example.test. 300 IN MX 10 mx0.example.test.",
			},
			want: []MX{{"mx0.example.test", 10}, {"mx1.example.test", 10}, {"mx2.example.test", 20}},
		},
		{
			name:    "null MX",
			records: []string{"example.test. 300 IN MX 0 ."},
			wantErr: ErrServiceNotOffered,
		},
		{
			name:    "no MX records",
			records: []string{"example.test. 300 IN A 192.0.2.1"},
			wantErr: ErrNoData,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, tt.records...)
			r := newTestResolver(t, s.Addr)
			got, err := r.LookupMX(testContext(t), "example.test")
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLookupHost(t *testing.T) {
	s := startServer(t,
		"both.example.test. 300 IN A 192.0.2.1",
		"both.example.test. 300 IN A 192.0.2.2",
		"both.example.test. 300 IN AAAA 2001:db8::1",
		"v4.example.test. 300 IN A 192.0.2.4",
		"v6.example.test. 300 IN AAAA 2001:db8::6",
		"txt.example.test. 300 IN TXT \"no address\"",
		"xn--bcher-kva.example.test. 300 IN A 192.0.2.8",
	)
	s.setRcode("broken.example.test.", dns.RcodeServerFailure)
	r := newTestResolver(t, s.Addr)
	addrs := func(ss ...string) []netip.Addr {
		var out []netip.Addr
		for _, a := range ss {
			out = append(out, netip.MustParseAddr(a))
		}
		return out
	}
	tests := []struct {
		host    string
		want    []netip.Addr
		wantErr error
	}{
		{"both.example.test", addrs("2001:db8::1", "192.0.2.1", "192.0.2.2"), nil},
		{"BOTH.example.test.", addrs("2001:db8::1", "192.0.2.1", "192.0.2.2"), nil},
		{"v4.example.test", addrs("192.0.2.4"), nil},
		{"v6.example.test", addrs("2001:db8::6"), nil},
		{"192.0.2.99", addrs("192.0.2.99"), nil},
		{"[2001:db8::99]", addrs("2001:db8::99"), nil},
		{"localhost", addrs("::1", "127.0.0.1"), nil},
		{"Bücher.example.test", addrs("192.0.2.8"), nil},
		{"txt.example.test", nil, ErrNoData},
		{"missing.example.test", nil, ErrNXDomain},
		{"broken.example.test", nil, ErrServFail},
		{"bad..name", nil, ErrBadName},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, err := r.LookupHost(testContext(t), tt.host)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if n := s.count("", "192.0.2.99", dns.TypeA) + s.count("", "localhost", dns.TypeA); n != 0 {
		t.Errorf("literals and localhost caused %d queries", n)
	}
}

func TestLookupHostNoDataNamesBothTypes(t *testing.T) {
	s := startServer(t, "txt.example.test. 300 IN TXT \"x\"")
	r := newTestResolver(t, s.Addr)
	_, err := r.LookupHost(testContext(t), "txt.example.test")
	if got, want := err.Error(), "txt.example.test: no A or AAAA records (NODATA) from "+s.Addr; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func TestBadNamesNeverReachTheServer(t *testing.T) {
	s := startServer(t)
	r := newTestResolver(t, s.Addr)
	for _, name := range []string{"", ".", "a..b", strings.Repeat("x", 64) + ".test", "bad\u00a0name.test"} {
		_, err := r.Query(testContext(t), name, dns.TypeA)
		if !errors.Is(err, ErrBadName) {
			t.Errorf("Query(%q) = %v, want ErrBadName", name, err)
		}
	}
	if q := r.Stats().Queries; q != 0 {
		t.Errorf("%d queries sent for bad names", q)
	}
}
