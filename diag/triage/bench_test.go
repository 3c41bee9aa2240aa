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
