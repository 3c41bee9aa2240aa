package netcheck_test

import (
	"fmt"
	"slices"
	"testing"
)

// BenchmarkPingLoss pings three addresses of one lab host whose echo
// requests nft drops at random (0 %, 5 % and 30 %) with the default ping
// settings, once per iteration, and reports how often each was reported
// as loss and how long the ping check took (its duration_ms; the worst
// and the 95th percentile over all targets and runs).
//
//	go test -run '^$' -bench BenchmarkPingLoss -benchtime 100x ./diag/net/
func BenchmarkPingLoss(b *testing.B) {
	rates := []int{0, 5, 30}
	rules := map[string]string{}
	for i, r := range rates {
		rules[fmt.Sprintf("10.52.0.%d", i+2)] = fmt.Sprintf("numgen random mod 100 < %d drop", r)
	}
	c, _ := lossLab(b, rules)
	var args []string
	for i := range rates {
		args = append(args, "--ping", fmt.Sprintf("10.52.0.%d", i+2))
	}
	reported := make([]int, len(rates))
	var walls []float64
	var echoes float64
	n := 0
	for b.Loop() {
		rep := runNet(b, c, "", lossProfile, args...)
		for i := range rates {
			r := result(b, rep, "net-ping", fmt.Sprintf("10.52.0.%d", i+2))
			lossy := hasCode(r, "net.ping-loss") || hasCode(r, "net.ping-no-answer")
			if lossy {
				reported[i]++
			}
			if lossy != (rates[i] > 0) {
				b.Logf("%d%% loss judged wrong: %s %v phases %v", rates[i], r.Summary, codes(r), r.Details["phases"])
			}
			walls = append(walls, float64(r.DurationMS))
			echoes += r.Metrics["sent"]
		}
		n++
	}
	for i, r := range rates {
		b.ReportMetric(100*float64(reported[i])/float64(n), fmt.Sprintf("loss%d-reported-%%", r))
	}
	slices.Sort(walls)
	b.ReportMetric(walls[len(walls)-1], "wall-max-ms")
	b.ReportMetric(walls[len(walls)*95/100], "wall-p95-ms")
	b.ReportMetric(echoes/float64(len(walls)), "echoes/ping")
}
