package netcheck_test

import (
	"slices"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestSlowPathInLab delays one link with netem (50 ms each way) so round
// trips and connects exceed the profile's thresholds.
func TestSlowPathInLab(t *testing.T) {
	lab.RequireTool(t, "tc")
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	cIf, _ := l.Link(c, "10.45.0.1/24", s, "10.45.0.2/24")
	if out, err := c.Run("tc", "qdisc", "add", "dev", cIf, "root", "netem", "delay", "50ms"); err != nil {
		t.Skipf("netem is not available in this kernel (sch_netem): %v %s", err, out)
	}
	acceptLoop(s.Listen("tcp", "10.45.0.2:8080"))
	prof := `name: lab
net:
  http:
    connectivity: []
  ping:
    count: 3
    interval: 100ms
    timeout: 1s
    rtt_warn: 20ms
  tcp:
    targets: []
    connect_warn: 20ms
`
	rep := runNet(t, c, "", prof, "--ping", "10.45.0.2", "--tcp", "10.45.0.2:8080")
	tests := []struct{ check, target, want string }{
		{"net-ping", "10.45.0.2", "net.ping-slow"},
		{"net-tcp", "10.45.0.2:8080", "net.tcp-slow"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			r := result(t, rep, tt.check, tt.target)
			if !slices.Contains(codes(r), tt.want) || r.Status != report.StatusWarn {
				t.Errorf("codes %v status %s, want %s, warn", codes(r), r.Status, tt.want)
			}
		})
	}
}
