package permcheck

import "golang.org/x/sys/unix"

// BSD file flags (sys/stat.h): user and system immutable, append-only.
const (
	ufImmutable = 0x00000002
	ufAppend    = 0x00000004
	sfImmutable = 0x00020000
	sfAppend    = 0x00040000
)

// readMeta on macOS: read-only mounts and BSD flags. Extended ACLs are not
// POSIX ACLs; a denial they cause is reported as unexplained.
func readMeta(path string, st *unix.Stat_t) fsMeta {
	var m fsMeta
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return m
	}
	var sfs unix.Statfs_t
	if err := unix.Statfs(path, &sfs); err == nil {
		m.roMount = sfs.Flags&unix.MNT_RDONLY != 0
		m.mountPoint = unix.ByteSliceToString(sfs.Mntonname[:])
		m.fsType = unix.ByteSliceToString(sfs.Fstypename[:])
	}
	m.immutable = st.Flags&(ufImmutable|sfImmutable) != 0
	m.appendOnly = st.Flags&(ufAppend|sfAppend) != 0
	return m
}
