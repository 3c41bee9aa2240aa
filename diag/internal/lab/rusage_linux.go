//go:build linux

package lab

import (
	"os"
	"syscall"
)

// maxRSSKiB is a finished process's peak RSS: Linux reports ru_maxrss in KiB.
func maxRSSKiB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}
