package sockerr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

func dialErr(syscallName string, errno syscall.Errno) error {
	return &net.OpError{Op: "dial", Net: "udp", Err: os.NewSyscallError(syscallName, errno)}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"nil", nil, None},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), Timeout},
		{"io timeout", &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, Timeout},
		{"refused", dialErr("connect", RefusedErrnos[0]), Refused},
		{"reset", &net.OpError{Op: "read", Err: os.NewSyscallError("wsarecv", ResetErrnos[0])}, Reset},
		{"no route", dialErr("connect", NoRouteErrnos[0]), NoRoute},
		{"host unreachable", dialErr("connect", UnreachableErrnos[0]), Unreachable},
		{"permission", dialErr("sendto", PermissionErrnos[0]), Permission},
		// Whatever the errno, a failed socket setup is this machine's:
		// wine's WSAEOPNOTSUPP for SIO_UDP_NETRESET, and a refused errno
		// from setsockopt would not make it the network's either.
		{"wsaioctl unsupported (wine)", dialErr("wsaioctl", syscall.Errno(10045)), Local},
		{"setsockopt", dialErr("setsockopt", RefusedErrnos[0]), Local},
		{"socket", dialErr("socket", LocalErrnos[0]), Local},
		{"out of descriptors", dialErr("connect", LocalErrnos[0]), Local},
		{"other", errors.New("dns: bad rdata"), Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %q, want %q", tt.err, got, tt.want)
			}
			if got := IsLocal(tt.err); got != (tt.want == Local) {
				t.Errorf("IsLocal(%v) = %v", tt.err, got)
			}
		})
	}
}
