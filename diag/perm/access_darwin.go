package permcheck

import "golang.org/x/sys/unix"

// access asks the kernel whether the effective user may access path
// (macOS implements AT_EACCESS in faccessat itself).
func access(path string, bits uint32) error {
	return unix.Faccessat(unix.AT_FDCWD, path, bits, unix.AT_EACCESS)
}
