package testhooks

import (
	"context"
	"net"
	"testing"
	"time"

	"mailsetup/assistant"
	"mailsetup/internal/portmap"
)

func TestWire(t *testing.T) {
	t.Run("nothing set", func(t *testing.T) {
		t.Setenv(portmap.Env, "")
		t.Setenv(DNSEnv, "")
		var o assistant.Options
		if err := Wire(&o); err != nil || o.Dialer != nil || o.DNS != "" {
			t.Errorf("options changed: %+v, %v", o, err)
		}
	})
	t.Run("dial map and DNS", func(t *testing.T) {
		t.Setenv(portmap.Env, "192.0.2.7:995=blackhole")
		t.Setenv(DNSEnv, "127.0.0.1:5353")
		var o assistant.Options
		if err := Wire(&o); err != nil {
			t.Fatal(err)
		}
		if o.DNS != "127.0.0.1:5353" {
			t.Errorf("DNS %q", o.DNS)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := o.Dialer.DialContext(ctx, "tcp", "192.0.2.7:995"); err == nil {
			t.Error("the blackholed address connected")
		}
	})
	t.Run("a DNS server given wins", func(t *testing.T) {
		t.Setenv(DNSEnv, "127.0.0.1:5353")
		o := assistant.Options{DNS: "127.0.0.2:53", Dialer: &net.Dialer{}}
		if err := Wire(&o); err != nil || o.DNS != "127.0.0.2:53" {
			t.Errorf("DNS %q, %v", o.DNS, err)
		}
	})
	t.Run("malformed map", func(t *testing.T) {
		t.Setenv(portmap.Env, "nonsense")
		if err := Wire(&assistant.Options{}); err == nil {
			t.Error("want an error")
		}
	})
}
