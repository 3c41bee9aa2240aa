//go:build linux

package wintier

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestPermPathAndTemp: AccessCheck allows a readable file and denies one
// whose ACL (under wine: made from the unix mode) grants nothing to read;
// the denial says what the token is granted, and perm-temp shows no unix
// mode bits on Windows.
func TestPermPathAndTemp(t *testing.T) {
	tr := newTier(t)
	open := filepath.Join(tr.dir, "open.txt")
	secret := filepath.Join(tr.dir, "secret.txt")
	for p, mode := range map[string]os.FileMode{open: 0o644, secret: 0o200} {
		if err := os.WriteFile(p, []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	rep, _ := tr.run(t, lab.WineExe(t, true), "--only", "perm", "--skip", "perm-sudo,perm-keys",
		"--path", "r="+open, "--path", "r="+secret)
	ok := one(t, rep, "perm-path", "r="+open)
	if ok.Status != "ok" {
		t.Errorf("perm-path %s: %s %s, want ok\n%s", open, ok.Status, ok.Summary, dump(ok))
	}
	denied := one(t, rep, "perm-path", "r="+secret)
	t.Logf("perm-path denied: %s %v", denied.Summary, codes(denied))
	if denied.Status == "ok" {
		t.Errorf("perm-path %s: ok for a file whose ACL grants no read\n%s", secret, dump(denied))
	}
	for _, f := range denied.Findings {
		if f.Code == "perm.path-acl-denied" && strings.Contains(f.Message, "grants this token no rights") {
			t.Errorf("the denial hides what is granted (write, by mode 0200): %s", f.Message)
		}
	}
	tmp := one(t, rep, "perm-temp", "")
	if m, ok := tmp.Details["mode"]; ok {
		t.Errorf("perm-temp shows unix mode bits on Windows: %v", m)
	}
}
