//go:build !windows

package netcheck

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/sockerr/sockerrtest"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
)

// A lookup this process cannot make (descriptor limit reached: no socket
// for the query, so nothing is sent) is this machine's error, never
// "does not resolve". Not parallel: the limit is the whole process's.
func TestLookupWithoutSocketIsLocal(t *testing.T) {
	p := profile.Default()
	sockerrtest.ExhaustDescriptors(t)
	if c, err := net.Dial("udp", "127.0.0.1:53"); err == nil {
		c.Close()
		t.Skip("a socket could still be opened; the lookup would leave the machine")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res := runTCP(ctx, p.Net.TCP, target.HostPort{Host: "fd-limit.l2diag.test", Port: 443})
	if !hasCode(&res, FindingLocalError.Code) || hasCode(&res, FindingNoResolve.Code) {
		t.Fatalf("findings %+v (%s), want %s and not %s", res.Findings, res.Summary, FindingLocalError.Code, FindingNoResolve.Code)
	}
}

// A lookup the resolver answered (no such name, a timeout, a failing
// server) is not this machine's error, while sockets can be opened.
func TestLookupAnsweredIsNotLocal(t *testing.T) {
	for _, err := range []error{
		&net.DNSError{Err: "no such host", Name: "x.test", IsNotFound: true},
		&net.DNSError{Err: "i/o timeout", Name: "x.test", IsTimeout: true},
		&net.DNSError{Err: "server misbehaving", Name: "x.test"},
	} {
		if lerr := lookupLocal(err); lerr != nil {
			t.Errorf("lookupLocal(%v) = %v, want nil", err, lerr)
		}
	}
}
