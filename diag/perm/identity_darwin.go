package permcheck

import "golang.org/x/sys/unix"

// dacCaps: macOS has no capabilities; root bypasses mode bits.
func dacCaps(uid int) (override, readSearch bool) { return uid == 0, uid == 0 }

// readUmask has no read-only interface on macOS: set and restore it at
// once (other checks create files only with explicit modes).
func readUmask() (uint32, bool) {
	old := unix.Umask(0o022)
	unix.Umask(old)
	return uint32(old), true
}

// platformIdentity: macOS lets every user open ICMP datagram sockets.
func platformIdentity(id *identity, c cred) {}
