package diag

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
)

// BenchmarkRunnerOverhead measures what the runner adds per check (deadline,
// goroutine, panic guard, result bookkeeping) with checks that do nothing.
func BenchmarkRunnerOverhead(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("checks=%d", n), func(b *testing.B) {
			var specs []Spec
			for i := range n {
				specs = append(specs, single(fmt.Sprintf("c%d", i), PhaseProbe, func(ctx context.Context, env *Env) report.Result {
					return report.Result{}
				}))
			}
			r := &Runner{Specs: specs, Profile: testProfile(time.Second, time.Minute)}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r.Run(context.Background())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/check")
		})
	}
}

// BenchmarkRunnerTenSlowChecks runs ten checks of 100 ms each: the wall
// time per run stays near 100 ms, not 1 s.
func BenchmarkRunnerTenSlowChecks(b *testing.B) {
	var specs []Spec
	for i := range 10 {
		specs = append(specs, single(fmt.Sprintf("c%d", i), PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			time.Sleep(100 * time.Millisecond)
			return report.Result{}
		}))
	}
	r := &Runner{Specs: specs, Profile: testProfile(time.Second, time.Minute)}
	for b.Loop() {
		r.Run(context.Background())
	}
}
