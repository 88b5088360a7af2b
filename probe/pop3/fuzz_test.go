package pop3

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
)

// streamConn is a server that says data and hears nothing: reads come
// from data, then EOF; writes vanish. In-memory, so fuzzing is fast.
type streamConn struct {
	r *bytes.Reader
}

func (c *streamConn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *streamConn) Write(p []byte) (int, error) { return len(p), nil }
func (c *streamConn) Close() error                { return nil }
func (c *streamConn) LocalAddr() net.Addr         { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (c *streamConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 110}
}
func (c *streamConn) SetDeadline(time.Time) error      { return nil }
func (c *streamConn) SetReadDeadline(time.Time) error  { return nil }
func (c *streamConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzClientStream feeds arbitrary bytes as the server's side of a session.
// The client must not panic, must end (the stream is finite), and must
// never write the password into its own transcript lines.
func FuzzClientStream(f *testing.F) {
	for _, seed := range []string{
		"+OK hi\r\n+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n+OK\r\n+OK 1 2\r\n",
		"+OK <1.2@h>\r\n+OK\r\n..x\r\n.\r\n+ UGFzc3dvcmQ6\r\n+OK\r\n",
		"+OK\r\n-ERR [SYS/TEMP] no\r\n+ \r\n+ \r\n-ERR [AUTH] x\r\n",
		"+OK\r\n+OK\r\n" + strings.Repeat("x", 600) + "\r\n",
		"-ERR [IN-USE]\r\n",
		"* OK IMAP\r\n",
		"+OK\r\n+OK\r\n.\r\n+OK\r\n\x16\x03\x01\x00\x05hello",
		"+OK\n+OK\n.\n+ !!!\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	const password = "fuzz-Secret-9"
	f.Fuzz(func(t *testing.T, data []byte) {
		var tr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := NewClient(ctx, &streamConn{r: bytes.NewReader(data)}, &Options{MaxLine: 512, MaxMultiline: 4096, Transcript: &tr})
		if err != nil {
			return
		}
		defer c.Close()
		c.Capa(ctx)
		c.Auth(ctx, sasl.NewLoginClient("u", password))
		c.Login(ctx, "u", password)
		c.APOP(ctx, "u", password)
		c.Stat(ctx)
		c.StartTLS(ctx, &tls.Config{ServerName: "x.test"})
		c.Quit(ctx)
		for _, line := range strings.Split(tr.String(), "\n") {
			if strings.HasPrefix(line, "C: ") && (strings.Contains(line, password) || strings.Contains(line, b64(password))) {
				t.Fatalf("transcript leaks the password: %q", line)
			}
		}
	})
}
