//go:build unix

package sockets

import (
	"os"

	"golang.org/x/sys/unix"
)

// readLimits reads RLIMIT_NOFILE and raises the soft limit to the hard one
// where the OS lets us. Go's runtime already does that at start on Unix;
// doing it here too keeps it true for a process that lowered it since, and
// the error, if any, goes into the log.
func readLimits() Limits {
	var l Limits
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		l.RaiseError = err.Error()
		return l
	}
	// An unlimited hard limit (macOS) cannot be the soft one; the
	// runtime raised the soft limit as far as that OS allows.
	if rl.Cur < rl.Max && rl.Max != unix.RLIM_INFINITY {
		want := rl
		want.Cur = rl.Max
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &want); err != nil {
			l.RaiseError = err.Error()
		} else {
			rl = want
		}
	}
	l.Soft, l.Hard = rl.Cur, rl.Max
	l.InUse = openFiles()
	return l
}

// openFiles counts the open descriptors (16 when the OS does not say: a
// CLI that has only started has a handful).
func openFiles() int {
	for _, dir := range []string{"/proc/self/fd", "/dev/fd"} {
		if ents, err := os.ReadDir(dir); err == nil {
			return len(ents)
		}
	}
	return 16
}
