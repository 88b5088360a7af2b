package perf

import (
	"net"
	"time"
)

// chunk is data read from one side, due on the other side at a time.
type chunk struct {
	data []byte
	due  time.Time
	eof  bool // the source side closed or failed
}

// relayBuffer bounds the chunks in flight in one direction; beyond it the
// reader waits, which pushes back on the sender as TCP would.
const relayBuffer = 64

// relayChunkSize is the largest read taken from a side at once.
const relayChunkSize = 32 << 10

// relay copies src to dst, delivering every chunk delay after it was read
// and never before notBefore+delay (the moment the far side could first
// have sent it). When src ends, dst is closed once the last chunk is due,
// so the end of a stream also arrives late. It returns when both are done.
func relay(src, dst net.Conn, delay time.Duration, notBefore time.Time) {
	q := make(chan chunk, relayBuffer)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, relayChunkSize)
			n, err := src.Read(buf)
			now := time.Now()
			if now.Before(notBefore) {
				now = notBefore
			}
			if n > 0 {
				q <- chunk{data: buf[:n], due: now.Add(delay)}
			}
			if err != nil {
				q <- chunk{eof: true, due: now.Add(delay)}
				return
			}
		}
	}()
	for c := range q {
		if d := time.Until(c.due); d > 0 {
			time.Sleep(d)
		}
		if c.eof {
			break
		}
		if _, err := dst.Write(c.data); err != nil {
			break
		}
	}
	dst.Close()
	src.Close() // unblocks the reader if dst failed first
	for range q {
	}
}
