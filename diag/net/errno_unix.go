//go:build !windows

package netcheck

import "syscall"

var (
	refusedErrnos     = []syscall.Errno{syscall.ECONNREFUSED}
	noRouteErrnos     = []syscall.Errno{syscall.ENETUNREACH, syscall.ENETDOWN}
	unreachableErrnos = []syscall.Errno{syscall.EHOSTUNREACH, syscall.EHOSTDOWN}
	permissionErrnos  = []syscall.Errno{syscall.EPERM, syscall.EACCES, syscall.EPROTONOSUPPORT}
)
