package netcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// lossProfile pings only the --ping targets and runs nothing after them,
// so a loss run costs one ping.
const lossProfile = labProfile + `  ping:
    gateways: false
    dns_servers: false
  trace:
    enabled: false
  mtu:
    enabled: false
  interfaces:
    sample: 0s
`

// pingKeys returns lossProfile with more net.ping keys.
func pingKeys(keys ...string) string {
	return strings.Replace(lossProfile, "    dns_servers: false\n", "    dns_servers: false\n    "+strings.Join(keys, "\n    ")+"\n", 1)
}

// lossLab links c to s, which answers on 10.52.0.2 to 10.52.0.9; each
// rule is an nft statement applied to echo requests for one address.
func lossLab(t testing.TB, rules map[string]string) (c, s *lab.NS) {
	l := lab.New(t)
	c, s = l.Namespace("c"), l.Namespace("s")
	_, sIf := l.Link(c, "10.52.0.1/24", s, "10.52.0.2/24")
	var nft strings.Builder
	for addr, rule := range rules {
		if addr != "10.52.0.2" {
			s.MustRun("ip", "addr", "add", addr+"/32", "dev", sIf)
		}
		fmt.Fprintf(&nft, "    ip daddr %s icmp type echo-request %s\n", addr, rule)
	}
	s.Nft("table inet loss {\n  chain input { type filter hook input priority 0;\n" + nft.String() + "  }\n}")
	return c, s
}

// TestPingLossVerdict checks the loss verdict on targets with known loss.
// Each case is a property the random loss holds in practically every run
// (the odds are in docs/decisions.md), so the test is quick and stable.
func TestPingLossVerdict(t *testing.T) {
	c, _ := lossLab(t, map[string]string{
		"10.52.0.2": "counter",                                        // no loss
		"10.52.0.3": "numgen random mod 100 < 30 drop",                // 30% random loss
		"10.52.0.4": "numgen inc mod 1000 == 0 drop",                  // the first echo only
		"10.52.0.5": "limit rate over 10/second burst 5 packets drop", // a router policing echo to 10/s
		"10.52.0.6": "drop",                                           // down
		"10.52.0.7": "numgen random mod 100 < 60 drop",                // 60%: slow phase confirms it
	})
	var args []string
	for i := 2; i <= 7; i++ {
		args = append(args, "--ping", fmt.Sprintf("10.52.0.%d", i))
	}
	rep := runNet(t, c, "", lossProfile, args...)
	tests := []struct {
		name, target string
		status       report.Status
		code, not    string
		verdict      string
		maxSent      float64
	}{
		{"no loss stops early", "10.52.0.2", report.StatusOK, "", "net.ping-loss", "no-loss", 99},
		{"30% random loss", "10.52.0.3", report.StatusWarn, "net.ping-loss", "net.ping-rate-limited", "loss", 100},
		{"one lost echo is no alarm", "10.52.0.4", report.StatusOK, "", "net.ping-loss", "no-loss", 100},
		{"rate-limited replies are not loss", "10.52.0.5", report.StatusOK, "net.ping-rate-limited", "net.ping-loss", "", 100},
		{"silent host", "10.52.0.6", report.StatusFail, "net.ping-no-answer", "net.ping-loss", "", 100},
		{"60% random loss survives the slower phase", "10.52.0.7", report.StatusWarn, "net.ping-loss", "net.ping-rate-limited", "loss", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result(t, rep, "net-ping", tt.target)
			t.Logf("%s %s (%d ms): %s %v phases %v", tt.target, r.Status, r.DurationMS, r.Summary, codes(r), r.Details["phases"])
			if r.Status != tt.status {
				t.Errorf("status = %s, want %s", r.Status, tt.status)
			}
			if tt.code != "" && !hasCode(r, tt.code) {
				t.Errorf("codes = %v, want %s", codes(r), tt.code)
			}
			if hasCode(r, tt.not) {
				t.Errorf("codes = %v, must not have %s", codes(r), tt.not)
			}
			if tt.verdict != "" && r.Details["loss_verdict"] != tt.verdict {
				t.Errorf("loss_verdict = %v, want %s", r.Details["loss_verdict"], tt.verdict)
			}
			if r.Metrics["sent"] > tt.maxSent {
				t.Errorf("sent = %v, want at most %v", r.Metrics["sent"], tt.maxSent)
			}
		})
	}
	t.Run("loss evidence carries its uncertainty", func(t *testing.T) {
		r := result(t, rep, "net-ping", "10.52.0.3")
		for _, f := range r.Findings {
			if f.Code != "net.ping-loss" {
				continue
			}
			lo, _ := f.Evidence["loss_low_pct"].(float64)
			hi, _ := f.Evidence["loss_high_pct"].(float64)
			p, _ := f.Evidence["loss_pct"].(float64)
			if !(lo < p && p < hi) || lo <= 0 || hi >= 100 {
				t.Errorf("evidence loss %v [%v, %v], want an interval around the estimate", p, lo, hi)
			}
			if !strings.Contains(f.Message, "±") || !strings.Contains(f.Message, " lost)") {
				t.Errorf("message %q, want the estimate with ± and n of m lost", f.Message)
			}
		}
	})
	t.Run("one lost echo is counted", func(t *testing.T) {
		r := result(t, rep, "net-ping", "10.52.0.4")
		if r.Metrics["received"] != r.Metrics["sent"]-1 {
			t.Errorf("sent %v received %v, want exactly one lost", r.Metrics["sent"], r.Metrics["received"])
		}
	})
}

// TestPingFourEchoes keeps an old profile's "count: 4" working: 1 lost
// of 4 is too little to call loss, 2 of 4 is loss.
func TestPingFourEchoes(t *testing.T) {
	c, _ := lossLab(t, map[string]string{
		"10.52.0.2": "numgen inc mod 4 == 0 drop", // 1 of 4
		"10.52.0.3": "numgen inc mod 2 == 0 drop", // 2 of 4
	})
	prof := pingKeys("count: 4", "interval: 250ms")
	rep := runNet(t, c, "", prof, "--ping", "10.52.0.2", "--ping", "10.52.0.3")
	one := result(t, rep, "net-ping", "10.52.0.2")
	if one.Status != report.StatusOK || hasCode(one, "net.ping-loss") || one.Metrics["sent"] != 4 || one.Metrics["received"] != 3 {
		t.Errorf("1 of 4: status %s codes %v sent %v received %v, want ok, no loss finding, 3 of 4 (%s)", one.Status, codes(one), one.Metrics["sent"], one.Metrics["received"], one.Summary)
	}
	two := result(t, rep, "net-ping", "10.52.0.3")
	if two.Status != report.StatusWarn || !hasCode(two, "net.ping-loss") {
		t.Errorf("2 of 4: status %s codes %v, want warn and net.ping-loss (%s)", two.Status, codes(two), two.Summary)
	}
}

// TestPingLossUnprivileged measures loss with the TCP fallback: every
// third SYN to the only open port is dropped (a third of the connects
// lose their SYN, and wait for the kernel to resend it).
func TestPingLossUnprivileged(t *testing.T) {
	user := lab.RequireUser(t)
	c, s := lossLab(t, map[string]string{"10.52.0.2": "counter"})
	s.MustRun("ip", "addr", "add", "10.52.0.3/32", "dev", "lo")
	c.Route("10.52.0.3/32", "via", "10.52.0.2")
	acceptLoop(s.Listen("tcp", "10.52.0.2:443"))
	acceptLoop(s.Listen("tcp", "10.52.0.3:443"))
	s.Nft(`table inet synloss {
  chain input { type filter hook input priority 0; ip daddr 10.52.0.3 tcp dport 443 tcp flags syn numgen inc mod 3 == 1 drop; }
}`)
	prof := pingKeys("fallback_ports: [443]")
	rep := runNet(t, c, user, prof, "--ping", "10.52.0.2", "--ping", "10.52.0.3")
	clean := result(t, rep, "net-ping", "10.52.0.2")
	lossy := result(t, rep, "net-ping", "10.52.0.3")
	for _, r := range []report.Result{clean, lossy} {
		t.Logf("%s %s: %s %v phases %v", r.Target, r.Status, r.Summary, codes(r), r.Details["phases"])
		if r.Details["method"] != "tcp-connect" || !r.Degraded {
			t.Errorf("%s: method %v degraded %v, want tcp-connect, degraded", r.Target, r.Details["method"], r.Degraded)
		}
	}
	if hasCode(clean, "net.ping-loss") || clean.Metrics["received"] != clean.Metrics["sent"] {
		t.Errorf("clean: codes %v metrics %v, want no loss", codes(clean), clean.Metrics)
	}
	if !hasCode(lossy, "net.ping-loss") {
		t.Errorf("33%% SYN loss: codes %v, want net.ping-loss", codes(lossy))
	}
}
