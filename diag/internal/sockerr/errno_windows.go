//go:build windows

package sockerr

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// The winsock errors of each kind. Go's net package returns them as
// syscall.Errno values that never equal the POSIX errnos of the same name.
var (
	RefusedErrnos     = []syscall.Errno{windows.WSAECONNREFUSED}
	ResetErrnos       = []syscall.Errno{windows.WSAECONNRESET, windows.WSAECONNABORTED}
	NoRouteErrnos     = []syscall.Errno{windows.WSAENETUNREACH, windows.WSAENETDOWN}
	UnreachableErrnos = []syscall.Errno{windows.WSAEHOSTUNREACH, windows.WSAEHOSTDOWN}
	PermissionErrnos  = []syscall.Errno{windows.WSAEACCES, syscall.EPERM, syscall.EACCES}
	LocalErrnos       = []syscall.Errno{windows.WSAEMFILE, windows.WSAENOBUFS, windows.WSAEAFNOSUPPORT,
		windows.WSAEOPNOTSUPP, windows.WSAEPROTONOSUPPORT, windows.WSAESOCKTNOSUPPORT, windows.WSAEADDRNOTAVAIL,
		windows.WSANOTINITIALISED, windows.WSASYSNOTREADY, windows.WSAEPROVIDERFAILEDINIT,
		windows.WSAEINVALIDPROVIDER, windows.WSASYSCALLFAILURE, windows.WSAEINVALIDPROCTABLE}
)
