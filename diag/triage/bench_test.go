package triage

import (
	"fmt"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// BenchmarkConclude measures triage over a large failing run: 200 results
// behind a dead gateway, each with a finding, so every rule walks them all.
func BenchmarkConclude(b *testing.B) {
	t := &testing.T{}
	rs := []report.Result{result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown).r}
	for i := range 200 {
		rs = append(rs, result("net-tcp", fmt.Sprintf("10.9.%d.%d:443", i/250, i%250)).with(t, codeTCPFiltered).r)
	}
	b.ReportAllocs()
	for b.Loop() {
		if cs := ConcludeResults(rs); len(cs) != 1 {
			b.Fatalf("conclusions = %d", len(cs))
		}
	}
}

// BenchmarkConcludeScale measures triage as the number of targets grows:
// n hosts, each with one port dropped, one refusing and an HTTP failure,
// so two independent causes per host (2n conclusions). Time per result
// must stay flat: a rule or the selection that rescans every finding per
// host shows up as a time growing with n.
func BenchmarkConcludeScale(b *testing.B) {
	t := &testing.T{}
	for _, n := range []int{1000, 10000, 100000} {
		var rs []report.Result
		for i := range n {
			host := fmt.Sprintf("10.%d.%d.%d", 9+i/62500, i/250%250, i%250)
			rs = append(rs,
				result("net-tcp", host+":443").with(t, codeTCPFiltered).r,
				result("net-http", "https://"+host+"/").with(t, codeHTTPConnect).r,
				result("net-tcp", host+":80").with(t, codeTCPRefused).r)
		}
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if cs := ConcludeResults(rs); len(cs) != 2*n {
					b.Fatalf("conclusions = %d, want %d", len(cs), 2*n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rs)), "ns/result")
		})
	}
}
