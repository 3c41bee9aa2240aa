//go:build linux || darwin

package permcheck

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// stickyMissing: a directory everyone may write needs the sticky bit so
// users cannot delete each other's files.
func stickyMissing(fi fs.FileInfo) bool {
	return fi.Mode().Perm()&0o002 != 0 && fi.Mode()&fs.ModeSticky == 0
}

func tempSpace(dir string) (space, error) {
	var s unix.Statfs_t
	if err := unix.Statfs(dir, &s); err != nil {
		return space{}, err
	}
	bs := uint64(s.Bsize)
	return space{
		availBytes: uint64(s.Bavail) * bs, totalBytes: uint64(s.Blocks) * bs,
		freeInodes: uint64(s.Ffree), totalInodes: uint64(s.Files),
	}, nil
}

func currentUserName() string { return userName(unix.Geteuid()) }

// modeText is the directory's mode ("drwxrwxrwt").
func modeText(fi fs.FileInfo) string { return fi.Mode().String() }
