package dnsx

import (
	"errors"
	"os"
)

// Some systems will not give us a UDP socket at all. Wine 8.0 answers the
// ioctl Go's runtime sets on every Windows UDP socket (SIO_UDP_CONNRESET)
// with WSAEOPNOTSUPP, so every UDP dial fails before a packet is sent; a
// sandbox may forbid UDP sockets outright. DNS servers answer over TCP as
// well (RFC 7766), so the resolver then asks over TCP, and keeps doing so
// for its life rather than fail the same way on every query.
//
// Only a local failure to set up the socket counts: a timeout, a refused
// port or any answer from a server says nothing about UDP on this system.

// errUDPUnusable marks a UDP dial that failed on this system's side.
var errUDPUnusable = errors.New("this system cannot open a UDP socket")

// localSocketFailure reports whether a UDP dial failed while the socket
// was being made or set up (socket, setsockopt, WSAIoctl), as opposed to
// connect(2), which can fail for reasons of route or address.
func localSocketFailure(err error) bool {
	var se *os.SyscallError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Syscall {
	case "socket", "setsockopt", "wsaioctl", "wsasocket":
		return true
	}
	return false
}

// TCPOnly reports whether this system refused the resolver a UDP socket,
// so that it now asks every question over TCP.
func (r *Resolver) TCPOnly() bool { return r.udpUnusable.Load() }
