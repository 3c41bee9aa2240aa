//go:build linux

package wintier

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestOutboxClaimLocks runs ticketclient's claim tests, built for
// Windows, under wine: the outbox claim is LockFileEx there, and two
// handles on one entry's lock file must exclude each other as flock does
// on Unix (a second flush would otherwise deliver the entry again).
func TestOutboxClaimLocks(t *testing.T) {
	exe := windowsTestExe(t, "./ticketclient")
	w := lab.New(t).Namespace("claim").NewWine()
	res := w.Run(nil, t.TempDir(), exe, "-test.run", "^TestClaim", "-test.v")
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "--- PASS: TestClaimIsExclusive") {
		t.Fatalf("the claim tests under wine: exit %d\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
}

// windowsTestExe builds a package's tests for Windows (amd64, no cgo)
// to run under wine; it skips without wine. The test runs in parallel
// with the tier's others, as newTier's do.
func windowsTestExe(t *testing.T, pkg string) string {
	t.Helper()
	lab.RequireWine(t)
	t.Parallel()
	exe := filepath.Join(t.TempDir(), filepath.Base(pkg)+".test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, pkg)
	build.Dir = moduleRoot(t)
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the Windows test exe of %s: %v\n%s", pkg, err, out)
	}
	return exe
}

// moduleRoot is the folder holding go.mod, from this package's folder.
func moduleRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(wd, "..", "..", "..")
}
