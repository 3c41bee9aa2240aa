//go:build !linux

package netcheck

import (
	"context"
	"net/netip"

	"github.com/l2diag/l2diag/diag/profile"
)

// traceUnprivileged traces through Windows' ICMP helper API; elsewhere
// (macOS) there is no unprivileged method and it says so.
func traceUnprivileged(ctx context.Context, tp profile.NetTrace, dst netip.Addr) (traceResult, error) {
	return traceHelper(ctx, tp, dst)
}
