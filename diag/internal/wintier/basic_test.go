//go:build linux

package wintier

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestVersionAndChecks: the shipped exe starts under wine, says it is the
// Windows build and lists the Windows checks.
func TestVersionAndChecks(t *testing.T) {
	tr := newTier(t)
	exe := lab.WineExe(t, false)
	v := tr.wine.L2diag(exe, "version")
	if v.ExitCode != 0 || !strings.Contains(v.Stdout, "windows/amd64") {
		t.Fatalf("version: exit %d, stdout %q, stderr %q; want exit 0 and windows/amd64", v.ExitCode, v.Stdout, v.Stderr)
	}
	c := tr.wine.L2diag(exe, "checks")
	for _, id := range []string{"host-services", "net-proxy", "dns-config", "perm-path"} {
		if !strings.Contains(c.Stdout, id) {
			t.Errorf("checks does not list %s:\n%s", id, c.Stdout)
		}
	}
	if strings.Contains(c.Stdout, "\r\r") {
		t.Errorf("checks output has doubled carriage returns:\n%q", c.Stdout)
	}
}
