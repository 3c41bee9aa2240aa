//go:build !linux && !windows

package hostcheck

import (
	"context"

	"github.com/l2diag/l2diag/diag"
)

// osClockSync cannot tell on this platform: macOS keeps its sync state in
// timed, which has no interface for unprivileged programs.
func osClockSync(context.Context, *diag.Env) syncState {
	return syncState{Source: "none"}
}
