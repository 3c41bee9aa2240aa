package permcheck

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// stRdonly is ST_RDONLY in statfs f_flags: set for a read-only super
// block and for a read-only (bind) mount alike.
const stRdonly = 0x1

// readMeta gathers ACL, mount and attribute facts for path. Every probe
// needs only search permission on the parent, which the walk has checked.
func readMeta(path string, st *unix.Stat_t) fsMeta {
	var m fsMeta
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return m
	}
	buf := make([]byte, 1024)
	if n, err := unix.Getxattr(path, "system.posix_acl_access", buf); err == nil {
		if acl, err := parseACL(buf[:n]); err == nil && hasExtendedEntries(acl) {
			m.acl = acl
		}
	}
	var sfs unix.Statfs_t
	if err := unix.Statfs(path, &sfs); err == nil {
		m.roMount = int64(sfs.Flags)&stRdonly != 0
	}
	var stx unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, path, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_BASIC_STATS, &stx); err == nil {
		if stx.Attributes_mask&unix.STATX_ATTR_IMMUTABLE != 0 {
			m.immutable = stx.Attributes&unix.STATX_ATTR_IMMUTABLE != 0
		}
		if stx.Attributes_mask&unix.STATX_ATTR_APPEND != 0 {
			m.appendOnly = stx.Attributes&unix.STATX_ATTR_APPEND != 0
		}
		if m.roMount {
			m.mountPoint, m.fsType = mountOf(uint64(stx.Mnt_id))
		}
	}
	m.lsm = activeLSM()
	if m.lsm == "SELinux" {
		if n, err := unix.Lgetxattr(path, "security.selinux", buf); err == nil {
			m.label = strings.TrimRight(string(buf[:n]), "\x00")
		}
	}
	return m
}

// hasExtendedEntries: an ACL of only user::, group::, other:: is the mode
// bits again (some tools store one); it explains nothing new.
func hasExtendedEntries(acl []aclEntry) bool {
	for _, e := range acl {
		if e.tag == aclUser || e.tag == aclGroup || e.tag == aclMask {
			return true
		}
	}
	return false
}

// mountOf finds the mount point and file system type of a mount ID in
// /proc/self/mountinfo.
func mountOf(id uint64) (mountPoint, fsType string) {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return "", ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 {
			continue
		}
		if n, err := strconv.ParseUint(f[0], 10, 64); err != nil || n != id {
			continue
		}
		mountPoint = unescapeMountinfo(f[4])
		for i := 5; i < len(f)-1; i++ {
			if f[i] == "-" {
				fsType = f[i+1]
				break
			}
		}
		return mountPoint, fsType
	}
	return "", ""
}

// unescapeMountinfo undoes the kernel's octal escapes (\040 for space).
func unescapeMountinfo(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var (
	lsmOnce sync.Once
	lsmName string
)

// activeLSM names the security module that may confine this process:
// SELinux when enforcing, AppArmor when this process has a profile.
func activeLSM() string {
	lsmOnce.Do(func() {
		if b, err := os.ReadFile("/sys/fs/selinux/enforce"); err == nil && strings.TrimSpace(string(b)) == "1" {
			lsmName = "SELinux"
			return
		}
		if b, err := os.ReadFile("/sys/module/apparmor/parameters/enabled"); err == nil && strings.TrimSpace(string(b)) == "Y" {
			cur, err := os.ReadFile("/proc/self/attr/apparmor/current")
			if err != nil {
				cur, _ = os.ReadFile("/proc/self/attr/current")
			}
			if c := strings.TrimSpace(strings.TrimRight(string(cur), "\x00")); c != "" && c != "unconfined" {
				lsmName = "AppArmor"
			}
		}
	})
	return lsmName
}
