//go:build unix

package bundle

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStaleTempsOfKilledRunsAreRemoved: a run killed while writing leaves
// .l2diag-bundle-*.tmp behind; the next bundle written to that folder
// removes ours older than a day and nothing else (a younger one may be a
// run still writing; another user's file, other names and directories are
// not ours).
func TestStaleTempsOfKilledRunsAreRemoved(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-25 * time.Hour)
	mk := func(name string, mtime time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("PK half a bundle"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := mk(".l2diag-bundle-111.tmp", old)
	young := mk(".l2diag-bundle-222.tmp", time.Now().Add(-time.Hour))
	other := mk(".l2diag-probe-333", old)
	user := mk("notes.tmp", old)
	keep := []string{young, other, user}
	subdir := filepath.Join(dir, ".l2diag-bundle-444.tmp")
	if err := os.Mkdir(subdir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(subdir, old, old); err != nil {
		t.Fatal(err)
	}
	keep = append(keep, subdir)
	if os.Geteuid() == 0 {
		foreign := mk(".l2diag-bundle-555.tmp", old)
		if err := os.Lchown(foreign, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(foreign, old, old); err != nil {
			t.Fatal(err)
		}
		keep = append(keep, foreign)
	} else {
		t.Log("not root: the other user's file is not tried")
	}
	info, err := Write(filepath.Join(dir, "b.zip"), sampleInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Errorf("the day-old temporary file of a killed run is still there")
	}
	if len(info.StaleRemoved) != 1 || info.StaleRemoved[0] != filepath.Base(stale) {
		t.Errorf("StaleRemoved = %v, want [%s]", info.StaleRemoved, filepath.Base(stale))
	}
	for _, p := range keep {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}
