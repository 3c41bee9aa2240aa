package netcheck_test

import (
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestMTUInLab puts a 1400-byte link behind a router, like a tunnel, once
// with the router's "fragmentation needed" dropped (a black hole) and once
// with it let through (path MTU discovery works).
func TestMTUInLab(t *testing.T) {
	l := lab.New(t)
	c, r, d := l.Namespace("c"), l.Namespace("r"), l.Namespace("d")
	l.Link(c, "10.46.1.1/24", r, "10.46.1.2/24")
	rIf, dIf := l.Link(r, "10.46.2.1/24", d, "10.46.2.2/24")
	r.MustRun("ip", "link", "set", "dev", rIf, "mtu", "1400")
	d.MustRun("ip", "link", "set", "dev", dIf, "mtu", "1400")
	r.Forward()
	c.Route("default", "via", "10.46.1.2")
	d.Route("default", "via", "10.46.2.1")
	prof := labProfile + `  ping:
    count: 2
    interval: 100ms
    timeout: 1s
    gateways: false
  trace:
    enabled: false
`
	tests := []struct {
		name   string
		drop   bool
		code   string
		status report.Status
	}{
		// The black hole first: it leaves no path MTU in c's route cache.
		{"too-big dropped", true, "net.mtu-blackhole", report.StatusFail},
		{"too-big delivered", false, "", report.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.drop {
				r.Nft(`table inet pmtu {
  chain out { type filter hook output priority 0; icmp type destination-unreachable icmp code frag-needed drop; }
}`)
			} else {
				r.MustRun("nft", "delete", "table", "inet", "pmtu")
			}
			rep := runNet(t, c, "", prof, "--ping", "10.46.2.2")
			m := result(t, rep, "net-mtu", "10.46.2.2")
			t.Logf("%s: %s %v", m.Status, m.Summary, codes(m))
			if m.Status != tt.status || (tt.code != "" && !hasCode(m, tt.code)) || (tt.code == "" && len(m.Findings) > 0) {
				t.Errorf("codes %v status %s, want %q %s", codes(m), m.Status, tt.code, tt.status)
			}
			if m.Metrics["path_mtu"] != 1400 {
				t.Errorf("path_mtu = %v, want 1400", m.Metrics["path_mtu"])
			}
		})
	}
}
