//go:build linux || darwin

package permcheck

import (
	"encoding/binary"
	"fmt"
)

// POSIX ACL entry tags as stored in system.posix_acl_access
// (linux/posix_acl.h). Entries are sorted by tag, then id.
const (
	aclUserObj  = 0x01
	aclUser     = 0x02
	aclGroupObj = 0x04
	aclGroup    = 0x08
	aclMask     = 0x10
	aclOther    = 0x20
)

// aclXattrVersion is the only layout the kernel writes.
const aclXattrVersion = 2

// parseACL decodes the system.posix_acl_access xattr: a little-endian u32
// version, then 8-byte entries {u16 tag, u16 perm, u32 id}.
func parseACL(b []byte) ([]aclEntry, error) {
	if len(b) < 4 || (len(b)-4)%8 != 0 {
		return nil, fmt.Errorf("perm: ACL xattr of %d bytes is not a POSIX ACL", len(b))
	}
	if v := binary.LittleEndian.Uint32(b); v != aclXattrVersion {
		return nil, fmt.Errorf("perm: ACL xattr version %d, want %d", v, aclXattrVersion)
	}
	var out []aclEntry
	for i := 4; i < len(b); i += 8 {
		out = append(out, aclEntry{
			tag:  binary.LittleEndian.Uint16(b[i:]),
			perm: binary.LittleEndian.Uint16(b[i+2:]) & 7,
			id:   binary.LittleEndian.Uint32(b[i+4:]),
		})
	}
	return out, nil
}

// formatACL renders entries the way getfacl does ("user:bob:r-x").
func formatACL(acl []aclEntry) []string {
	var out []string
	for _, e := range acl {
		var s string
		switch e.tag {
		case aclUserObj:
			s = "user::"
		case aclUser:
			s = "user:" + userName(int(e.id)) + ":"
		case aclGroupObj:
			s = "group::"
		case aclGroup:
			s = "group:" + groupName(int(e.id)) + ":"
		case aclMask:
			s = "mask::"
		case aclOther:
			s = "other::"
		default:
			s = fmt.Sprintf("tag%#x:%d:", e.tag, e.id)
		}
		out = append(out, s+permString(uint32(e.perm)))
	}
	return out
}

func permString(p uint32) string {
	b := []byte("---")
	for i, c := range "rwx" {
		if p&(4>>i) != 0 {
			b[i] = byte(c)
		}
	}
	return string(b)
}

// dacInput is the metadata the kernel's discretionary check looks at.
type dacInput struct {
	uid, gid int
	mode     uint32
	isDir    bool
	acl      []aclEntry
}

// dacVerdict is the outcome of the mode-bit/ACL evaluation and what the
// explanation needs.
type dacVerdict struct {
	allowed bool
	// reason is a stable keyword: owner-mode, group-mode, other-mode,
	// not-in-group, acl-user, acl-group, acl-mask, no-exec-bit.
	reason string
	// entryPerm is the permission of the entry (or mode class) that
	// decided; groupID the group of that entry, or for not-in-group the
	// group that would grant.
	entryPerm uint32
	groupID   int
	maskPerm  uint32
}

// dacDecide evaluates mode bits and POSIX ACL the way the kernel does
// (generic_permission, acl_permission_check, posix_acl_permission),
// including CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH.
func dacDecide(in dacInput, c cred, want uint32) dacVerdict {
	v := dacNormal(in, c, want)
	if v.allowed {
		return v
	}
	if in.isDir {
		if want&wantW == 0 && c.dacReadSearch {
			v.allowed = true
		}
		if c.dacOverride {
			v.allowed = true
		}
		return v
	}
	if c.dacOverride && (want&wantX == 0 || in.mode&0o111 != 0) {
		v.allowed = true
	}
	if want == wantR && c.dacReadSearch {
		v.allowed = true
	}
	if !v.allowed && c.dacOverride {
		v.reason = "no-exec-bit"
	}
	return v
}

func dacNormal(in dacInput, c cred, want uint32) dacVerdict {
	mode := in.mode
	if len(in.acl) == 0 {
		switch {
		case c.uid == in.uid:
			bits := mode >> 6 & 7
			return dacVerdict{allowed: bits&want == want, reason: "owner-mode", entryPerm: bits}
		case c.groups[in.gid]:
			bits := mode >> 3 & 7
			return dacVerdict{allowed: bits&want == want, reason: "group-mode", entryPerm: bits, groupID: in.gid}
		}
		bits := mode & 7
		v := dacVerdict{allowed: bits&want == want, reason: "other-mode", entryPerm: bits}
		if !v.allowed && (mode>>3&7)&want == want {
			v.reason, v.groupID = "not-in-group", in.gid
		}
		return v
	}
	var maskPerm uint32 = 7
	for _, e := range in.acl {
		if e.tag == aclMask {
			maskPerm = uint32(e.perm)
		}
	}
	masked := func(e aclEntry, reason string, gid int) dacVerdict {
		p := uint32(e.perm)
		v := dacVerdict{allowed: p&maskPerm&want == want, reason: reason, entryPerm: p, groupID: gid, maskPerm: maskPerm}
		if !v.allowed && p&want == want {
			v.reason = "acl-mask"
		}
		return v
	}
	found := false
	var lastGroup aclEntry
	lastReason := ""
	for _, e := range in.acl {
		switch e.tag {
		case aclUserObj:
			if c.uid == in.uid {
				p := uint32(e.perm)
				return dacVerdict{allowed: p&want == want, reason: "owner-mode", entryPerm: p}
			}
		case aclUser:
			if int(e.id) == c.uid {
				return masked(e, "acl-user", 0)
			}
		case aclGroupObj:
			if c.groups[in.gid] {
				found, lastGroup, lastReason = true, e, "group-mode"
				if uint32(e.perm)&want == want {
					return masked(e, "group-mode", in.gid)
				}
			}
		case aclGroup:
			if c.groups[int(e.id)] {
				found, lastGroup, lastReason = true, e, "acl-group"
				if uint32(e.perm)&want == want {
					return masked(e, "acl-group", int(e.id))
				}
			}
		case aclOther:
			if found {
				gid := in.gid
				if lastGroup.tag == aclGroup {
					gid = int(lastGroup.id)
				}
				return dacVerdict{reason: lastReason, entryPerm: uint32(lastGroup.perm), groupID: gid, maskPerm: maskPerm}
			}
			p := uint32(e.perm)
			v := dacVerdict{allowed: p&want == want, reason: "other-mode", entryPerm: p, maskPerm: maskPerm}
			if !v.allowed {
				// Would a group entry grant it, were the user a member?
				for _, g := range in.acl {
					if (g.tag == aclGroupObj || g.tag == aclGroup) && uint32(g.perm)&maskPerm&want == want {
						v.reason, v.groupID = "not-in-group", in.gid
						if g.tag == aclGroup {
							v.groupID = int(g.id)
						}
						break
					}
				}
			}
			return v
		}
	}
	return dacVerdict{reason: "bad-acl"}
}

// dacWords puts a refusal into words and a fix a technician can paste.
func dacWords(v dacVerdict, in dacInput, c cred, path string, want uint32) (why, hint string) {
	letter := map[uint32]string{wantR: "r", wantW: "w", wantX: "x"}[want]
	u := userName(c.uid)
	q := shellQuote(path)
	owner := userName(in.uid)
	g := groupName(v.groupID)
	acl := len(in.acl) > 0
	switch v.reason {
	case "no-exec-bit":
		return "no execute bit is set at all, and even root needs one to run a file",
			fmt.Sprintf("If it is meant to be run: `chmod +x %s`.", q)
	case "owner-mode":
		return fmt.Sprintf("%s owns it, and the owner bits (%s) lack %s", u, permString(v.entryPerm), letter),
			fmt.Sprintf("The owner may fix it: `chmod u+%s %s`.", letter, q)
	case "acl-user":
		return fmt.Sprintf("the ACL entry user:%s:%s lacks %s", u, permString(v.entryPerm), letter),
			fmt.Sprintf("`setfacl -m u:%s:%s %s`", u, permString(v.entryPerm|want), q)
	case "acl-mask":
		return fmt.Sprintf("an ACL entry grants %s, but the ACL mask (mask::%s) filters it out", letter, permString(v.maskPerm)),
			fmt.Sprintf("Widen the mask: `setfacl -m m::%s %s` (a `chmod g-...` narrows the mask of a file with an ACL).", permString(v.maskPerm|want), q)
	case "group-mode":
		if acl {
			return fmt.Sprintf("%s is in the owning group %s, whose ACL entry (group::%s) lacks %s", u, g, permString(v.entryPerm), letter),
				fmt.Sprintf("`setfacl -m g::%s %s`", permString(v.entryPerm|want), q)
		}
		return fmt.Sprintf("%s is in the owning group %s, whose bits (%s) lack %s", u, g, permString(v.entryPerm), letter),
			fmt.Sprintf("`chmod g+%s %s`", letter, q)
	case "acl-group":
		return fmt.Sprintf("the ACL entry for %s's group %s (group:%s:%s) lacks %s", u, g, g, permString(v.entryPerm), letter),
			fmt.Sprintf("`setfacl -m g:%s:%s %s`", g, permString(v.entryPerm|want), q)
	case "not-in-group":
		if v.groupID == 0 {
			// Adding a user to root's group hands out far more than this path.
			return fmt.Sprintf("%s is not in group %s, which has %s; others do not", u, g, letter),
				fmt.Sprintf("Grant just this user: `setfacl -m u:%s:%s %s`, or give the path a group of its own: `chgrp GROUP %s` and `usermod -aG GROUP %s`.", u, permString(v.entryPerm|want), q, q, u)
		}
		return fmt.Sprintf("%s is not in group %s, which has %s; others do not", u, g, letter),
			fmt.Sprintf("Add the user to the group: `usermod -aG %s %s` (effective at the next login), or grant just this user: `setfacl -m u:%s:%s %s`.", g, u, u, permString(v.entryPerm|want), q)
	case "other-mode":
		return fmt.Sprintf("%s is neither the owner (%s) nor in group %s, and others (%s) lack %s", u, owner, groupName(in.gid), permString(v.entryPerm), letter),
			fmt.Sprintf("For this user only: `setfacl -m u:%s:%s %s`; for everyone: `chmod o+%s %s`; or give a group access: `chgrp GROUP %s && chmod g+%s %s`.", u, permString(v.entryPerm|want), q, letter, q, q, letter, q)
	}
	return "the POSIX ACL is malformed", fmt.Sprintf("Inspect it with `getfacl %s` and rewrite it with `setfacl`.", q)
}
