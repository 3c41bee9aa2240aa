package netcheck_test

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

func TestInterfacesInLab(t *testing.T) {
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	// DHCP failed: the OS gave itself an APIPA address and nothing else.
	apipaIf, _ := l.Link(c, "169.254.10.1/16", s, "")
	// A link whose peer is down: everything sent to it is dropped, so the
	// sender's tx drop counter climbs while the check watches.
	dropIf, peerIf := l.Link(c, "10.43.0.1/24", s, "10.43.0.2/24")
	s.MustRun("ip", "link", "set", peerIf, "down")
	c.MustRun("ip", "neigh", "replace", "10.43.0.2", "lladdr", "02:00:00:00:00:02", "dev", dropIf, "nud", "permanent")
	flood := c.Start("ping", "-n", "-q", "-i", "0.005", "-c", "2000", "10.43.0.2")
	defer flood.Stop()

	rep := runNet(t, c, "", labProfile)
	r := result(t, rep, "net-interfaces", "")
	t.Logf("%s: %s %v", r.Status, r.Summary, codes(r))
	tests := []struct{ code, iface string }{
		{"net.link-local-only", apipaIf},
		{"net.interface-errors", dropIf},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			for _, f := range r.Findings {
				if f.Code == tt.code && f.Evidence["interface"] == tt.iface {
					return
				}
			}
			t.Errorf("no %s for %s in %+v", tt.code, tt.iface, r.Findings)
		})
	}
	ifs, _ := r.Details["interfaces"].([]any)
	var names []string
	for _, i := range ifs {
		names = append(names, i.(map[string]any)["name"].(string))
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "lo") || !strings.Contains(got, dropIf) {
		t.Errorf("interfaces = %s", got)
	}
}
