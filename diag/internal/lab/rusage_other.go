//go:build !linux

package lab

import "os"

// maxRSSKiB: the lab runs on Linux only; elsewhere the figure is unknown.
func maxRSSKiB(*os.ProcessState) int64 { return 0 }
