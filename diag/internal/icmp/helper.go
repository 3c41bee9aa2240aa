package icmp

import (
	"fmt"
	"net/netip"
	"time"
)

// Helper is Windows' ICMP helper API (IcmpSendEcho2, Icmp6SendEcho2), as
// ping.exe and tracert.exe use it: the OS sends each echo and parses what
// comes back, and no privilege is needed. Calls may run concurrently.
type Helper interface {
	// Echo sends one echo request to dst with ttl (0: the system's
	// default) and blocks until its answer, at most timeout (the call
	// cannot be cancelled). The error is only for a call that failed; a
	// timeout or an ICMP error is a Reply's Status.
	Echo(dst netip.Addr, ttl int, timeout time.Duration) (Reply, error)
	// Close closes the handle; no call may be running.
	Close()
}

// Reply is what one echo came back with: the status (StatusSuccess,
// StatusTTLExpiredTransit, ...) and who answered.
type Reply struct {
	Status uint32
	From   netip.Addr
}

// IP_STATUS values of the helper API (ipexport.h).
const (
	StatusSuccess             = 0
	StatusDestNetUnreachable  = 11002 // IPv6: no route to destination
	StatusDestHostUnreachable = 11003 // IPv6: address unreachable
	StatusDestProtUnreachable = 11004 // IPv6: administratively prohibited
	StatusDestPortUnreachable = 11005
	StatusReqTimedOut         = 11010
	StatusTTLExpiredTransit   = 11013
)

// helperCheckWait bounds the loopback echo that tells whether the helper
// API works at all: loopback answers in well under a millisecond, so
// this only waits on a broken stack.
const helperCheckWait = 300 * time.Millisecond

// OpenHelper opens the helper API for IPv4 or IPv6 and proves it works
// with one echo to loopback: under wine (and on a broken stack) the
// handle opens but every echo fails when no ICMP socket is permitted.
// Elsewhere than on Windows it fails.
func OpenHelper(v6 bool) (Helper, error) {
	h, err := openHelper(v6)
	if err != nil {
		return nil, err
	}
	lo := netip.MustParseAddr("127.0.0.1")
	if v6 {
		lo = netip.IPv6Loopback()
	}
	if _, err := h.Echo(lo, 0, helperCheckWait); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// StatusText says in words what a status other than success means
// ("host unreachable"), for IPv6 when v6.
func StatusText(status uint32, v6 bool) string {
	switch status {
	case StatusDestNetUnreachable:
		if v6 {
			return "no route to destination"
		}
		return "network unreachable"
	case StatusDestHostUnreachable:
		if v6 {
			return "address unreachable"
		}
		return "host unreachable"
	case StatusDestProtUnreachable:
		if v6 {
			return "administratively prohibited"
		}
		return "protocol unreachable"
	case StatusDestPortUnreachable:
		return "port unreachable"
	case StatusReqTimedOut:
		return "timeout"
	case StatusTTLExpiredTransit:
		return "time exceeded in transit"
	}
	return fmt.Sprintf("IP status %d", status)
}
