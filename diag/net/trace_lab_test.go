package netcheck_test

import (
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// chain builds c - r1 - r2 - d with forwarding on the routers; d drops
// everything from c's subnet, so the last link "drops".
func chain(t *testing.T, l *lab.Lab) (c *lab.NS) {
	t.Helper()
	c, r1, r2, d := l.Namespace("c"), l.Namespace("r1"), l.Namespace("r2"), l.Namespace("d")
	l.Link(c, "10.37.1.1/24", r1, "10.37.1.2/24")
	l.Link(r1, "10.37.2.1/24", r2, "10.37.2.2/24")
	l.Link(r2, "10.37.3.1/24", d, "10.37.3.2/24")
	r1.Forward()
	r2.Forward()
	c.Route("default", "via", "10.37.1.2")
	r1.Route("default", "via", "10.37.2.2")
	r2.Route("10.37.1.0/24", "via", "10.37.2.1")
	d.Route("default", "via", "10.37.3.1")
	d.Nft(`table inet lastlink {
  chain input { type filter hook input priority 0; ip saddr 10.37.1.0/24 drop; }
}`)
	return c
}

func TestTraceInLab(t *testing.T) {
	l := lab.New(t)
	c := chain(t, l)
	prof := labProfile + `  ping:
    count: 2
    interval: 100ms
    timeout: 1s
    gateways: false
  trace:
    timeout: 2s
`
	for _, as := range []struct{ user, method string }{{"", "icmp-echo"}, {lab.TestUser, "udp-recverr"}} {
		t.Run(as.method, func(t *testing.T) {
			if as.user != "" {
				lab.RequireUser(t)
			}
			checkTrace(t, runNet(t, c, as.user, prof, "--ping", "10.37.3.2", "--tcp", "10.37.3.1:9"), as.method)
		})
	}
}

func checkTrace(t *testing.T, rep *report.Report, method string) {
	tests := []struct {
		name, target string
		code         string
		status       report.Status
		wantHops     []string
	}{
		{"last link drops", "10.37.3.2", "net.trace-stops", report.StatusWarn, []string{"10.37.1.2", "10.37.2.2", ""}},
		{"destination reached", "10.37.3.1", "net.trace-reached", report.StatusOK, []string{"10.37.1.2", "10.37.3.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result(t, rep, "net-trace", tt.target)
			t.Logf("%s: %s", r.Status, r.Summary)
			if r.Details["method"] != method {
				t.Errorf("method = %v, want %s", r.Details["method"], method)
			}
			if !hasCode(r, tt.code) || r.Status != tt.status {
				t.Errorf("codes %v status %s, want %s %s", codes(r), r.Status, tt.code, tt.status)
			}
			hops, _ := r.Details["hops"].([]any)
			var got []string
			for _, h := range hops {
				got = append(got, h.(map[string]any)["address"].(string))
			}
			if len(got) != len(tt.wantHops) {
				t.Fatalf("hops = %q, want %q", got, tt.wantHops)
			}
			for i := range got {
				if got[i] != tt.wantHops[i] {
					t.Errorf("hop %d = %q, want %q", i+1, got[i], tt.wantHops[i])
				}
			}
		})
	}
	t.Run("last hop named", func(t *testing.T) {
		r := result(t, rep, "net-trace", "10.37.3.2")
		if len(r.Findings) == 0 || r.Findings[0].Evidence["last_hop"] != "10.37.2.2" {
			t.Errorf("findings = %+v, want last_hop 10.37.2.2", r.Findings)
		}
	})
}
