package netcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// filteredLab builds a client behind a router that drops everything to
// 10.40.8.0/22 and returns the client and n targets in that range.
func filteredLab(t testing.TB, n int) (*lab.NS, []string) {
	l := lab.New(t)
	c, r := l.Namespace("c"), l.Namespace("r")
	l.Link(c, "10.40.0.1/24", r, "10.40.0.2/24")
	c.Route("default", "via", "10.40.0.2")
	r.Route("10.40.8.0/22", "dev", "lo")
	r.Forward()
	r.Nft(`table inet bh {
  chain forward_all { type filter hook forward priority 0; ip daddr 10.40.8.0/22 drop; }
}`)
	var addrs []string
	for i := range n {
		addrs = append(addrs, fmt.Sprintf("10.40.%d.%d", 8+i/250, 1+i%250))
	}
	return c, addrs
}

// scaleProfile: only the probes under test (no gateway ping, no interface
// sample), so the run's wall time is theirs.
const scaleProfile = labProfile + `  ping:
    gateways: false
  interfaces:
    sample: 0s
`

func tcpArgs(addrs []string) []string {
	var args []string
	for _, a := range addrs {
		args = append(args, "--tcp", a+":443")
	}
	return args
}

// TestBudgetCutTargetsHaveNoVerdict: 200 filtered targets and a budget
// shorter than the TCP timeout. No target gets its full 4 s, so none may
// say "did not answer within 4s"; each is an error with
// check.budget-exhausted, none is traced, and the report counts them.
func TestBudgetCutTargetsHaveNoVerdict(t *testing.T) {
	c, addrs := filteredLab(t, 200)
	args := append([]string{"--timeout", "2500ms"}, tcpArgs(addrs)...)
	rep := runNet(t, c, "", scaleProfile, args...)
	cut := 0
	for _, res := range rep.Results {
		switch res.Check {
		case "net-tcp":
			if res.Status != report.StatusError || !hasCode(res, report.CodeBudgetExhausted) || len(res.Findings) != 1 {
				t.Errorf("%s: %s %v %q, want only %s", res.Target, res.Status, codes(res), res.Summary, report.CodeBudgetExhausted)
			}
			cut++
		case "net-trace":
			t.Errorf("traced %s although its probe had no verdict", res.Target)
		}
	}
	if cut != len(addrs) {
		t.Errorf("%d net-tcp results, want %d", cut, len(addrs))
	}
	if rep.BudgetCut < len(addrs) {
		t.Errorf("budget_cut = %d, want >= %d", rep.BudgetCut, len(addrs))
	}
	if line := rep.SummaryLine(); !strings.Contains(line, fmt.Sprintf("%d cut by the time budget", rep.BudgetCut)) {
		t.Errorf("summary line %q does not say how many were cut", line)
	}
}

// TestManyFilteredTargetsGetTheirVerdict: 100 filtered targets within the
// default budget all get their full timeout (network checks are not held
// in the CPU pool of 16) and each is traced.
func TestManyFilteredTargetsGetTheirVerdict(t *testing.T) {
	c, addrs := filteredLab(t, 100)
	rep := runNet(t, c, "", scaleProfile, tcpArgs(addrs)...)
	filtered, traces := 0, 0
	for _, res := range rep.Results {
		if hasCode(res, report.CodeBudgetExhausted) {
			t.Errorf("%s %s cut by the budget: %q", res.Check, res.Target, res.Summary)
		}
		switch {
		case res.Check == "net-tcp" && hasCode(res, "net.tcp-filtered"):
			filtered++
		case res.Check == "net-trace":
			traces++
		}
	}
	if filtered != len(addrs) || traces != len(addrs) {
		t.Errorf("%d filtered, %d traces; want %d each", filtered, traces, len(addrs))
	}
}

// BenchmarkFilteredTargets: the wall time of 1 and 100 filtered TCP
// targets, each followed by its trace. The goal is 100 within 1.3x of 1:
// probes run at once, and each trace starts when its probe ends.
//
//	go test -run '^$' -bench BenchmarkFilteredTargets -benchtime 3x ./diag/net/
func BenchmarkFilteredTargets(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("targets=%d", n), func(b *testing.B) {
			c, addrs := filteredLab(b, n)
			lab.Binary(b)
			var runMS, runs float64
			for b.Loop() {
				rep := runNet(b, c, "", scaleProfile, tcpArgs(addrs)...)
				traces := 0
				for _, res := range rep.Results {
					if res.Check == "net-trace" {
						traces++
					}
					if hasCode(res, report.CodeBudgetExhausted) {
						b.Fatalf("%s %s cut by the budget", res.Check, res.Target)
					}
				}
				if traces != n {
					b.Fatalf("%d traces, want %d", traces, n)
				}
				runMS += float64(rep.DurationMS)
				runs++
			}
			b.ReportMetric(runMS/runs, "run-ms")
		})
	}
}

// BenchmarkTraceOverlap: a ping and a TCP probe to one address a router
// drops. The ping gives up after 2.75 s and its trace starts then, while
// the TCP probe still waits for its 4 s: the run ends with the trace at
// about 4.75 s, not at 4 s + 2 s as with a barrier before follow-ups.
//
//	go test -run '^$' -bench BenchmarkTraceOverlap -benchtime 3x ./diag/net/
func BenchmarkTraceOverlap(b *testing.B) {
	c, addrs := filteredLab(b, 1)
	lab.Binary(b)
	var runMS, traceMS, runs float64
	for b.Loop() {
		rep := runNet(b, c, "", scaleProfile, "--ping", addrs[0], "--tcp", addrs[0]+":443")
		tr := result(b, rep, "net-trace", addrs[0])
		runMS += float64(rep.DurationMS)
		traceMS += float64(tr.DurationMS)
		runs++
	}
	b.ReportMetric(runMS/runs, "run-ms")
	b.ReportMetric(traceMS/runs, "trace-ms")
}
