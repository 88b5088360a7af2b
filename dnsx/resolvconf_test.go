package dnsx

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseResolvConf(t *testing.T) {
	f, err := os.Open("testdata/resolv.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseResolvConf(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"192.0.2.53:53", "[2001:db8::53]:53", "[fe80::1%eth0]:53"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNewReadsResolvConf(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.conf", "nameserver 127.0.0.53\nnameserver ::1\n")
	empty := write("empty.conf", "# nothing here\nsearch lan\n")

	r, err := New(Options{ResolvConf: good})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Servers(), []string{"127.0.0.53:53", "[::1]:53"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Servers() = %q, want %q", got, want)
	}
	if r.timeout != DefaultTimeout || r.attempts != DefaultAttempts {
		t.Errorf("defaults: timeout %v attempts %d", r.timeout, r.attempts)
	}
	for _, path := range []string{empty, filepath.Join(dir, "missing.conf")} {
		if _, err := New(Options{ResolvConf: path}); err == nil {
			t.Errorf("New(%s) succeeded, want an error", filepath.Base(path))
		}
	}
	// A chosen server wins over the file.
	r, err = New(Options{Server: "192.0.2.1:5353", ResolvConf: empty, Timeout: time.Second, Attempts: 3})
	if err != nil || r.timeout != time.Second || r.attempts != 3 {
		t.Fatalf("New with Server: %v", err)
	}
}

func TestNewServerOption(t *testing.T) {
	tests := []struct {
		in   string
		want []string // nil: an error
	}{
		{"127.0.0.1:5353", []string{"127.0.0.1:5353"}},
		{"192.0.2.1", []string{"192.0.2.1:53"}},
		{"::1", []string{"[::1]:53"}},
		{"[::1]", []string{"[::1]:53"}},
		{"[2001:db8::1]:5300", []string{"[2001:db8::1]:5300"}},
		{"127.0.0.1:5353, 127.0.0.2:53", []string{"127.0.0.1:5353", "127.0.0.2:53"}},
		{"dns.example.test:53", nil},
		{"127.0.0.1:0", nil},
		{"127.0.0.1:99999", nil},
		{"127.0.0.1:", nil},
		{",", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := New(Options{Server: tt.in})
			if tt.want == nil {
				if err == nil {
					t.Fatalf("accepted, servers %v", r.Servers())
				}
				if !strings.Contains(err.Error(), "dns:") {
					t.Errorf("error %q does not say it is about DNS", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Servers(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Servers() = %q, want %q", got, tt.want)
			}
		})
	}
}
