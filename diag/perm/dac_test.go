//go:build linux || darwin

package permcheck

import (
	"encoding/binary"
	"testing"
)

func aclBytes(entries ...aclEntry) []byte {
	b := binary.LittleEndian.AppendUint32(nil, aclXattrVersion)
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint16(b, e.tag)
		b = binary.LittleEndian.AppendUint16(b, e.perm)
		b = binary.LittleEndian.AppendUint32(b, e.id)
	}
	return b
}

func TestParseACL(t *testing.T) {
	want := []aclEntry{{aclUserObj, 6, 0xffffffff}, {aclUser, 6, 1001}, {aclGroupObj, 4, 0xffffffff}, {aclMask, 4, 0xffffffff}, {aclOther, 0, 0xffffffff}}
	got, err := parseACL(aclBytes(want...))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range [][]byte{nil, {2, 0, 0}, aclBytes(want...)[:10], append([]byte{1, 0, 0, 0}, aclBytes(want...)[4:]...)} {
		if _, err := parseACL(bad); err == nil {
			t.Errorf("parseACL(% x) accepted a malformed ACL", bad)
		}
	}
}

func TestDACDecide(t *testing.T) {
	const me, other, grp, mygrp = 1001, 0, 50, 1001
	user := cred{uid: me, gid: mygrp, groups: map[int]bool{mygrp: true, 60: true}}
	root := cred{uid: 0, gid: 0, groups: map[int]bool{0: true}, dacOverride: true, dacReadSearch: true}
	acl := func(e ...aclEntry) []aclEntry { return e }
	obj := uint32(0xffffffff)
	tests := []struct {
		name    string
		in      dacInput
		c       cred
		want    uint32
		allowed bool
		reason  string
		groupID int
	}{
		{"owner has w", dacInput{uid: me, gid: grp, mode: 0o600}, user, wantW, true, "owner-mode", 0},
		{"owner lacks w although others have it", dacInput{uid: me, gid: grp, mode: 0o466}, user, wantW, false, "owner-mode", 0},
		{"group lacks w", dacInput{uid: other, gid: mygrp, mode: 0o646}, user, wantW, false, "group-mode", mygrp},
		{"supplementary group grants", dacInput{uid: other, gid: 60, mode: 0o660}, user, wantW, true, "group-mode", 60},
		{"not in group that grants", dacInput{uid: other, gid: grp, mode: 0o640}, user, wantR, false, "not-in-group", grp},
		{"others lack x", dacInput{uid: other, gid: grp, mode: 0o644}, user, wantX, false, "other-mode", 0},
		{"others have r", dacInput{uid: other, gid: grp, mode: 0o604}, user, wantR, true, "other-mode", 0},
		{"ACL user grants", dacInput{uid: other, gid: grp, mode: 0o660, acl: acl(aclEntry{aclUserObj, 6, obj}, aclEntry{aclUser, 6, me}, aclEntry{aclGroupObj, 0, obj}, aclEntry{aclMask, 6, obj}, aclEntry{aclOther, 0, obj})}, user, wantW, true, "acl-user", 0},
		{"ACL user masked", dacInput{uid: other, gid: grp, mode: 0o640, acl: acl(aclEntry{aclUserObj, 6, obj}, aclEntry{aclUser, 6, me}, aclEntry{aclGroupObj, 0, obj}, aclEntry{aclMask, 4, obj}, aclEntry{aclOther, 0, obj})}, user, wantW, false, "acl-mask", 0},
		{"ACL user entry narrower than others", dacInput{uid: other, gid: grp, mode: 0o604, acl: acl(aclEntry{aclUserObj, 6, obj}, aclEntry{aclUser, 0, me}, aclEntry{aclGroupObj, 0, obj}, aclEntry{aclMask, 0, obj}, aclEntry{aclOther, 4, obj})}, user, wantR, false, "acl-user", 0},
		{"ACL named group grants", dacInput{uid: other, gid: grp, mode: 0o670, acl: acl(aclEntry{aclUserObj, 6, obj}, aclEntry{aclGroupObj, 0, obj}, aclEntry{aclGroup, 7, 60}, aclEntry{aclMask, 7, obj}, aclEntry{aclOther, 0, obj})}, user, wantW, true, "acl-group", 60},
		{"ACL named group lacks w", dacInput{uid: other, gid: grp, mode: 0o640, acl: acl(aclEntry{aclUserObj, 6, obj}, aclEntry{aclGroupObj, 0, obj}, aclEntry{aclGroup, 4, 60}, aclEntry{aclMask, 4, obj}, aclEntry{aclOther, 6, obj})}, user, wantW, false, "acl-group", 60},
		{"ACL group of another user would grant", dacInput{uid: other, gid: grp, mode: 0o660, acl: acl(aclEntry{aclUserObj, 6, obj}, aclEntry{aclGroupObj, 0, obj}, aclEntry{aclGroup, 6, 77}, aclEntry{aclMask, 6, obj}, aclEntry{aclOther, 0, obj})}, user, wantR, false, "not-in-group", 77},
		{"root reads 000", dacInput{uid: me, gid: grp, mode: 0o000}, root, wantR, true, "", 0},
		{"root searches 000 dir", dacInput{uid: me, gid: grp, mode: 0o000, isDir: true}, root, wantX, true, "", 0},
		{"root cannot run without any x", dacInput{uid: me, gid: grp, mode: 0o666}, root, wantX, false, "no-exec-bit", 0},
		{"root runs with group x only", dacInput{uid: me, gid: grp, mode: 0o010}, root, wantX, true, "", 0},
		{"read-search cap reads not writes", dacInput{uid: other, gid: grp, mode: 0o000}, cred{uid: me, groups: map[int]bool{}, dacReadSearch: true}, wantW, false, "other-mode", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dacDecide(tt.in, tt.c, tt.want)
			if got.allowed != tt.allowed {
				t.Errorf("allowed = %v, want %v (%+v)", got.allowed, tt.allowed, got)
			}
			if !tt.allowed && got.reason != tt.reason {
				t.Errorf("reason = %q, want %q", got.reason, tt.reason)
			}
			if !tt.allowed && tt.groupID != 0 && got.groupID != tt.groupID {
				t.Errorf("group = %d, want %d", got.groupID, tt.groupID)
			}
		})
	}
}

func TestModeString(t *testing.T) {
	tests := []struct {
		mode uint32
		want string
	}{
		{0o040755, "drwxr-xr-x"},
		{0o041777, "drwxrwxrwt"},
		{0o041776, "drwxrwxrwT"},
		{0o104755, "-rwsr-xr-x"},
		{0o102644, "-rw-r-Sr--"},
		{0o120777, "lrwxrwxrwx"},
	}
	for _, tt := range tests {
		if got := modeString(tt.mode); got != tt.want {
			t.Errorf("modeString(%o) = %s, want %s", tt.mode, got, tt.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"/srv/a-b_c.txt": "/srv/a-b_c.txt", "/srv/my share": "'/srv/my share'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
