package pop3

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

func TestContext(t *testing.T) {
	t.Run("silent server", func(t *testing.T) {
		addr := serve(t) // accepts, never speaks
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := NewClient(ctx, dial(t, addr), nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("err = %v, want a net.Error timeout in the chain too", err)
		}
	})

	t.Run("deadline mid-command", func(t *testing.T) {
		c := connect(t, nil, "S: +OK", "C: STAT") // never answers
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, _, err := c.Stat(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Stat err = %v, want context.DeadlineExceeded", err)
		}
		if _, _, err := c.Stat(testCtx(t)); err == nil {
			t.Error("client usable after a timed-out command")
		}
	})

	t.Run("cancel mid-read", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// The server cancels once it is sure the client waits for the rest.
		c := connect(t, nil, "S: +OK", "C: CAPA", "S: +OK", "S: USER", func() { cancel() })
		_, err := c.Capa(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Capa err = %v, want context.Canceled", err)
		}
		if _, _, err := c.Stat(testCtx(t)); !errors.Is(err, context.Canceled) {
			t.Errorf("later Stat err = %v, want the cancellation again", err)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close after cancellation: %v", err)
		}
	})

	t.Run("already cancelled sends nothing", func(t *testing.T) {
		c := connect(t, nil, "S: +OK", "C: STAT", "S: +OK 0 0")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := c.Capa(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Capa err = %v, want context.Canceled", err)
		}
		if _, _, err := c.Stat(testCtx(t)); err != nil {
			t.Fatalf("Stat after a command that never started: %v", err)
		}
	})
}

// deadlineConn records the deadlines the client sets.
type deadlineConn struct {
	net.Conn
	set []time.Time
}

func (c *deadlineConn) SetDeadline(t time.Time) error {
	c.set = append(c.set, t)
	return c.Conn.SetDeadline(t)
}

func TestDeadlineFollowsContext(t *testing.T) {
	conn := &deadlineConn{Conn: dial(t, serve(t, "S: +OK", "C: STAT", "S: +OK 0 0", "C: STAT", "S: +OK 0 0"))}
	c, err := NewClient(testCtx(t), conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(time.Hour))
	defer cancel()
	want, _ := ctx.Deadline()
	conn.set = nil
	if _, _, err := c.Stat(ctx); err != nil {
		t.Fatal(err)
	}
	if len(conn.set) != 2 || !conn.set[0].Equal(want) || !conn.set[1].IsZero() {
		t.Errorf("deadlines set = %v, want [%v, zero]", conn.set, want)
	}
	conn.set = nil
	if _, _, err := c.Stat(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(conn.set) != 2 || !conn.set[0].IsZero() {
		t.Errorf("without a context deadline, deadlines set = %v, want zero", conn.set)
	}
}
