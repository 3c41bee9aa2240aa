package netcheck_test

import (
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestNetUnprivileged runs the whole net category as the unprivileged
// test user: ICMP falls back to timed TCP, results are degraded, and
// nothing that is up is reported down.
func TestNetUnprivileged(t *testing.T) {
	user := lab.RequireUser(t)
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.34.0.1/24", s, "10.34.0.2/24")
	c.Route("default", "via", "10.34.0.2")
	acceptLoop(s.Listen("tcp", "10.34.0.2:8080"))
	// A fresh namespace's ping_group_range is "1 0": nobody may open ICMP
	// datagram sockets, and setpriv clears CAP_NET_RAW.
	prof := labProfile + `  ping:
    count: 3
    interval: 100ms
    timeout: 1s
`
	t.Run("tcp fallback", func(t *testing.T) {
		rep := runNet(t, c, user, prof, "--ping", "10.34.0.2", "--ping", "10.34.0.99", "--tcp", "10.34.0.2:8080")
		for _, r := range rep.Results {
			t.Logf("%s %s: %s %s %v", r.Check, r.Target, r.Status, r.Summary, codes(r))
		}
		gw := result(t, rep, "net-ping", "10.34.0.2") // both gateway and target
		if gw.Status != report.StatusOK || !gw.Degraded {
			t.Errorf("gateway: status %s degraded %v, want ok and degraded (%s)", gw.Status, gw.Degraded, gw.Summary)
		}
		if gw.Details["method"] != "tcp-connect" || !hasCode(gw, "net.ping-unprivileged") {
			t.Errorf("gateway: method %v codes %v, want tcp-connect and net.ping-unprivileged", gw.Details["method"], codes(gw))
		}
		if gw.Metrics["loss_pct"] != 0 || gw.Metrics["received"] != 3 {
			t.Errorf("gateway: metrics %v, want 3 received, no loss", gw.Metrics)
		}
		gone := result(t, rep, "net-ping", "10.34.0.99")
		// Within the 1 s probe timeout ARP has not given up yet (3 s), so
		// without ICMP the honest verdict is "unknown", a warning.
		if gone.Status != report.StatusWarn || !gone.Degraded || !hasCode(gone, "net.ping-tcp-no-answer") {
			t.Errorf("absent host: status %s degraded %v codes %v, want warn, degraded, net.ping-tcp-no-answer", gone.Status, gone.Degraded, codes(gone))
		}
		if tcp := result(t, rep, "net-tcp", "10.34.0.2:8080"); tcp.Status != report.StatusOK {
			t.Errorf("tcp: status %s, want ok", tcp.Status)
		}
		for _, r := range rep.Results {
			if r.Status == report.StatusError {
				t.Errorf("%s %s could not run unprivileged: %s %s", r.Check, r.Target, r.Summary, r.Error)
			}
		}
	})
	t.Run("icmp datagram socket allowed", func(t *testing.T) {
		c.MustRun("sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647")
		defer c.MustRun("sysctl", "-q", "-w", "net.ipv4.ping_group_range=1 0")
		rep := runNet(t, c, user, prof, "--ping", "10.34.0.2")
		r := result(t, rep, "net-ping", "10.34.0.2")
		if r.Status != report.StatusOK || r.Degraded || r.Details["method"] != "icmp-datagram" {
			t.Errorf("status %s degraded %v method %v, want ok, not degraded, icmp-datagram", r.Status, r.Degraded, r.Details["method"])
		}
	})
}
