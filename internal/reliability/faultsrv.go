package reliability

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"mailsetup/internal/testbed"
)

// The servers below add the faults the test bed lacks: resets in the
// middle of an exchange, a STARTTLS that is advertised and then fails,
// TLS servers with configurations the bed does not make, and a man in the
// middle that strips STARTTLS. Each listens on a loopback address of its
// own; tests map the standard port to it in the dialer.

// idle bounds how long a fault server waits on a client that went quiet.
const idle = 30 * time.Second

// Server accepts connections and runs handle on each; Close closes
// them all and waits for the handlers. It is the test bed's TCP server
// with an idle deadline on every connection.
type Server struct {
	srv *testbed.TCPServer
}

// Serve starts a server for handle on ip ("127.0.0.x"), on a random port.
func Serve(ip string, handle func(c net.Conn)) (*Server, error) {
	srv, err := testbed.ServeTCP(net.JoinHostPort(ip, "0"), func(c net.Conn, _ <-chan struct{}) {
		c.SetDeadline(time.Now().Add(idle))
		handle(c)
	})
	if err != nil {
		return nil, err
	}
	return &Server{srv: srv}, nil
}

// Addr is the actual "ip:port".
func (s *Server) Addr() string { return s.srv.Addr() }

// Close stops accepting, closes open connections and waits for handlers.
func (s *Server) Close() { s.srv.Close() }

// reset closes c with an RST instead of a FIN.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// ResetAfter writes data, then resets the connection. With readFirst it
// first waits for the client to speak (a ClientHello, say).
func ResetAfter(data []byte, readFirst bool) func(net.Conn) {
	return func(c net.Conn) {
		if readFirst {
			c.Read(make([]byte, 4096))
		}
		c.Write(data)
		time.Sleep(20 * time.Millisecond) // let the data leave before the RST
		reset(c)
	}
}

// Dialogue is a scripted plain-text conversation: the greeting, then for
// each client line the reply chosen by answer. answer returns the reply
// (without the final CRLF; "\n" separates lines) and what to do after it.
type Dialogue struct {
	Greeting string
	Answer   func(line string) (reply string, then After)
}

// After is what a Dialogue does once it has replied.
type After int

const (
	ThenContinue After = iota // read the next line
	ThenClose                 // close politely (FIN)
	ThenReset                 // close with an RST
)

// Serve runs the dialogue on c.
func (d Dialogue) Serve(c net.Conn) {
	write := func(s string) error {
		if s == "" {
			return nil
		}
		_, err := io.WriteString(c, strings.ReplaceAll(s, "\n", "\r\n")+"\r\n")
		return err
	}
	if write(d.Greeting) != nil {
		return
	}
	r := bufio.NewReaderSize(io.LimitReader(c, 1<<20), 4096)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		reply, then := d.Answer(strings.TrimRight(line, "\r\n"))
		if write(reply) != nil {
			return
		}
		switch then {
		case ThenClose:
			return
		case ThenReset:
			time.Sleep(20 * time.Millisecond)
			reset(c)
			return
		}
	}
}

// OverTLS runs handle inside TLS made with cfg.
func OverTLS(cfg *tls.Config, handle func(net.Conn)) func(net.Conn) {
	return func(c net.Conn) {
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		handle(tc)
	}
}

// IMAPServer is a minimal IMAP server: a greeting with capabilities,
// CAPABILITY, LOGIN (always refused) and LOGOUT.
func IMAPServer() Dialogue {
	const caps = "IMAP4rev1 AUTH=PLAIN"
	return Dialogue{
		Greeting: "* OK [CAPABILITY " + caps + "] reliability test server",
		Answer: func(line string) (string, After) {
			tag, cmd, _ := strings.Cut(line, " ")
			verb, _, _ := strings.Cut(strings.ToUpper(cmd), " ")
			switch verb {
			case "CAPABILITY":
				return "* CAPABILITY " + caps + "\n" + tag + " OK done", ThenContinue
			case "LOGOUT":
				return "* BYE\n" + tag + " OK bye", ThenClose
			case "LOGIN", "AUTHENTICATE":
				return tag + " NO [AUTHENTICATIONFAILED] no", ThenContinue
			}
			return tag + " BAD unknown command", ThenContinue
		},
	}
}

// StripProxy is a man in the middle between a client and a real server:
// it forwards everything, but rewrites the server's words so that
// STARTTLS and STLS are no longer offered (as some firewalls and attackers
// do, with letters of the same length), and records what the client sends.
type StripProxy struct {
	Upstream string // "ip:port" of the real server

	mu    sync.Mutex
	lines []string
}

var stripper = strings.NewReplacer("STARTTLS", "XXXXXXXA", "starttls", "xxxxxxxa", "STLS", "XXXX")

// Handle serves one client connection.
func (p *StripProxy) Handle(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.Upstream, 5*time.Second)
	if err != nil {
		return
	}
	defer up.Close()
	up.SetDeadline(time.Now().Add(idle))
	done := make(chan struct{})
	go func() { // client → server, recorded
		defer close(done)
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				p.mu.Lock()
				p.lines = append(p.lines, strings.TrimRight(line, "\r\n"))
				p.mu.Unlock()
				if _, werr := io.WriteString(up, line); werr != nil {
					return
				}
			}
			if err != nil {
				up.Close()
				return
			}
		}
	}()
	r := bufio.NewReader(up)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if _, werr := io.WriteString(c, stripper.Replace(line)); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	c.Close()
	<-done
}

// ClientLines are the lines the clients sent, in order.
func (p *StripProxy) ClientLines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.lines...)
}

// SentCredentials reports the first client line that carries, or starts
// to carry, credentials: PASS, AUTH, APOP, IMAP LOGIN or AUTHENTICATE.
func (p *StripProxy) SentCredentials() (string, bool) {
	for _, l := range p.ClientLines() {
		f := strings.Fields(strings.ToUpper(l))
		switch {
		case len(f) == 0:
		case f[0] == "PASS", f[0] == "AUTH", f[0] == "APOP", f[0] == "USER":
			return l, true
		case len(f) > 1 && (f[1] == "LOGIN" || f[1] == "AUTHENTICATE"):
			return l, true
		}
	}
	return "", false
}
