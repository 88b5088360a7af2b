package probe

import "syscall"

// Winsock's codes for the socket errors classify tells apart: on Windows
// a refused connection is WSAECONNREFUSED (10061), which the syscall
// package's ECONNREFUSED (an invented value there) never matches.
const (
	errConnRefused = syscall.Errno(10061) // WSAECONNREFUSED
	errConnReset   = syscall.Errno(10054) // WSAECONNRESET
	errHostUnreach = syscall.Errno(10065) // WSAEHOSTUNREACH
	errNetUnreach  = syscall.Errno(10051) // WSAENETUNREACH
)
