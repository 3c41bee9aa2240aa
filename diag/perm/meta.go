//go:build linux || darwin

package permcheck

// aclEntry is one POSIX ACL entry.
type aclEntry struct {
	tag  uint16
	perm uint16
	id   uint32
}

// fsMeta is what explains a refusal beyond the mode bits. Zero values mean
// "not present or not known on this platform".
type fsMeta struct {
	acl        []aclEntry
	roMount    bool
	mountPoint string
	fsType     string
	immutable  bool
	appendOnly bool
	// lsm names the mandatory access control that confines this process
	// ("SELinux", "AppArmor"), empty when none is active.
	lsm   string
	label string
}

func (m fsMeta) attrs() []string {
	var out []string
	if m.roMount {
		out = append(out, "read-only mount")
	}
	if m.immutable {
		out = append(out, "immutable")
	}
	if m.appendOnly {
		out = append(out, "append-only")
	}
	if m.label != "" {
		out = append(out, "label "+m.label)
	}
	return out
}
