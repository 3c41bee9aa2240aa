//go:build windows

package orgcheck

import (
	"net"
	"net/netip"
	"os"
	"slices"
	"testing"
)

// TestWindowsRouteTable reads the routing table through
// GetIpForwardTable2 (run under wine by diag/internal/wintier): every
// interface with an IPv4 address has the route to its own subnet, and a
// route the Windows tier added (L2DIAG_WANT_ROUTE=prefix@interface) is
// listed for its interface.
func TestWindowsRouteTable(t *testing.T) {
	rows, err := windowsRoutes()
	if err != nil {
		t.Fatalf("GetIpForwardTable2: %v", err)
	}
	t.Logf("%d routes", len(rows))
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, ifc := range ifs {
		addrs, _ := ifc.Addrs()
		got := prefixesVia(rows, ifc.Index)
		t.Logf("%s (index %d): %v", ifc.Name, ifc.Index, got)
		for _, a := range addrs {
			p, err := netip.ParsePrefix(a.String())
			if err != nil || !p.Addr().Is4() || p.Addr().IsLoopback() {
				continue
			}
			checked++
			if !slices.Contains(got, p.Masked().String()) {
				t.Errorf("%s: routes %v lack its own subnet %s", ifc.Name, got, p.Masked())
			}
		}
	}
	if want := os.Getenv("L2DIAG_WANT_ROUTE"); want != "" {
		found := false
		for _, ifc := range ifs {
			found = found || slices.Contains(prefixesVia(rows, ifc.Index), want)
		}
		if !found {
			t.Errorf("no interface lists the route %s", want)
		}
	}
	if checked == 0 {
		t.Skip("no interface with an IPv4 address to check")
	}
}
