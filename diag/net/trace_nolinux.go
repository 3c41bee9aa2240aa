//go:build !linux

package netcheck

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"runtime"

	"github.com/l2diag/l2diag/diag/profile"
)

// traceUnprivileged has no unprivileged method on this platform.
func traceUnprivileged(context.Context, profile.NetTrace, netip.Addr) (traceResult, error) {
	return traceResult{}, fmt.Errorf("no unprivileged trace on %s: %w", runtime.GOOS, os.ErrPermission)
}
