package pop3

import (
	"errors"
	"testing"
)

func TestStat(t *testing.T) {
	tests := []struct {
		reply string
		count int
		size  int64
		err   string // "reply", "proto" or ""
	}{
		{reply: "+OK 2 320", count: 2, size: 320},
		{reply: "+OK 0 0"},
		{reply: "+OK 3 9000000000 extra words", count: 3, size: 9000000000},
		{reply: "-ERR [SYS/TEMP] not now", err: "reply"},
		{reply: "+OK", err: "proto"},
		{reply: "+OK two 320", err: "proto"},
		{reply: "+OK -1 5", err: "proto"},
	}
	for _, tt := range tests {
		t.Run(tt.reply, func(t *testing.T) {
			c := connect(t, nil, "S: +OK", "C: STAT", "S: "+tt.reply)
			n, size, err := c.Stat(testCtx(t))
			var rerr *Error
			var perr *ProtocolError
			switch tt.err {
			case "reply":
				if !errors.As(err, &rerr) || rerr.Command != "STAT" {
					t.Fatalf("err = %v, want *Error", err)
				}
			case "proto":
				if !errors.As(err, &perr) {
					t.Fatalf("err = %v, want *ProtocolError", err)
				}
			default:
				if err != nil || n != tt.count || size != tt.size {
					t.Fatalf("Stat() = %d, %d, %v; want %d, %d", n, size, err, tt.count, tt.size)
				}
			}
		})
	}
}

func TestQuit(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		c := connect(t, nil, "S: +OK", "C: QUIT", "S: +OK bye")
		if err := c.Quit(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Stat(testCtx(t)); !errors.Is(err, ErrClosed) {
			t.Errorf("Stat after Quit: %v, want ErrClosed", err)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close after Quit: %v", err)
		}
	})
	t.Run("err", func(t *testing.T) {
		c := connect(t, nil, "S: +OK", "C: QUIT", "S: -ERR some deleted messages not removed")
		var rerr *Error
		if err := c.Quit(testCtx(t)); !errors.As(err, &rerr) || rerr.Command != "QUIT" {
			t.Fatalf("Quit: %v, want *Error", err)
		}
	})
}

// LoginStat sends USER, PASS and STAT before reading any reply: the
// scripted server answers only once all three arrived, so a client that
// waited for each reply would time out here.
func TestLoginStatPipelined(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		c := connect(t, nil, "S: +OK", "C: USER alice", "C: PASS s3cret", "C: STAT",
			"S: +OK", "S: +OK logged in", "S: +OK 2 320")
		n, size, err := c.LoginStat(testCtx(t), "alice", "s3cret")
		if err != nil || n != 2 || size != 320 {
			t.Fatalf("LoginStat = %d, %d, %v", n, size, err)
		}
	})
	t.Run("rejected", func(t *testing.T) {
		c := connect(t, nil, "S: +OK", "C: USER alice", "C: PASS wrong", "C: STAT",
			"S: +OK", "S: -ERR [AUTH] Authentication failed.", "S: -ERR Unknown command.")
		_, _, err := c.LoginStat(testCtx(t), "alice", "wrong")
		var e *Error
		if !errors.As(err, &e) || e.Command != "PASS" || e.Code != "AUTH" {
			t.Fatalf("err = %v, want the PASS refusal", err)
		}
		// The stream stayed in step: the STAT reply was read too.
		if c.err != nil || c.closed {
			t.Errorf("connection unusable after a refused login: %v", c.err)
		}
	})
}
