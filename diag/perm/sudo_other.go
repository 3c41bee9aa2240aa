//go:build !linux && !darwin

package permcheck

import (
	"context"
	"time"
)

// sudoSupported: sudo is a Unix tool; the check is not planned elsewhere.
const sudoSupported = false

func isElevated() bool         { return false }
func sudoPath() (string, bool) { return "", false }
func groupNames() []string     { return nil }
func runSudoList(context.Context, string, time.Duration) (sudoOutcome, error) {
	return sudoOutcome{}, errUnsupported
}
