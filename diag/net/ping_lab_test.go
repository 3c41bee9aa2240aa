package netcheck_test

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// Loss and RTT agree with iputils ping within these tolerances. Both sample
// 100 packets of a 30% random loss, so each measures the loss with a
// standard deviation of about 4.6 points; their difference has about 6.5,
// and 20 points is three of those. RTTs on a veth pair are tens of
// microseconds: both tools must agree within 1 ms or half of ping's figure.
const (
	lossTolerancePct = 20
	rttToleranceMS   = 1.0
)

var (
	iputilsLoss = regexp.MustCompile(`([\d.]+)% packet loss`)
	iputilsRTT  = regexp.MustCompile(`= ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms`)
)

func TestPingLossMatchesIputils(t *testing.T) {
	lab.RequireTool(t, "ping")
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.32.0.1/24", s, "10.32.0.2/24")
	s.Nft(`table inet loss {
  chain input { type filter hook input priority 0; icmp type echo-request numgen random mod 100 < 30 drop; }
}`)
	prof := labProfile + `  ping:
    count: 100
    interval: 10ms
    timeout: 1s
    stop_early: false
    loss_warn_pct: 2
`
	rep := runNet(t, c, "", prof, "--ping", "10.32.0.2")
	r := result(t, rep, "net-ping", "10.32.0.2")
	out, _ := c.Run("ping", "-n", "-q", "-c", "100", "-i", "0.01", "-W", "1", "10.32.0.2")
	m := iputilsLoss.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("cannot read loss from iputils ping:\n%s", out)
	}
	pingLoss, _ := strconv.ParseFloat(m[1], 64)
	got := r.Metrics["loss_pct"]
	t.Logf("loss: l2diag %.0f%%, iputils %.0f%%", got, pingLoss)
	if math.Abs(got-pingLoss) > lossTolerancePct {
		t.Errorf("loss_pct = %.1f, iputils ping measured %.1f (tolerance %d points)", got, pingLoss, lossTolerancePct)
	}
	if got == 0 || got == 100 {
		t.Errorf("loss_pct = %.1f, want the random loss of about 30%%", got)
	}
	if !hasCode(r, "net.ping-loss") || r.Status != report.StatusWarn {
		t.Errorf("codes %v status %s, want net.ping-loss and warn", codes(r), r.Status)
	}
	if rm := iputilsRTT.FindStringSubmatch(out); rm != nil {
		pingAvg, _ := strconv.ParseFloat(rm[2], 64)
		avg := r.Metrics["rtt_avg_ms"]
		t.Logf("rtt avg: l2diag %.3f ms, iputils %.3f ms", avg, pingAvg)
		if math.Abs(avg-pingAvg) > math.Max(rttToleranceMS, pingAvg/2) {
			t.Errorf("rtt_avg_ms = %.3f, iputils ping measured %.3f", avg, pingAvg)
		}
	} else {
		t.Errorf("cannot read RTT from iputils ping:\n%s", out)
	}
	for _, k := range []string{"sent", "received", "rtt_min_ms", "rtt_max_ms", "rtt_stddev_ms"} {
		if _, ok := r.Metrics[k]; !ok {
			t.Errorf("metric %s missing: %v", k, r.Metrics)
		}
	}
	if r.Metrics["sent"] != 100 {
		t.Errorf("sent = %v, want 100", r.Metrics["sent"])
	}
}

func TestPingFindingsInLab(t *testing.T) {
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.33.0.1/24", s, "10.33.0.2/24")
	c.Route("default", "via", "10.33.0.77") // a gateway that does not exist
	prof := labProfile + `  ping:
    count: 3
    interval: 100ms
    timeout: 1s
`
	rep := runNet(t, c, "", prof, "--ping", "10.33.0.2", "--ping", "10.33.0.99", "--ping", "fd99::1")
	tests := []struct {
		name, target string
		want         string
		status       report.Status
	}{
		{"answers", "10.33.0.2", "", report.StatusOK},
		{"no host on the subnet", "10.33.0.99", "net.ping-no-answer", report.StatusFail},
		{"no route (no IPv6 default route)", "fd99::1", "net.ping-no-route", report.StatusFail},
		{"gateway does not answer", "10.33.0.77", "net.gateway-no-answer", report.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result(t, rep, "net-ping", tt.target)
			if r.Status != tt.status {
				t.Errorf("status = %s, want %s (%s)", r.Status, tt.status, r.Summary)
			}
			if tt.want != "" && !hasCode(r, tt.want) {
				t.Errorf("codes = %v, want %s", codes(r), tt.want)
			}
			if r.Degraded {
				t.Errorf("degraded as root")
			}
		})
	}
	g := result(t, rep, "net-gateway", "")
	if routes, _ := g.Details["default_routes"].([]any); len(routes) != 1 {
		t.Errorf("default_routes = %v, want the one via 10.33.0.77", g.Details["default_routes"])
	}
}

func TestNoDefaultRouteInLab(t *testing.T) {
	l := lab.New(t)
	c := l.Namespace("c")
	rep := runNet(t, c, "", labProfile)
	g := result(t, rep, "net-gateway", "")
	if !hasCode(g, "net.no-default-route") || g.Status != report.StatusFail {
		t.Errorf("gateway: codes %v status %s, want net.no-default-route, fail", codes(g), g.Status)
	}
	i := result(t, rep, "net-interfaces", "")
	if !hasCode(i, "net.no-interface-up") {
		t.Errorf("interfaces: codes %v, want net.no-interface-up", codes(i))
	}
}
