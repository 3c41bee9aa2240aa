//go:build linux

package permcheck_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// tree is a directory layout the test builds, with the access problems
// the perm-path check must explain.
type tree struct {
	base      string
	immutable bool // chattr +i worked on this file system
}

func sh(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func buildTree(t *testing.T, user string) *tree {
	t.Helper()
	// Not t.TempDir(): its parent is 0700, which would refuse the user
	// everything before the tree starts.
	base, err := os.MkdirTemp("", "l2diag-perm-")
	if err != nil {
		t.Fatal(err)
	}
	tr := &tree{base: base}
	t.Cleanup(func() {
		_ = exec.Command("umount", filepath.Join(base, "ro")).Run()
		_ = exec.Command("chattr", "-i", filepath.Join(base, "imm", "file")).Run()
		_ = os.RemoveAll(base)
	})
	dirs := map[string]os.FileMode{
		"":             0o755,
		"closed":       0o750,
		"closed/inner": 0o755,
		"files":        0o755,
		"acl":          0o755,
		"acl/dir":      0o700,
		"rosrc":        0o755,
		"ro":           0o755,
		"imm":          0o755,
		"home":         0o755,
	}
	for d, m := range dirs {
		p := filepath.Join(base, d)
		if err := os.MkdirAll(p, m); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, m); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]os.FileMode{
		"closed/inner/f":  0o644,
		"files/groupnow":  0o644, // group lacks w; the user is in the group
		"files/own":       0o400, // the user owns it, owner lacks w
		"files/other":     0o640, // others lack r
		"files/script":    0o755,
		"files/noexec":    0o644,
		"files/open":      0o666,
		"acl/grant":       0o600,
		"acl/masked":      0o600,
		"acl/groupmasked": 0o600,
		"acl/dir/f":       0o644,
		"rosrc/file":      0o666,
		"imm/file":        0o666,
	}
	for f, m := range files {
		p := filepath.Join(base, f)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), m); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, m); err != nil {
			t.Fatal(err)
		}
	}
	sh(t, "chgrp", user, filepath.Join(base, "files/groupnow"))
	sh(t, "chown", user+":"+user, filepath.Join(base, "files/own"))
	// An ACL entry that grants, one whose grant the mask takes back, and
	// a directory only an ACL lets the user into.
	sh(t, "setfacl", "-m", "u:"+user+":rw", filepath.Join(base, "acl/grant"))
	sh(t, "setfacl", "-m", "u:"+user+":rw", filepath.Join(base, "acl/masked"))
	sh(t, "setfacl", "-m", "m::r", filepath.Join(base, "acl/masked"))
	sh(t, "setfacl", "-m", "g:"+user+":rw", filepath.Join(base, "acl/groupmasked"))
	sh(t, "setfacl", "-m", "m::r", filepath.Join(base, "acl/groupmasked"))
	sh(t, "setfacl", "-m", "u:"+user+":rx", filepath.Join(base, "acl/dir"))
	// A read-only bind mount over a writable directory.
	sh(t, "mount", "--bind", filepath.Join(base, "rosrc"), filepath.Join(base, "ro"))
	sh(t, "mount", "-o", "remount,bind,ro", filepath.Join(base, "ro"))
	if exec.Command("chattr", "+i", filepath.Join(base, "imm/file")).Run() == nil {
		tr.immutable = true
	}
	if err := os.Symlink(filepath.Join(base, "closed/inner/f"), filepath.Join(base, "files/link")); err != nil {
		t.Fatal(err)
	}
	return tr
}

// pathCase is one --path and what the user should be told about it.
type pathCase struct {
	name, path, modes string
	// For the unprivileged user: the code and reason of its first finding,
	// and a piece of the hint ("" when access is granted).
	code, reason, hint string
	// rootCode is what root should see ("" for no finding).
	rootCode       string
	needsImmutable bool
}

func pathCases(tr *tree, user string) []pathCase {
	b := tr.base
	return []pathCase{
		{name: "dir without x for others", path: b + "/closed/inner/f", modes: "rw",
			code: "perm.path-denied", reason: "not-in-group", hint: "setfacl -m u:" + user + ":--x " + b + "/closed"},
		{name: "symlink into closed dir", path: b + "/files/link", modes: "r",
			code: "perm.path-denied", reason: "not-in-group"},
		{name: "group lacks w", path: b + "/files/groupnow", modes: "rw",
			code: "perm.path-denied", reason: "group-mode", hint: "chmod g+w " + b + "/files/groupnow"},
		{name: "owner lacks w", path: b + "/files/own", modes: "rw",
			code: "perm.path-denied", reason: "owner-mode", hint: "chmod u+w"},
		{name: "others lack r", path: b + "/files/other", modes: "r",
			code: "perm.path-denied", reason: "not-in-group"},
		{name: "executable", path: b + "/files/script", modes: "rx"},
		{name: "no exec bit at all", path: b + "/files/noexec", modes: "x",
			code: "perm.path-denied", reason: "other-mode", hint: "chmod o+x", rootCode: "perm.path-denied"},
		{name: "open file", path: b + "/files/open", modes: "rw"},
		{name: "ACL grants", path: b + "/acl/grant", modes: "rw"},
		{name: "ACL user entry masked", path: b + "/acl/masked", modes: "rw",
			code: "perm.path-denied", reason: "acl-mask", hint: "setfacl -m m::rw- " + b + "/acl/masked"},
		{name: "ACL group entry masked", path: b + "/acl/groupmasked", modes: "rw",
			code: "perm.path-denied", reason: "acl-mask", hint: "setfacl -m m::rw-"},
		{name: "ACL opens a 0700 dir", path: b + "/acl/dir/f", modes: "r"},
		{name: "ACL dir not writable", path: b + "/acl/dir", modes: "rwx",
			code: "perm.path-denied", reason: "acl-user", hint: "setfacl -m u:" + user + ":rwx"},
		{name: "read-only bind mount", path: b + "/ro/file", modes: "rw",
			code: "perm.path-readonly", reason: "read-only-mount", hint: "remount,bind,rw " + b + "/ro", rootCode: "perm.path-readonly"},
		{name: "immutable file", path: b + "/imm/file", modes: "rw", needsImmutable: true,
			code: "perm.path-immutable", reason: "immutable", hint: "chattr -i", rootCode: "perm.path-immutable"},
		{name: "missing component", path: b + "/files/nope/deeper", modes: "r",
			code: "perm.path-missing", rootCode: "perm.path-missing"},
		{name: "file used as dir", path: b + "/files/open/x", modes: "r",
			code: "perm.path-missing", rootCode: "perm.path-missing"},
	}
}

// kernelAllows asks the kernel, through test(1) run as user (or as root
// when user is ""), whether access is allowed.
func kernelAllows(t *testing.T, user, letter, path string) bool {
	t.Helper()
	args := []string{"test", "-" + letter, path}
	if user != "" {
		args = append([]string{"runuser", "-u", user, "--"}, args...)
	}
	err := exec.Command(args[0], args[1:]...).Run()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		return false
	}
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	return true
}

func runPerm(t *testing.T, ns *lab.NS, user string, cases []pathCase) map[string]report.Result {
	t.Helper()
	var args []string
	for _, c := range cases {
		args = append(args, "--path", c.modes+"="+c.path)
	}
	out := map[string]report.Result{}
	for _, r := range runReport(t, ns, user, args...).Results {
		if r.Check == "perm-path" {
			out[r.Target] = r
		}
	}
	return out
}

// verdicts maps each requested letter to l2diag's answer. A walk that
// stopped before the path (search refused, missing) refuses everything.
func verdicts(r report.Result, modes string) map[string]bool {
	got := map[string]bool{}
	for _, l := range modes {
		got[string(l)] = false
	}
	vs, _ := r.Details["verdicts"].([]any)
	for _, v := range vs {
		m, _ := v.(map[string]any)
		a, _ := m["access"].(string)
		ok, _ := m["allowed"].(bool)
		got[a] = ok
	}
	return got
}

func TestPathVerdictsMatchKernel(t *testing.T) {
	l := lab.New(t)
	user := lab.RequireUser(t)
	lab.RequireTool(t, "setfacl", "runuser", "mount", "chattr", "setpriv")
	tr := buildTree(t, user)
	ns := l.Namespace("perm")
	cases := pathCases(tr, user)

	for _, who := range []string{user, ""} {
		label := who
		if who == "" {
			label = "root"
		}
		results := runPerm(t, ns, who, cases)
		for _, c := range cases {
			t.Run(label+"/"+c.name, func(t *testing.T) {
				if c.needsImmutable && !tr.immutable {
					t.Skip("chattr +i is not supported on this file system")
				}
				r, ok := results[c.modes+"="+c.path]
				if !ok {
					t.Fatalf("no perm-path result for %s=%s", c.modes, c.path)
				}
				got := verdicts(r, c.modes)
				for _, l := range c.modes {
					want := kernelAllows(t, who, string(l), c.path)
					if got[string(l)] != want {
						t.Errorf("%s %s: l2diag says allowed=%v, kernel says %v\nresult: %+v", string(l), c.path, got[string(l)], want, r)
					}
				}
				wantCode, wantReason, wantHint := c.code, c.reason, c.hint
				if who == "" {
					wantCode, wantReason, wantHint = c.rootCode, "", ""
				}
				var gotCode string
				var f report.Finding
				if len(r.Findings) > 0 {
					f = r.Findings[0]
					gotCode = f.Code
				}
				if gotCode != wantCode {
					t.Fatalf("code = %q, want %q\nfindings: %+v", gotCode, wantCode, r.Findings)
				}
				if wantCode == "" {
					if r.Status != report.StatusOK {
						t.Errorf("status = %s, want ok: %s", r.Status, r.Summary)
					}
					return
				}
				if wantReason != "" && f.Evidence["reason"] != wantReason {
					t.Errorf("reason = %v, want %s (message: %s)", f.Evidence["reason"], wantReason, f.Message)
				}
				if !strings.Contains(f.Hint, wantHint) {
					t.Errorf("hint = %q, want it to contain %q", f.Hint, wantHint)
				}
				if wantCode == "perm.path-missing" && !strings.Contains(fmt.Sprint(f.Evidence["missing"]), tr.base+"/files/") {
					t.Errorf("missing = %v, want the first missing component under %s/files", f.Evidence["missing"], tr.base)
				}
			})
		}
	}
}
