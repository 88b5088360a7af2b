package testbed

import (
	"testing"
	"time"
)

func TestTiming(t *testing.T) {
	b := Start(t)
	const host = "mail.example.test"
	d := b.Dovecot(t, DovecotOptions{Hosts: []string{host}})
	st := time.Now()
	lap := func(s string) { t.Logf("%s: %v", s, time.Since(st)); st = time.Now() }
	c := dial(t, b, d.IP, 995, host)
	lap("dial+tls")
	c.expect("+OK")
	lap("greet")
	c.cmd("USER alice@example.test")
	lap("user")
	c.cmd("PASS wrong")
	lap("pass wrong")
	c.cmd("USER alice@example.test")
	c.cmd("PASS " + DefaultPassword)
	lap("pass ok")
	t.Log(d.Log())
}
