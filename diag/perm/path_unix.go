//go:build linux || darwin

package permcheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/l2diag/l2diag/diag/target"
	"golang.org/x/sys/unix"
)

// maxSymlinks is the kernel's own limit on links followed in one lookup
// (MAXSYMLINKS); beyond it the kernel answers ELOOP.
const maxSymlinks = 40

// Access bits as faccessat and the mode bits use them.
const (
	wantR = 4
	wantW = 2
	wantX = 1
)

var letterBits = map[string]uint32{"r": wantR, "w": wantW, "x": wantX}

// walkPath walks p from the root like `namei -l`, following symlinks. The
// kernel judges each step (faccessat with AT_EACCESS, i.e. with the
// effective IDs, groups and capabilities); the metadata only explains its
// verdict.
func walkPath(ctx context.Context, p target.Path, tr *tracker) (*walk, error) {
	c := currentCred()
	w := &walk{user: userName(c.uid), elevated: c.uid == 0 || c.dacOverride}
	abs, err := filepath.Abs(p.Path)
	if err != nil {
		return nil, fmt.Errorf("perm: path %s: %w", p.Path, err)
	}
	cur := "/"
	var curSt unix.Stat_t
	if err := unix.Lstat(cur, &curSt); err != nil {
		return nil, fmt.Errorf("perm: lstat /: %w", err)
	}
	w.comps = append(w.comps, describe(cur, &curSt))
	queue := splitPath(abs)
	hops := 0
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("perm: walk %s: %w", p.Path, err)
		}
		name := queue[0]
		queue = queue[1:]
		if name == "" {
			continue
		}
		if curSt.Mode&unix.S_IFMT != unix.S_IFDIR {
			w.missing = filepath.Join(cur, name)
			w.missingWhy = fmt.Sprintf("%s is not a directory", cur)
			return w, nil
		}
		if err := access(cur, wantX); err != nil {
			w.denials = append(w.denials, explain(cur, &curSt, "search", wantX, c, err))
			return w, nil
		}
		if name == "." {
			continue
		}
		if name == ".." {
			cur = filepath.Dir(cur)
			if err := unix.Lstat(cur, &curSt); err != nil {
				return nil, fmt.Errorf("perm: lstat %s: %w", cur, err)
			}
			continue
		}
		next := filepath.Join(cur, name)
		tr.at(next)
		var st unix.Stat_t
		if err := unix.Lstat(next, &st); err != nil {
			if errors.Is(err, unix.ENOENT) {
				w.missing = next
				w.missingWhy = fmt.Sprintf("%s has no entry %q", cur, name)
				return w, nil
			}
			return nil, fmt.Errorf("perm: lstat %s: %w", next, err)
		}
		comp := describe(next, &st)
		if st.Mode&unix.S_IFMT == unix.S_IFLNK {
			link, err := os.Readlink(next)
			if err != nil {
				return nil, fmt.Errorf("perm: readlink %s: %w", next, err)
			}
			comp.Link = link
			w.comps = append(w.comps, comp)
			if hops++; hops > maxSymlinks {
				w.missing = next
				w.missingWhy = fmt.Sprintf("more than %d symbolic links to follow (a loop?)", maxSymlinks)
				return w, nil
			}
			if filepath.IsAbs(link) {
				cur = "/"
				if err := unix.Lstat(cur, &curSt); err != nil {
					return nil, fmt.Errorf("perm: lstat /: %w", err)
				}
			}
			queue = append(splitPath(link), queue...)
			continue
		}
		w.comps = append(w.comps, comp)
		cur, curSt = next, st
	}
	w.resolved = cur
	tr.at(cur)
	for _, l := range []string{"r", "w", "x"} {
		if !strings.Contains(p.Access.String(), l) {
			continue
		}
		err := access(cur, letterBits[l])
		w.verdicts = append(w.verdicts, verdict{Access: l, Allowed: err == nil})
		if err != nil {
			w.denials = append(w.denials, explain(cur, &curSt, l, letterBits[l], c, err))
		}
	}
	return w, nil
}

func splitPath(p string) []string {
	return strings.Split(filepath.ToSlash(p), "/")
}

// describe turns a stat into a walk component with its metadata.
func describe(path string, st *unix.Stat_t) component {
	m := readMeta(path, st)
	c := component{
		Path:  path,
		Type:  fileType(uint32(st.Mode)),
		Mode:  modeString(uint32(st.Mode)),
		Owner: userName(int(st.Uid)),
		Group: groupName(int(st.Gid)),
		Attrs: m.attrs(),
	}
	if len(m.acl) > 0 {
		c.Mode += "+"
		c.ACL = formatACL(m.acl)
	}
	return c
}

func fileType(mode uint32) string {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return "dir"
	case unix.S_IFREG:
		return "file"
	case unix.S_IFLNK:
		return "symlink"
	case unix.S_IFCHR, unix.S_IFBLK:
		return "device"
	case unix.S_IFIFO:
		return "fifo"
	case unix.S_IFSOCK:
		return "socket"
	}
	return "other"
}

// modeString renders mode the way ls -l does, e.g. drwxr-sr-t.
func modeString(mode uint32) string {
	b := []byte("?---------")
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		b[0] = 'd'
	case unix.S_IFREG:
		b[0] = '-'
	case unix.S_IFLNK:
		b[0] = 'l'
	case unix.S_IFCHR:
		b[0] = 'c'
	case unix.S_IFBLK:
		b[0] = 'b'
	case unix.S_IFIFO:
		b[0] = 'p'
	case unix.S_IFSOCK:
		b[0] = 's'
	}
	for i, c := range "rwxrwxrwx" {
		if mode&(1<<(8-i)) != 0 {
			b[i+1] = byte(c)
		}
	}
	special := func(bit uint32, pos int, set, unset byte) {
		if mode&bit != 0 {
			if b[pos] == 'x' {
				b[pos] = set
			} else {
				b[pos] = unset
			}
		}
	}
	special(unix.S_ISUID, 3, 's', 'S')
	special(unix.S_ISGID, 6, 's', 'S')
	special(unix.S_ISVTX, 9, 't', 'T')
	return string(b)
}

// explain says why the kernel refused access to path: read-only mount and
// immutable attribute first (they beat every permission), then the mode
// bits and ACL the way the kernel evaluates them, and when those allow it,
// a security module.
func explain(path string, st *unix.Stat_t, access string, want uint32, c cred, kerr error) denial {
	m := readMeta(path, st)
	d := denial{access: access, component: describe(path, st)}
	if errno, ok := kerr.(unix.Errno); ok {
		d.errno = unix.ErrnoName(errno)
		if d.errno == "" {
			d.errno = errno.Error()
		}
	}
	q := shellQuote(path)
	switch {
	case want == wantW && (errors.Is(kerr, unix.EROFS) || m.roMount):
		d.spec, d.reason = FindingPathReadOnly, "read-only-mount"
		d.why = fmt.Sprintf("the file system mounted at %s is read-only", orUnknown(m.mountPoint))
		if m.mountPoint != "" {
			d.hint = fmt.Sprintf("If it should be writable: `mount -o remount,rw %s` (a bind mount: `mount -o remount,bind,rw %s`), and fix the mount options in /etc/fstab or the automounter; if it went read-only by itself, check `dmesg` for file system errors.", shellQuote(m.mountPoint), shellQuote(m.mountPoint))
		}
		return d
	case want == wantW && (m.immutable || m.appendOnly):
		d.spec, d.reason = FindingPathImmutable, "immutable"
		flag := "-i"
		d.why = "it has the immutable attribute (chattr +i)"
		if !m.immutable {
			flag, d.reason = "-a", "append-only"
			d.why = "it has the append-only attribute (chattr +a): it can only be appended to"
		}
		d.hint = fmt.Sprintf("As root, if the attribute is not deliberate: `chattr %s %s` (`lsattr -d %s` shows it).", flag, q, q)
		return d
	}
	in := dacInput{uid: int(st.Uid), gid: int(st.Gid), mode: uint32(st.Mode), isDir: st.Mode&unix.S_IFMT == unix.S_IFDIR, acl: m.acl}
	v := dacDecide(in, c, want)
	if v.allowed {
		switch m.lsm {
		case "":
			d.spec, d.reason = FindingPathUnexplained, "unexplained"
			d.why = "mode bits and ACL allow it, yet the kernel refuses"
			if m.fsType != "" {
				d.why += fmt.Sprintf(" (file system %s)", m.fsType)
			}
		default:
			d.spec, d.reason = FindingPathMAC, m.lsm
			d.why = fmt.Sprintf("mode bits and ACL allow it, but %s denies it", m.lsm)
			if m.label != "" {
				d.why += fmt.Sprintf(" (file label %s)", m.label)
			}
		}
		return d
	}
	d.spec, d.reason = FindingPathDenied, v.reason
	d.why, d.hint = dacWords(v, in, c, path, want)
	return d
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown mount point)"
	}
	return s
}
