// Package sockerr is the one classification of socket errors that every
// check shares (DNS wire queries, TCP and HTTP probes, SNTP): the same
// failure reads the same on Linux, macOS and Windows, where winsock's
// WSAE* numbers never equal the POSIX errnos.
//
// Local means this machine could not even make the attempt (no socket, an
// unsupported option, no buffers, no such local address): it is an error
// of the machine or of l2diag, never evidence about the network or a
// server.
package sockerr

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
)

// Kind is how a network operation failed.
type Kind string

// The kinds, from the client's point of view.
const (
	// None: no error.
	None Kind = ""
	// Timeout: nothing came back before the deadline (dropped packets).
	Timeout Kind = "timeout"
	// Refused: the peer's host answered that nothing listens (TCP reset to
	// a SYN, ICMP port unreachable).
	Refused Kind = "refused"
	// Reset: an established connection was reset.
	Reset Kind = "reset"
	// NoRoute: this machine has no route (nothing was sent).
	NoRoute Kind = "no-route"
	// Unreachable: ICMP host unreachable, or no ARP/ND answer on the subnet.
	Unreachable Kind = "unreachable"
	// Permission: the OS or a local firewall refused the packet or socket.
	Permission Kind = "permission"
	// Local: this machine could not make the attempt at all.
	Local Kind = "local"
	// Other: anything else (a malformed reply, a closed connection).
	Other Kind = "other"
)

// localSyscalls are the calls that only set up a socket on this machine;
// their failure says nothing about the network.
var localSyscalls = map[string]bool{
	"socket": true, "setsockopt": true, "getsockopt": true, "wsaioctl": true,
	"bind": true, "ioctl": true, "WSAStartup": true, "wsastartup": true,
}

// Classify returns the kind of err.
func Classify(err error) Kind {
	var se *os.SyscallError
	var ne net.Error
	switch {
	case err == nil:
		return None
	case errors.As(err, &se) && localSyscalls[se.Syscall]:
		return Local
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return Timeout
	case In(err, RefusedErrnos):
		return Refused
	case In(err, ResetErrnos):
		return Reset
	case In(err, NoRouteErrnos):
		return NoRoute
	case In(err, UnreachableErrnos):
		return Unreachable
	case In(err, LocalErrnos):
		return Local
	case errors.Is(err, os.ErrPermission), In(err, PermissionErrnos):
		return Permission
	}
	return Other
}

// IsLocal reports whether err is a failure of this machine, not of the
// network: see Local.
func IsLocal(err error) bool { return Classify(err) == Local }

// In reports whether err wraps one of list.
func In(err error, list []syscall.Errno) bool {
	for _, e := range list {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
