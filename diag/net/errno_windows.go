//go:build windows

package netcheck

import (
	"syscall"

	"golang.org/x/sys/windows"
)

var (
	refusedErrnos     = []syscall.Errno{windows.WSAECONNREFUSED}
	noRouteErrnos     = []syscall.Errno{windows.WSAENETUNREACH, windows.WSAENETDOWN}
	unreachableErrnos = []syscall.Errno{windows.WSAEHOSTUNREACH, windows.WSAEHOSTDOWN}
	permissionErrnos  = []syscall.Errno{windows.WSAEACCES, syscall.EPERM, syscall.EACCES}
)
