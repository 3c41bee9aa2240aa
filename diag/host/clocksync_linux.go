package hostcheck

import (
	"context"

	"github.com/l2diag/l2diag/diag"
	"golang.org/x/sys/unix"
)

// osClockSync asks the kernel (adjtimex, read-only, no privilege needed)
// whether a time daemon keeps the clock disciplined: timedatectl's
// "System clock synchronized" and chronyc read the same state.
func osClockSync(_ context.Context, _ *diag.Env) syncState {
	var tx unix.Timex
	state, err := unix.Adjtimex(&tx)
	if err != nil {
		return syncState{Source: "adjtimex", Detail: map[string]any{"error": err.Error()}}
	}
	synced := state != unix.TIME_ERROR && tx.Status&unix.STA_UNSYNC == 0
	return syncState{
		Known:  true,
		Synced: synced,
		Source: "adjtimex",
		Detail: map[string]any{"kernel_state": state, "max_error_us": tx.Maxerror, "est_error_us": tx.Esterror, "unsync_flag": tx.Status&unix.STA_UNSYNC != 0},
	}
}
