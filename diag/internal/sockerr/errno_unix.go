//go:build !windows

package sockerr

import "syscall"

// The errnos of each kind on Linux and macOS.
var (
	RefusedErrnos     = []syscall.Errno{syscall.ECONNREFUSED}
	ResetErrnos       = []syscall.Errno{syscall.ECONNRESET}
	NoRouteErrnos     = []syscall.Errno{syscall.ENETUNREACH, syscall.ENETDOWN}
	UnreachableErrnos = []syscall.Errno{syscall.EHOSTUNREACH, syscall.EHOSTDOWN}
	PermissionErrnos  = []syscall.Errno{syscall.EPERM, syscall.EACCES, syscall.EPROTONOSUPPORT}
	LocalErrnos       = []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
		syscall.EAFNOSUPPORT, syscall.EADDRNOTAVAIL, syscall.EOPNOTSUPP, syscall.ESOCKTNOSUPPORT}
)
