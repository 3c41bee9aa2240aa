//go:build !linux && !windows

package hostcheck

import (
	"context"

	"github.com/l2diag/l2diag/diag"
)

// pendingReboot is not known on this platform (macOS reports no reboot
// requirement in a place a program can read).
func pendingReboot(context.Context, *diag.Env) rebootState { return rebootState{} }

func detectContainer(context.Context) string { return "" }
