//go:build linux

package permcheck

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/l2diag/l2diag/diag/target"
)

// BenchmarkWalkPath measures one perm-path verdict with its explanation
// data: a walk of 10 components (lstat, faccessat2, xattr, statfs, statx
// each) and three access checks at the end.
func BenchmarkWalkPath(b *testing.B) {
	dir := b.TempDir()
	deep := filepath.Join(dir, "a", "b", "c", "d", "e", "f")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		b.Fatal(err)
	}
	f := filepath.Join(deep, "file")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	p := target.Path{Path: f, Access: target.Access{Read: true, Write: true, Exec: true}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := walkPath(context.Background(), p, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDACDecide measures the mode-bit/ACL evaluation alone.
func BenchmarkDACDecide(b *testing.B) {
	c := cred{uid: 1001, gid: 1001, groups: map[int]bool{1001: true, 60: true}}
	in := dacInput{uid: 0, gid: 50, mode: 0o100640, acl: []aclEntry{{aclUserObj, 6, 0}, {aclUser, 6, 1001}, {aclGroupObj, 4, 0}, {aclGroup, 6, 60}, {aclMask, 4, 0}, {aclOther, 0, 0}}}
	for b.Loop() {
		_ = dacDecide(in, c, wantW)
	}
}
