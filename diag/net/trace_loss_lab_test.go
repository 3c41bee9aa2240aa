package netcheck_test

import (
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestTraceHopLoss builds c - r1 - r2 - d where the link into r2 loses
// 30% of packets at random and r1 is a realistic router: it sends at
// most about one ICMP error a second per destination (Linux's
// icmp_ratelimit, set explicitly) and polices echo requests to itself.
// The trace of the lossy target must place the loss at hop 2 and persist
// it to d, and blame neither r1's rate limits nor the destination. The
// trace gets 5 probes per hop so that the lossy hop answers it at all
// (2 probes and a retry all lost: 2.7% of runs).
func TestTraceHopLoss(t *testing.T) {
	l := lab.New(t)
	c, r1, r2, d := l.Namespace("c"), l.Namespace("r1"), l.Namespace("r2"), l.Namespace("d")
	l.Link(c, "10.54.1.1/24", r1, "10.54.1.2/24")
	_, r2In := l.Link(r1, "10.54.2.1/24", r2, "10.54.2.2/24")
	l.Link(r2, "10.54.3.1/24", d, "10.54.3.2/24")
	r1.Forward()
	r2.Forward()
	c.Route("default", "via", "10.54.1.2")
	r1.Route("default", "via", "10.54.2.2")
	r2.Route("10.54.1.0/24", "via", "10.54.2.1")
	d.Route("default", "via", "10.54.3.1")
	for _, r := range []*lab.NS{r1, r2} {
		r.MustRun("sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=1000", "net.ipv4.icmp_ratemask=6168")
	}
	r1.Nft(`table inet police {
  chain input { type filter hook input priority 0; icmp type echo-request limit rate over 10/second burst 5 packets drop; }
}`)
	r2.Nft(`table inet lossy {
  chain pre { type filter hook prerouting priority 0; iifname "` + r2In + `" numgen random mod 100 < 30 drop; }
}`)
	prof := labProfile + `  ping:
    gateways: false
    dns_servers: false
  trace:
    probes: 5
  mtu:
    enabled: false
  interfaces:
    sample: 0s
`
	rep := runNet(t, c, "", prof, "--ping", "10.54.3.2")
	p := result(t, rep, "net-ping", "10.54.3.2")
	if !hasCode(p, "net.ping-loss") {
		t.Fatalf("ping: codes %v, want net.ping-loss (%s)", codes(p), p.Summary)
	}
	tr := result(t, rep, "net-trace", "10.54.3.2")
	t.Logf("trace %s: %s", tr.Status, tr.Summary)
	hops, _ := tr.Details["hops"].([]any)
	verdicts := map[string]any{}
	for _, h := range hops {
		m := h.(map[string]any)
		t.Logf("hop %v %v: trace loss %v%%, echo loss %v (%v)", m["ttl"], m["address"], m["loss_pct"], m["echo_loss"], m["echo_verdict"])
		verdicts[m["address"].(string)] = m["echo_verdict"]
	}
	want := map[string]string{"10.54.1.2": "rate-limited", "10.54.2.2": "loss", "10.54.3.2": "loss"}
	for addr, v := range want {
		if verdicts[addr] != v {
			t.Errorf("hop %s echo_verdict = %v, want %s", addr, verdicts[addr], v)
		}
	}
	var from report.Finding
	for _, f := range tr.Findings {
		if f.Code == "net.trace-loss-from-hop" {
			from = f
		}
	}
	if from.Code == "" || tr.Status != report.StatusWarn {
		t.Fatalf("trace: codes %v status %s, want net.trace-loss-from-hop, warn", codes(tr), tr.Status)
	}
	if from.Evidence["from_hop"] != "10.54.2.2" || from.Evidence["from_hop_ttl"] != float64(2) {
		t.Errorf("loss placed at %v (ttl %v), want 10.54.2.2 (ttl 2): %s", from.Evidence["from_hop"], from.Evidence["from_hop_ttl"], from.Message)
	}
}
