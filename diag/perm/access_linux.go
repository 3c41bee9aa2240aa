package permcheck

import (
	"sync"

	"golang.org/x/sys/unix"
)

// access asks the kernel whether the effective user may access path, with
// faccessat2(AT_EACCESS) (Linux 5.8+). unix.Faccessat is not used directly:
// it takes EPERM from faccessat2 for "syscall blocked" and falls back to a
// user-space emulation that ignores ACLs and the immutable attribute, the
// very EPERM an immutable file produces.
func access(path string, bits uint32) error {
	err := unix.Faccessat2(unix.AT_FDCWD, path, bits, unix.AT_EACCESS)
	if err == unix.ENOSYS || (err == unix.EPERM && faccessat2Blocked()) {
		if unix.Getuid() == unix.Geteuid() && unix.Getgid() == unix.Getegid() {
			// Real and effective IDs agree: plain faccessat is the kernel's
			// own verdict for the effective user too.
			return unix.Faccessat(unix.AT_FDCWD, path, bits, 0)
		}
		return unix.Faccessat(unix.AT_FDCWD, path, bits, unix.AT_EACCESS)
	}
	return err
}

var (
	blockedOnce sync.Once
	blocked     bool
)

// faccessat2Blocked reports whether a seccomp filter answers EPERM to
// faccessat2 itself (older container runtimes do): "/" always exists.
func faccessat2Blocked() bool {
	blockedOnce.Do(func() {
		blocked = unix.Faccessat2(unix.AT_FDCWD, "/", unix.F_OK, unix.AT_EACCESS) == unix.EPERM
	})
	return blocked
}
