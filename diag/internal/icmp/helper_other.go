//go:build !windows

package icmp

import (
	"fmt"
	"os"
	"runtime"
)

// openHelper: Windows' ICMP helper API exists on Windows only.
func openHelper(bool) (Helper, error) {
	return nil, fmt.Errorf("icmp helper: unsupported on %s: %w", runtime.GOOS, os.ErrNotExist)
}
