//go:build linux

package wintier

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestOrgRoutesUnderWine runs diag/org's Windows route-table test,
// built for Windows, under wine in a namespace with a link and a route
// of its own: org-vpn lists a tunnel's routes through
// GetIpForwardTable2, which wine implements from the namespace's table.
func TestOrgRoutesUnderWine(t *testing.T) {
	exe := windowsTestExe(t, "./diag/org")
	l := lab.New(t)
	ns, peer := l.Namespace("routes"), l.Namespace("peer")
	l.Link(ns, "10.61.0.1/24", peer, "10.61.0.2/24")
	ns.Route("10.62.0.0/16", "via", "10.61.0.2")
	w := ns.NewWine()
	res := w.Run([]string{"L2DIAG_WANT_ROUTE=10.62.0.0/16"}, t.TempDir(), exe, "-test.run", "^TestWindowsRouteTable$", "-test.v")
	t.Logf("%s", res.Stdout)
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "--- PASS: TestWindowsRouteTable") {
		t.Fatalf("the route-table test under wine: exit %d\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
}
