//go:build linux

package wintier

import (
	"archive/zip"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// zipFiles returns the bundle's files and their contents.
func zipFiles(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("open the bundle: %v", err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// TestBundleAndHostEvidence: the Windows exe writes a bundle that its own
// `bundle verify` accepts; the evidence says what could not be read
// (w32tm that never started, the CPU model wine does not report) and
// carries no Linux file (/proc/self/mountinfo, which wine would expose).
func TestBundleAndHostEvidence(t *testing.T) {
	tr := newTier(t)
	exe := lab.WineExe(t, true)
	bundle := filepath.Join(tr.dir, "win.zip")
	rep, _ := tr.run(t, exe, "--only", "host", "--bundle", bundle)
	if v := tr.wine.L2diag(exe, "bundle", "verify", bundle); v.ExitCode != 0 {
		t.Fatalf("bundle verify: exit %d\n%s%s", v.ExitCode, v.Stdout, v.Stderr)
	}
	files := zipFiles(t, bundle)
	var names []string
	for n := range files {
		names = append(names, n)
		if strings.Contains(n, "mountinfo") {
			t.Errorf("the Windows bundle carries %s", n)
		}
	}
	var w32tm string
	for n, body := range files {
		if strings.HasSuffix(n, "w32tm-status.txt") {
			w32tm = body
		}
	}
	switch {
	case w32tm == "":
		t.Errorf("no w32tm evidence in the bundle: %v", names)
	case !strings.Contains(w32tm, "did not start"):
		t.Errorf("w32tm evidence hides that the command never started (wine has no w32tm.exe):\n%s", w32tm)
	}
	cpu := one(t, rep, "host-cpu", "")
	if m, _ := cpu.Details["model"].(string); m == "" {
		if _, ok := cpu.Details["model_error"]; !ok {
			t.Errorf("host-cpu: no model and no model_error: %v", cpu.Details)
		}
	}
}

// TestBundleFromSystem32: a run started in C:\Windows\System32 (as Intune,
// SCCM and RMM tools start scripts) does not leave its bundle there: it
// goes to the user's data directory, and stderr says where and why.
func TestBundleFromSystem32(t *testing.T) {
	tr := newTier(t)
	exe := lab.WineExe(t, true)
	sys32 := filepath.Join(tr.wine.Prefix, "drive_c", "windows", "system32")
	args := []string{"run", "--profile", filepath.Join(tr.dir, "wintier.yaml"), "--only", "perm", "--skip", "perm-sudo"}
	res := tr.wine.Run(nil, sys32, append([]string{exe}, args...)...)
	if res.ExitCode > 3 {
		t.Fatalf("exit %d\n%s", res.ExitCode, res.Stderr)
	}
	if !strings.Contains(res.Stderr, "system folder") {
		t.Errorf("stderr does not say the working directory is a system folder:\n%s", res.Stderr)
	}
	left, _ := filepath.Glob(filepath.Join(sys32, "l2diag-*.zip"))
	if len(left) > 0 {
		t.Errorf("bundle written into System32: %v", left)
	}
	found, _ := filepath.Glob(filepath.Join(tr.wine.Prefix, "drive_c", "users", "*", "AppData", "Local", "l2diag", "l2diag-*.zip"))
	if len(found) != 1 {
		t.Errorf("want one bundle in the user's LocalAppData\\l2diag, found %v\nstderr:\n%s", found, res.Stderr)
	}
}
