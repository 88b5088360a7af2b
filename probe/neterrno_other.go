//go:build !windows

package probe

import "syscall"

// The socket errors classify tells apart. Windows reports them with its
// own Winsock codes (neterrno_windows.go), which syscall.ECONNREFUSED and
// friends do not match there.
const (
	errConnRefused = syscall.ECONNREFUSED
	errConnReset   = syscall.ECONNRESET
	errHostUnreach = syscall.EHOSTUNREACH
	errNetUnreach  = syscall.ENETUNREACH
)
