//go:build !windows

package netcheck

import (
	"fmt"
	"os"
	"runtime"
)

// openICMPHelper: Windows' ICMP helper API exists on Windows only.
func openICMPHelper(bool) (echoer, error) {
	return nil, fmt.Errorf("icmp helper: unsupported on %s: %w", runtime.GOOS, os.ErrNotExist)
}

// icmpTraceGap: no platform but wine has a gap.
func icmpTraceGap() error { return nil }
